package keeper_test

import (
	"errors"
	"testing"

	"cosmossdk.io/collections"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	channeltypesv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"
	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/exported"

	"github.com/vinhub/vinhub/x/vehicle/keeper"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// fakeChannel is IBC v1 core as far as a dealer chain's sends need it: it
// hands out sequences and keeps what was sent. ibc_test.go runs the real thing.
type fakeChannel struct {
	sent [][]byte
	err  error
}

func (c *fakeChannel) SendPacket(_ sdk.Context, _, _ string, _ clienttypes.Height, _ uint64, data []byte) (uint64, error) {
	if c.err != nil {
		return 0, c.err
	}
	c.sent = append(c.sent, data)
	return uint64(len(c.sent)), nil
}

func (*fakeChannel) GetChannel(sdk.Context, string, string) (channeltypes.Channel, bool) {
	return channeltypes.Channel{}, false
}

func (*fakeChannel) GetChannelClientState(sdk.Context, string, string) (string, ibcexported.ClientState, error) {
	return "", nil, errors.New("no light client in this test")
}

var dealerHubRoute = types.NewChannelRoute("channel-0")

// dealerFixture is a dealer chain with dealers A and B and a hub route over fakeChannel.
type dealerFixture struct {
	fixture
	ch *fakeChannel
}

func newDealerFixture(t *testing.T) dealerFixture {
	t.Helper()
	ch := &fakeChannel{}
	f := newFixtureWith(t, func(k keeper.Keeper) keeper.Keeper {
		return k.WithIBC(types.IBCKeepers{Channel: ch}).WithHubForwarding()
	})
	require.NoError(t, f.k.InitGenesis(f.ctx, *types.DefaultGenesis()))
	f.addDealer(t, dealerA, reporterA)
	f.addDealer(t, dealerB, reporterB)
	require.NoError(t, f.k.HubRoute.Set(f.ctx, dealerHubRoute))
	return dealerFixture{fixture: f, ch: ch}
}

func (f dealerFixture) requestLien(dealer string, reporter sdk.AccAddress, vin string) (*types.MsgRequestLienResponse, error) {
	return f.msgs.RequestLien(f.ctx, &types.MsgRequestLien{Signer: reporter.String(), DealerId: dealer, Vin: vin, Lender: lenderA, Reference: "contract-9"})
}

func (f dealerFixture) mustRequest(t *testing.T, dealer string, reporter sdk.AccAddress, vin string) uint64 {
	t.Helper()
	res, err := f.requestLien(dealer, reporter, vin)
	require.NoError(t, err)
	return res.RequestId
}

func (f dealerFixture) releaseLien(dealer string, reporter sdk.AccAddress, id uint64) (*types.MsgReleaseLienResponse, error) {
	return f.msgs.ReleaseLien(f.ctx, &types.MsgReleaseLien{Signer: reporter.String(), DealerId: dealer, RequestId: id, Reason: "repaid"})
}

// ack delivers the hub's acknowledgement of packet seq (as sent).
func (f dealerFixture) ack(t *testing.T, seq uint64, ack []byte) {
	t.Helper()
	require.NoError(t, f.k.OnAcknowledgementPacket(f.ctx, dealerHubRoute, seq, f.ch.sent[seq-1], ack))
}

func (f dealerFixture) timeout(t *testing.T, seq uint64) {
	t.Helper()
	require.NoError(t, f.k.OnTimeoutPacket(f.ctx, dealerHubRoute, seq, f.ch.sent[seq-1]))
}

func (f dealerFixture) request(t *testing.T, id uint64) types.LienRequest {
	t.Helper()
	res, err := f.queries.LienRequest(f.ctx, &types.QueryLienRequestRequest{Id: id})
	require.NoError(t, err)
	return res.Request
}

// open returns the open request of a dealer for a VIN, 0 if none.
func (f dealerFixture) open(t *testing.T, dealer, vin string) uint64 {
	t.Helper()
	id, err := f.k.OpenLienRequests.Get(f.ctx, collections.Join(dealer, vin))
	if errors.Is(err, collections.ErrNotFound) {
		return 0
	}
	require.NoError(t, err)
	return id
}

func granted(lienID uint64) []byte {
	return types.NewLienRequestAck(types.LienRequestAck{Granted: true, LienId: lienID, Holder: holderA}).Acknowledgement()
}

// TestLienRequestLifecycle follows one request from the Msg to the packet, a
// grant, a release and its answer, checking the packets sent and the state.
func TestLienRequestLifecycle(t *testing.T) {
	f := newDealerFixture(t)
	res, err := f.requestLien(dealerA, reporterA, "1hgcm82633a004352")
	require.NoError(t, err)
	require.Equal(t, &types.MsgRequestLienResponse{RequestId: 1, Sequence: 1}, res)

	sent, err := types.DecodePacketData(f.ch.sent[0])
	require.NoError(t, err)
	require.Equal(t, &types.LienRequestPacket{DealerId: dealerA, Vin: accord, Lender: lenderA, Reference: "1"}, sent.GetLienRequest(),
		"the hub gets the request id as reference; the dealer's own reference stays here")
	req := f.request(t, 1)
	require.Equal(t, types.LienRequest{
		Id: 1, DealerId: dealerA, Vin: accord, Lender: lenderA, Reference: "contract-9", Requester: reporterA.String(),
		Status: types.LIEN_REQUEST_STATUS_REQUESTED, Route: dealerHubRoute, Sequence: 1, RequestedHeight: 100, UpdatedHeight: 100,
	}, req)
	require.Equal(t, uint64(1), f.open(t, dealerA, accord))

	f.ack(t, 1, granted(7))
	req = f.request(t, 1)
	require.Equal(t, types.LIEN_REQUEST_STATUS_GRANTED, req.Status)
	require.Equal(t, uint64(7), req.HubLienId)

	rel, err := f.releaseLien(dealerA, reporterA, 1)
	require.NoError(t, err)
	require.Equal(t, uint64(2), rel.Sequence)
	sent, err = types.DecodePacketData(f.ch.sent[1])
	require.NoError(t, err)
	require.Equal(t, &types.LienReleasePacket{DealerId: dealerA, LienId: 7, Reason: "repaid"}, sent.GetLienRelease())
	require.Equal(t, types.LIEN_REQUEST_STATUS_RELEASING, f.request(t, 1).Status)
	require.Equal(t, uint64(1), f.open(t, dealerA, accord), "a releasing lien is still held")

	f.ack(t, 2, types.NewLienReleaseAck(types.LienReleaseAck{LienId: 7, Released: true}).Acknowledgement())
	req = f.request(t, 1)
	require.Equal(t, types.LIEN_REQUEST_STATUS_RELEASED, req.Status)
	require.Equal(t, uint64(2), req.Sequence)
	require.Zero(t, f.open(t, dealerA, accord))

	list, err := f.queries.LienRequests(f.ctx, &types.QueryLienRequestsRequest{})
	require.NoError(t, err)
	require.Equal(t, []types.LienRequest{req}, list.Requests)
}

func TestLienRequestSettlement(t *testing.T) {
	tests := []struct {
		name       string
		answer     func(t *testing.T, f dealerFixture)
		wantStatus types.LienRequestStatus
		wantReason string
		wantHolder types.LienHolder
		wantHubID  uint64
	}{
		{name: "granted", answer: func(t *testing.T, f dealerFixture) { f.ack(t, 1, granted(7)) }, wantStatus: types.LIEN_REQUEST_STATUS_GRANTED, wantHubID: 7},
		{
			name: "refused: held by another dealer",
			answer: func(t *testing.T, f dealerFixture) {
				f.ack(t, 1, types.NewLienRequestAck(types.LienRequestAck{LienId: 3, RefusedReason: "VIN held by dealer beta", Holder: holderB}).Acknowledgement())
			},
			wantStatus: types.LIEN_REQUEST_STATUS_REFUSED, wantReason: "VIN held by dealer beta", wantHolder: holderB,
		},
		{
			name: "packet refused by the hub",
			answer: func(t *testing.T, f dealerFixture) {
				f.ack(t, 1, types.NewErrorAck(types.ErrDealerNotBound).Acknowledgement())
			},
			wantStatus: types.LIEN_REQUEST_STATUS_REFUSED, wantReason: "hub refused the lien request (vehicle 22)",
		},
		{
			name:       "unreadable acknowledgement",
			answer:     func(t *testing.T, f dealerFixture) { f.ack(t, 1, []byte{0xff, 0x01}) },
			wantStatus: types.LIEN_REQUEST_STATUS_REFUSED, wantReason: "hub acknowledgement unreadable",
		},
		{
			name:       "IBC v2 universal error acknowledgement",
			answer:     func(t *testing.T, f dealerFixture) { f.ack(t, 1, channeltypesv2.ErrorAcknowledgement[:]) },
			wantStatus: types.LIEN_REQUEST_STATUS_REFUSED, wantReason: "universal error acknowledgement",
		},
		{
			name:       "timed out",
			answer:     func(t *testing.T, f dealerFixture) { f.timeout(t, 1) },
			wantStatus: types.LIEN_REQUEST_STATUS_TIMED_OUT, wantReason: "packet 1 over channel/channel-0 timed out",
		},
		{
			name: "an acknowledgement of another packet changes nothing",
			answer: func(t *testing.T, f dealerFixture) {
				require.NoError(t, f.k.OnAcknowledgementPacket(f.ctx, dealerHubRoute, 9, f.ch.sent[0], granted(7)))
				require.NoError(t, f.k.OnTimeoutPacket(f.ctx, types.NewChannelRoute("channel-5"), 1, f.ch.sent[0]))
			},
			wantStatus: types.LIEN_REQUEST_STATUS_REQUESTED,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newDealerFixture(t)
			f.mustRequest(t, dealerA, reporterA, accord)
			tc.answer(t, f)
			req := f.request(t, 1)
			require.Equal(t, tc.wantStatus, req.Status)
			require.Equal(t, tc.wantHubID, req.HubLienId)
			reason := req.Reason
			if req.Refusal != nil {
				reason = req.Refusal.Reason
				require.Equal(t, tc.wantHolder, req.Refusal.Holder)
			}
			require.Contains(t, reason, tc.wantReason)
			if req.IsOpen() {
				require.Equal(t, uint64(1), f.open(t, dealerA, accord))
				return
			}
			// A settled request no longer stands in the way of a new one.
			require.Zero(t, f.open(t, dealerA, accord))
			require.Equal(t, uint64(2), f.mustRequest(t, dealerA, reporterA, accord))
		})
	}
}

func TestLienReleaseSettlement(t *testing.T) {
	tests := []struct {
		name       string
		answer     func(t *testing.T, f dealerFixture)
		wantStatus types.LienRequestStatus
		wantReason string
	}{
		{
			name: "released",
			answer: func(t *testing.T, f dealerFixture) {
				f.ack(t, 2, types.NewLienReleaseAck(types.LienReleaseAck{LienId: 7, Released: true}).Acknowledgement())
			},
			wantStatus: types.LIEN_REQUEST_STATUS_RELEASED,
		},
		{
			name: "already released on the hub",
			answer: func(t *testing.T, f dealerFixture) {
				f.ack(t, 2, types.NewLienReleaseAck(types.LienReleaseAck{LienId: 7, Released: true, AlreadyReleased: true}).Acknowledgement())
			},
			wantStatus: types.LIEN_REQUEST_STATUS_RELEASED,
		},
		{
			name: "refused by the hub",
			answer: func(t *testing.T, f dealerFixture) {
				f.ack(t, 2, types.NewErrorAck(types.ErrNotLienHolder).Acknowledgement())
			},
			wantStatus: types.LIEN_REQUEST_STATUS_GRANTED, wantReason: "hub refused the lien release (vehicle 32)",
		},
		{
			name:       "timed out",
			answer:     func(t *testing.T, f dealerFixture) { f.timeout(t, 2) },
			wantStatus: types.LIEN_REQUEST_STATUS_GRANTED, wantReason: "packet 2 over channel/channel-0 timed out",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newDealerFixture(t)
			f.mustRequest(t, dealerA, reporterA, accord)
			f.ack(t, 1, granted(7))
			_, err := f.releaseLien(dealerA, reporterA, 1)
			require.NoError(t, err)
			tc.answer(t, f)
			req := f.request(t, 1)
			require.Equal(t, tc.wantStatus, req.Status)
			require.Contains(t, req.Reason, tc.wantReason)
			require.Equal(t, uint64(7), req.HubLienId)
			if req.Status == types.LIEN_REQUEST_STATUS_GRANTED {
				// The release can be sent again; the hub's releases are idempotent.
				res, err := f.releaseLien(dealerA, reporterA, 1)
				require.NoError(t, err)
				require.Equal(t, uint64(3), res.Sequence)
			}
		})
	}
}

func TestRequestLienRefused(t *testing.T) {
	tests := []struct {
		name     string
		malleate func(t *testing.T, f dealerFixture)
		dealer   string
		reporter sdk.AccAddress
		vin      string
		wantErr  error
		wantMsg  string
	}{
		{
			name:     "same dealer, same VIN, request in flight",
			malleate: func(t *testing.T, f dealerFixture) { f.mustRequest(t, dealerA, reporterA, accord) },
			dealer:   dealerA, reporter: reporterA, vin: accord,
			wantErr: types.ErrLienRequestOpen, wantMsg: `dealer "alpha-motors" already has lien request 1 for VIN 1HGCM82633A004352, LIEN_REQUEST_STATUS_REQUESTED`,
		},
		{
			name: "same dealer, same VIN, lien granted",
			malleate: func(t *testing.T, f dealerFixture) {
				f.mustRequest(t, dealerA, reporterA, accord)
				f.ack(t, 1, granted(7))
			},
			dealer: dealerA, reporter: reporterA, vin: "1hgcm82633a004352", wantErr: types.ErrLienRequestOpen,
		},
		{
			name:     "another dealer may ask (the hub decides)",
			malleate: func(t *testing.T, f dealerFixture) { f.mustRequest(t, dealerA, reporterA, accord) },
			dealer:   dealerB, reporter: reporterB, vin: accord,
		},
		{name: "signer not a reporter of the dealer", dealer: dealerA, reporter: reporterB, vin: accord, wantErr: types.ErrUnauthorizedReporter},
		{
			name:     "revoked dealer",
			malleate: func(t *testing.T, f dealerFixture) { require.NoError(t, f.k.RevokeDealer(f.ctx, dealerA)) },
			dealer:   dealerA, reporter: reporterA, vin: accord, wantErr: types.ErrDealerRevoked,
		},
		{
			name:     "no hub route",
			malleate: func(t *testing.T, f dealerFixture) { require.NoError(t, f.k.HubRoute.Remove(f.ctx)) },
			dealer:   dealerA, reporter: reporterA, vin: accord, wantErr: types.ErrNoHubRoute,
		},
		{
			name:     "IBC refuses the send",
			malleate: func(t *testing.T, f dealerFixture) { f.ch.err = channeltypes.ErrChannelNotFound },
			dealer:   dealerA, reporter: reporterA, vin: accord, wantErr: channeltypes.ErrChannelNotFound,
		},
		{name: "North-American VIN with a wrong check digit", dealer: dealerA, reporter: reporterA, vin: "1HGCM82643A004352", wantErr: types.ErrInvalidVIN},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newDealerFixture(t)
			if tc.malleate != nil {
				tc.malleate(t, f)
			}
			before := len(all(t, f.ctx, f.k.LienRequests))
			_, err := f.requestLien(tc.dealer, tc.reporter, tc.vin)
			if tc.wantErr == nil {
				require.NoError(t, err)
				require.Len(t, all(t, f.ctx, f.k.LienRequests), before+1)
				return
			}
			require.ErrorIs(t, err, tc.wantErr)
			require.ErrorContains(t, err, tc.wantMsg)
			require.Len(t, all(t, f.ctx, f.k.LienRequests), before, "a refused request is not kept")
		})
	}
}

func TestReleaseLienRefused(t *testing.T) {
	tests := []struct {
		name     string
		malleate func(t *testing.T, f dealerFixture)
		dealer   string
		reporter sdk.AccAddress
		id       uint64
		wantErr  error
	}{
		{name: "no answer yet", dealer: dealerA, reporter: reporterA, id: 1, wantErr: types.ErrLienRequestState},
		{
			name: "release already in flight",
			malleate: func(t *testing.T, f dealerFixture) {
				f.ack(t, 1, granted(7))
				_, err := f.releaseLien(dealerA, reporterA, 1)
				require.NoError(t, err)
			},
			dealer: dealerA, reporter: reporterA, id: 1, wantErr: types.ErrLienRequestState,
		},
		{
			name: "refused request",
			malleate: func(t *testing.T, f dealerFixture) {
				f.ack(t, 1, types.NewErrorAck(types.ErrUnboundRoute).Acknowledgement())
			},
			dealer: dealerA, reporter: reporterA, id: 1, wantErr: types.ErrLienRequestState,
		},
		{
			name:     "another dealer's request",
			malleate: func(t *testing.T, f dealerFixture) { f.ack(t, 1, granted(7)) },
			dealer:   dealerB, reporter: reporterB, id: 1, wantErr: types.ErrLienRequestNotFound,
		},
		{
			name:     "not a reporter of the dealer",
			malleate: func(t *testing.T, f dealerFixture) { f.ack(t, 1, granted(7)) },
			dealer:   dealerA, reporter: stranger, id: 1, wantErr: types.ErrUnauthorizedReporter,
		},
		{name: "unknown request", dealer: dealerA, reporter: reporterA, id: 42, wantErr: types.ErrLienRequestNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newDealerFixture(t)
			f.mustRequest(t, dealerA, reporterA, accord)
			if tc.malleate != nil {
				tc.malleate(t, f)
			}
			before := f.request(t, 1)
			sent := len(f.ch.sent)
			_, err := f.releaseLien(tc.dealer, tc.reporter, tc.id)
			require.ErrorIs(t, err, tc.wantErr)
			require.Equal(t, before, f.request(t, 1))
			require.Len(t, f.ch.sent, sent, "nothing sent")
		})
	}
}

// TestLienMsgsRefusedOnHub: the hub grants liens itself (x/asset) and has no
// hub route; dealer-side lien messages are refused with the reason.
func TestLienMsgsRefusedOnHub(t *testing.T) {
	f := setup(t)
	_, err := f.msgs.RequestLien(f.ctx, &types.MsgRequestLien{Signer: reporterA.String(), DealerId: dealerA, Vin: accord, Lender: lenderA})
	require.ErrorIs(t, err, types.ErrNotDealerChain)
	require.ErrorContains(t, err, "this chain is the hub")
	_, err = f.msgs.ReleaseLien(f.ctx, &types.MsgReleaseLien{Signer: reporterA.String(), DealerId: dealerA, RequestId: 1})
	require.ErrorIs(t, err, types.ErrNotDealerChain)
}

// TestLienRequestGenesis: lien requests survive export and import, with the
// open and hub-lien indexes rebuilt, and Validate catches broken ones.
func TestLienRequestGenesis(t *testing.T) {
	f := newDealerFixture(t)
	f.mustRequest(t, dealerA, reporterA, accord)
	f.ack(t, 1, granted(7))
	f.mustRequest(t, dealerB, reporterB, accord)
	f.timeout(t, 2)
	f.mustRequest(t, dealerB, reporterB, golf)
	_, err := f.releaseLien(dealerA, reporterA, 1)
	require.NoError(t, err)

	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	require.Len(t, gs.LienRequests, 3)
	require.Equal(t, uint64(4), gs.NextLienRequestId)

	other := dealerFixture{ch: f.ch, fixture: newFixtureWith(t, func(k keeper.Keeper) keeper.Keeper {
		return k.WithIBC(types.IBCKeepers{Channel: f.ch}).WithHubForwarding()
	})}
	require.NoError(t, other.k.InitGenesis(other.ctx, *gs))
	reexported, err := other.k.ExportGenesis(other.ctx)
	require.NoError(t, err)
	require.Equal(t, gs, reexported)
	require.Equal(t, all(t, f.ctx, f.k.OpenLienRequests), all(t, other.ctx, other.k.OpenLienRequests))
	require.Equal(t, all(t, f.ctx, f.k.LienRequestsByHubLien), all(t, other.ctx, other.k.LienRequestsByHubLien))

	// The imported chain settles the release in flight and numbers on.
	other.ack(t, 4, types.NewLienReleaseAck(types.LienReleaseAck{LienId: 7, Released: true}).Acknowledgement())
	require.Equal(t, types.LIEN_REQUEST_STATUS_RELEASED, other.request(t, 1).Status)
	require.Equal(t, uint64(4), other.mustRequest(t, dealerB, reporterB, accord))

	tests := []struct {
		name     string
		malleate func(gs *types.GenesisState)
	}{
		{"two open requests of a dealer for a VIN", func(gs *types.GenesisState) {
			gs.LienRequests[1].DealerId, gs.LienRequests[1].Status = dealerA, types.LIEN_REQUEST_STATUS_REQUESTED
		}},
		{"in flight in no packet", func(gs *types.GenesisState) { gs.LienRequests[2].Sequence = 0 }},
		{"granted without a hub lien", func(gs *types.GenesisState) { gs.LienRequests[0].HubLienId = 0 }},
		{"unknown dealer", func(gs *types.GenesisState) { gs.LienRequests[2].DealerId = "ghost" }},
		{"no status", func(gs *types.GenesisState) { gs.LienRequests[2].Status = types.LIEN_REQUEST_STATUS_UNSPECIFIED }},
		{"id not below next", func(gs *types.GenesisState) { gs.NextLienRequestId = 3 }},
		{"VIN not canonical", func(gs *types.GenesisState) { gs.LienRequests[2].Vin = "wvwzzz1jzxw000001" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bad, err := f.k.ExportGenesis(f.ctx)
			require.NoError(t, err)
			tc.malleate(bad)
			require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis)
		})
	}
}
