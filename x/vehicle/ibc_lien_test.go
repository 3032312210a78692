package vehicle_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	abci "github.com/cometbft/cometbft/abci/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	ibctesting "github.com/cosmos/ibc-go/v11/testing"

	"github.com/vinhub/vinhub/hub/chainapp"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	"github.com/vinhub/vinhub/x/vehicle/keeper"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// These tests take liens over IBC: dealer chains ask the hub, which grants
// at most one active lien per VIN across every dealer chain and its own
// modules.

const (
	dealerAChainID = "dealer-a-1"
	dealerBChainID = "dealer-b-1"
	dealerB        = "bayside"
)

// lienNet is the hub with two dealer chains: dealer-a (dealer acme) over an
// IBC v2 client pair and dealer-b (dealer bayside) over a v1 channel, both
// dealers registered and bound on the hub.
type lienNet struct{ a, b *link }

func newLienNet(t *testing.T) *lienNet {
	t.Helper()
	coord := &ibctesting.Coordinator{T: t, CurrentTime: startTime}
	hub := newHubChain(t, coord, hubChainID)
	chainA := newDealerChain(t, coord, dealerAChainID)
	chainB := newDealerChain(t, coord, dealerBChainID)
	coord.Chains = map[string]*ibctesting.TestChain{hubChainID: hub, dealerAChainID: chainA, dealerBChainID: chainB}
	n := &lienNet{a: connect(t, coord, hub, chainA, true), b: connect(t, coord, hub, chainB, false)}
	n.a.registerDealer(dealerID, "Acme Motors")
	n.b.registerDealer(dealerB, "Bayside Auto")
	n.a.bind()
	n.b.govMsg(hub, &types.MsgBindDealer{DealerId: dealerB, Route: n.b.hubRoute()})
	return n
}

// requestLien has the dealer chain's reporter ask for a lien on vin, the
// lender being the reporter's own account, and returns the request id and packet.
func (l *link) requestLien(dealer, vin string) (uint64, sentPacket) {
	l.t.Helper()
	sender := l.dealer.SenderAccount.GetAddress().String()
	res, err := l.dealer.SendMsgs(&types.MsgRequestLien{Signer: sender, DealerId: dealer, Vin: vin, Lender: sender})
	require.NoError(l.t, err)
	var resp types.MsgRequestLienResponse
	msgResponse(l.t, res, &resp)
	return resp.RequestId, l.packetFrom(res)
}

// releaseLien has the dealer chain's reporter release the lien of a request.
func (l *link) releaseLien(dealer string, requestID uint64) (sentPacket, error) {
	l.t.Helper()
	res, err := l.dealer.SendMsgs(&types.MsgReleaseLien{Signer: l.dealer.SenderAccount.GetAddress().String(), DealerId: dealer, RequestId: requestID, Reason: "repaid"})
	if err != nil {
		return sentPacket{}, err
	}
	return l.packetFrom(res), nil
}

func msgResponse(t testing.TB, res *abci.ExecTxResult, out interface{ Unmarshal([]byte) error }) {
	t.Helper()
	var data sdk.TxMsgData
	require.NoError(t, data.Unmarshal(res.Data))
	require.Len(t, data.MsgResponses, 1)
	require.NoError(t, out.Unmarshal(data.MsgResponses[0].Value))
}

func (l *link) lienRequest(id uint64) types.LienRequest {
	l.t.Helper()
	res, err := keeper.NewQueryServerImpl(l.dealerApp.VehicleKeeper).LienRequest(l.dealer.GetContext(), &types.QueryLienRequestRequest{Id: id})
	require.NoError(l.t, err)
	return res.Request
}

// hubLiens returns the hub's view of a VIN: its active lien (nil if none)
// and every lien it ever had. It also checks the registry's promise: never
// more than one active lien for the VIN.
func (l *link) hubLiens(vin string) (*types.Lien, []types.Lien) {
	l.t.Helper()
	res, err := keeper.NewQueryServerImpl(l.hubApp.VehicleKeeper).LienByVIN(l.hub.GetContext(), &types.QueryLienByVINRequest{Vin: vin})
	require.NoError(l.t, err)
	var active []uint64
	for _, lien := range res.Liens {
		if lien.IsActive() {
			active = append(active, lien.Id)
		}
	}
	require.LessOrEqual(l.t, len(active), 1, "VIN %s has active liens %v", vin, active)
	if res.Active != nil {
		require.Equal(l.t, active, []uint64{res.Active.Id})
	} else {
		require.Empty(l.t, active)
	}
	return res.Active, res.Liens
}

// forgedRelease relays a release packet the dealer chain's vehicle module did
// not build (a faulty or hostile dealer chain), with a real proof.
func (l *link) forgedRelease(dealer string, lienID uint64) types.VehicleAcknowledgement {
	l.t.Helper()
	d := types.NewLienReleasePacketData(types.LienReleasePacket{DealerId: dealer, LienId: lienID, Reason: "forged"})
	bz, err := d.Marshal()
	require.NoError(l.t, err)
	return l.relayForged(bz, types.Version)
}

// TestDoublePledgeRefusedAcrossChains: one VIN, two dealer chains and a hub
// module all want it pledged. Exactly one lien is active at every step; the
// refusals name who holds it; only the holder can release it; afterwards the
// other dealer gets it.
func TestDoublePledgeRefusedAcrossChains(t *testing.T) {
	n := newLienNet(t)
	a, b := n.a, n.b
	holderA := types.LienHolder{ChainId: dealerAChainID, DealerId: dealerID, Lender: a.dealer.SenderAccount.GetAddress().String(), Reference: "1"}

	// dealer-a asks first and gets it.
	reqA, p := a.requestLien(dealerID, vinA)
	ack := a.relay(p).GetLienRequest()
	require.Equal(t, &types.LienRequestAck{Granted: true, LienId: 1, Holder: holderA}, ack)
	require.Equal(t, types.LIEN_REQUEST_STATUS_GRANTED, a.lienRequest(reqA).Status)
	require.Equal(t, uint64(1), a.lienRequest(reqA).HubLienId)
	active, _ := a.hubLiens(vinA)
	require.NotNil(t, active)
	require.Equal(t, holderA, active.Holder, "the holder's chain is the light client's chain id")

	// dealer-b asks for the same car over another chain: refused, naming dealer-a.
	reqB, p := b.requestLien(dealerB, vinA)
	refusal := b.relay(p)
	require.True(t, refusal.Success(), "a refusal is an answer, not an error acknowledgement")
	require.False(t, refusal.GetLienRequest().Granted)
	require.Equal(t, holderA, refusal.GetLienRequest().Holder)
	stB := b.lienRequest(reqB)
	require.Equal(t, types.LIEN_REQUEST_STATUS_REFUSED, stB.Status)
	require.Equal(t, uint64(1), stB.Refusal.HeldLienId)
	require.Equal(t, holderA, stB.Refusal.Holder)
	require.Contains(t, stB.Refusal.Reason, `already has active lien 1 held by dealer "acme" on chain dealer-a-1`)
	active, _ = a.hubLiens(vinA)
	require.Equal(t, uint64(1), active.Id)

	// A hub loan (x/asset) on the same car: refused, naming dealer-a.
	hubHolder := types.LienHolder{Module: "asset", Lender: a.hub.SenderAccount.GetAddress().String(), Reference: "loan/1"}
	_, err := a.hubApp.VehicleKeeper.GrantLien(a.hub.GetContext(), vinA, hubHolder)
	require.ErrorIs(t, err, types.ErrLienHeld)
	require.ErrorContains(t, err, `held by dealer "acme" on chain dealer-a-1`)
	active, _ = a.hubLiens(vinA)
	require.Equal(t, uint64(1), active.Id)

	// dealer-b cannot release dealer-a's lien: locally it has nothing granted,
	// and a packet forged on its chain is refused by the hub.
	_, err = b.releaseLien(dealerB, reqB)
	require.ErrorContains(t, err, types.ErrLienRequestState.Error(), "SendMsgs returns the error as text")
	forged := b.forgedRelease(dealerB, 1)
	require.Equal(t, types.ErrNotLienHolder.ABCICode(), forged.GetError().GetCode(), forged.GetError().GetMessage())
	require.Contains(t, forged.GetError().GetMessage(), `not by dealer "bayside" on chain dealer-b-1`)
	active, _ = a.hubLiens(vinA)
	require.Equal(t, uint64(1), active.Id)

	// dealer-a releases; the VIN is free.
	p, err = a.releaseLien(dealerID, reqA)
	require.NoError(t, err)
	require.Equal(t, types.LIEN_REQUEST_STATUS_RELEASING, a.lienRequest(reqA).Status)
	released := a.relay(p).GetLienRelease()
	require.Equal(t, &types.LienReleaseAck{LienId: 1, Released: true}, released)
	require.Equal(t, types.LIEN_REQUEST_STATUS_RELEASED, a.lienRequest(reqA).Status)
	active, history := a.hubLiens(vinA)
	require.Nil(t, active)
	require.Len(t, history, 1)
	require.Equal(t, types.LIEN_STATUS_RELEASED, history[0].Status)
	require.Equal(t, "repaid", history[0].ReleaseReason)

	// Releasing again is idempotent on the hub (dealer-a itself refuses locally).
	_, err = a.releaseLien(dealerID, reqA)
	require.ErrorContains(t, err, types.ErrLienRequestState.Error(), "SendMsgs returns the error as text")
	again := a.forgedRelease(dealerID, 1)
	require.Equal(t, &types.LienReleaseAck{LienId: 1, Released: true, AlreadyReleased: true}, again.GetLienRelease())
	_, history = a.hubLiens(vinA)
	require.Equal(t, "repaid", history[0].ReleaseReason, "a second release changes nothing")

	// Now dealer-b gets it.
	reqB2, p := b.requestLien(dealerB, vinA)
	granted := b.relay(p).GetLienRequest()
	require.True(t, granted.Granted)
	require.Equal(t, uint64(2), granted.LienId)
	require.Equal(t, types.LIEN_REQUEST_STATUS_GRANTED, b.lienRequest(reqB2).Status)
	active, history = a.hubLiens(vinA)
	require.Equal(t, uint64(2), active.Id)
	require.Equal(t, types.LienHolder{ChainId: dealerBChainID, DealerId: dealerB, Lender: b.dealer.SenderAccount.GetAddress().String(), Reference: "2"}, active.Holder)
	require.Len(t, history, 2)

	// The regulator's view: liens by dealer.
	byDealer, err := keeper.NewQueryServerImpl(a.hubApp.VehicleKeeper).Liens(a.hub.GetContext(), &types.QueryLiensRequest{DealerId: dealerB, ActiveOnly: true})
	require.NoError(t, err)
	require.Len(t, byDealer.Liens, 1)
	require.Equal(t, uint64(2), byDealer.Liens[0].Id)
}

// TestLienPacketTimeouts: a request that times out never reached the hub
// (TIMED_OUT, no lien there) and may be asked again; a release that times out
// leaves the lien granted, and sending it again releases it.
func TestLienPacketTimeouts(t *testing.T) {
	forEachVersion(t, func(t *testing.T, l *link) {
		l.bind()
		req, p := l.requestLien(dealerID, vinB)
		l.timeout(p)
		st := l.lienRequest(req)
		require.Equal(t, types.LIEN_REQUEST_STATUS_TIMED_OUT, st.Status)
		require.Contains(t, st.Reason, "timed out")
		active, history := l.hubLiens(vinB)
		require.Nil(t, active)
		require.Empty(t, history, "nothing on the hub")

		req2, p := l.requestLien(dealerID, vinB)
		require.NotEqual(t, req, req2)
		require.True(t, l.relay(p).GetLienRequest().Granted)
		require.Equal(t, types.LIEN_REQUEST_STATUS_GRANTED, l.lienRequest(req2).Status)

		p, err := l.releaseLien(dealerID, req2)
		require.NoError(t, err)
		l.timeout(p)
		st = l.lienRequest(req2)
		require.Equal(t, types.LIEN_REQUEST_STATUS_GRANTED, st.Status)
		require.Contains(t, st.Reason, "timed out")
		active, _ = l.hubLiens(vinB)
		require.NotNil(t, active, "the hub still holds the lien")

		p, err = l.releaseLien(dealerID, req2)
		require.NoError(t, err)
		require.True(t, l.relay(p).GetLienRelease().Released)
		require.Equal(t, types.LIEN_REQUEST_STATUS_RELEASED, l.lienRequest(req2).Status)
		active, _ = l.hubLiens(vinB)
		require.Nil(t, active)
	})
}

// hubAsset puts a live vehicle asset on vin, owned by owner, into the hub's
// asset registry (as an approved MsgApply would) and commits a block.
func (l *link) hubAsset(vin, owner string) uint64 {
	l.t.Helper()
	ctx := l.hub.GetContext()
	id, err := l.hubApp.AssetKeeper.NextAssetID.Next(ctx)
	require.NoError(l.t, err)
	require.NoError(l.t, l.hubApp.AssetKeeper.Assets.Set(ctx, id, assettypes.Asset{
		Id: id, Kind: assettypes.ASSET_KIND_VEHICLE, Owner: owner, Description: "a car on the hub",
		Vin: vin, Status: assettypes.ASSET_STATUS_ACTIVE, AppliedAt: startTime,
	}))
	l.hub.NextBlock()
	return id
}

// TestLienOnHubAssetNeedsOwnerConsent: a reporter of a bound dealer asks for a
// lien on a car registered on the hub and owned by someone else. Without the
// owner's consent the hub refuses, as an answer with its code that the dealer
// chain records (not an error acknowledgement), and nothing is liened. Once
// the owner consents on the hub, the next request is granted and uses the
// consent up.
func TestLienOnHubAssetNeedsOwnerConsent(t *testing.T) {
	n := newLienNet(t)
	a := n.a
	owner := a.hub.SenderAccount.GetAddress().String()
	assetID := a.hubAsset(vinA, owner)

	req, p := a.requestLien(dealerID, vinA)
	ack := a.relay(p)
	require.True(t, ack.Success(), "a refusal is an answer, not an error acknowledgement")
	res := ack.GetLienRequest()
	require.False(t, res.Granted, "no lien on a hub asset without its owner's consent")
	require.Equal(t, types.ErrLienNotAuthorized.ABCICode(), res.Code)
	st := a.lienRequest(req)
	require.Equal(t, types.LIEN_REQUEST_STATUS_REFUSED, st.Status)
	require.Equal(t, types.ErrLienNotAuthorized.ABCICode(), st.Refusal.Code, "the dealer chain matches the refusal by code")
	require.Contains(t, st.Refusal.Reason, "MsgAuthorizeLien")
	active, history := a.hubLiens(vinA)
	require.Nil(t, active)
	require.Empty(t, history)

	// The owner consents on the hub to acme on dealer-a, and only to it.
	consent := &types.MsgAuthorizeLien{Owner: owner, Vin: vinA, ChainId: dealerAChainID, DealerId: dealerID}
	resp, err := keeper.NewMsgServerImpl(a.hubApp.VehicleKeeper).AuthorizeLien(a.hub.GetContext(), consent)
	require.NoError(t, err)
	require.Equal(t, assetID, resp.AssetId)
	a.hub.NextBlock()

	reqB, p := n.b.requestLien(dealerB, vinA)
	require.Equal(t, types.ErrLienNotAuthorized.ABCICode(), n.b.relay(p).GetLienRequest().Code, "the consent names acme on dealer-a")
	require.Equal(t, types.LIEN_REQUEST_STATUS_REFUSED, n.b.lienRequest(reqB).Status)

	req2, p := a.requestLien(dealerID, vinA)
	granted := a.relay(p).GetLienRequest()
	require.True(t, granted.Granted)
	require.Equal(t, types.LIEN_REQUEST_STATUS_GRANTED, a.lienRequest(req2).Status)
	active, _ = a.hubLiens(vinA)
	require.Equal(t, owner, active.AuthorizedBy)
	require.Equal(t, a.hubRoute(), *active.GrantedRoute)
	left, err := keeper.NewQueryServerImpl(a.hubApp.VehicleKeeper).LienAuthorizations(a.hub.GetContext(), &types.QueryLienAuthorizationsRequest{Vin: vinA})
	require.NoError(t, err)
	require.Empty(t, left.Authorizations, "the consent is used up")
}

// TestUnboundDealerStillReleases: governance unbinds a dealer (the remedy
// for a misbehaving one); the dealer's liens must still be releasable by it,
// over the route they were granted through, or the VINs stay encumbered. Its
// new requests are refused.
func TestUnboundDealerStillReleases(t *testing.T) {
	forEachVersion(t, func(t *testing.T, l *link) {
		l.bind()
		req, p := l.requestLien(dealerID, vinB)
		require.True(t, l.relay(p).GetLienRequest().Granted)
		l.govMsg(l.hub, &types.MsgUnbindDealer{DealerId: dealerID, Route: l.hubRoute()})

		_, p = l.requestLien(dealerID, vinA)
		refused := l.relay(p)
		require.Equal(t, types.ErrUnboundRoute.ABCICode(), refused.GetError().GetCode(), "an unbound dealer takes no new liens")

		p, err := l.releaseLien(dealerID, req)
		require.NoError(t, err)
		rel := l.relay(p)
		require.Nil(t, rel.GetError(), "release refused: %v", rel.GetError())
		require.True(t, rel.GetLienRelease().Released)
		require.Equal(t, types.LIEN_REQUEST_STATUS_RELEASED, l.lienRequest(req).Status)
		active, _ := l.hubLiens(vinB)
		require.Nil(t, active)
	})
}

// TestForceReleaseWhileDealerChainHalted: a dealer chain stops (nothing is
// relayed from it) while it holds a lien. Governance force-releases the lien
// on the hub, the car can be financed again, and when the dealer chain's own
// release arrives later it is answered "already released", settling its
// request.
func TestForceReleaseWhileDealerChainHalted(t *testing.T) {
	l := newLink(t, true)
	l.bind()
	req, p := l.requestLien(dealerID, vinB)
	lienID := l.relay(p).GetLienRequest().LienId

	l.govMsg(l.hub, &types.MsgForceReleaseLien{LienId: lienID, Reason: "dealer chain halted; lender confirmed payoff"})
	active, history := l.hubLiens(vinB)
	require.Nil(t, active)
	require.Equal(t, "dealer chain halted; lender confirmed payoff", history[0].ReleaseReason)
	require.Equal(t, chainapp.GovAuthority(), history[0].ReleasedBy)
	hubLoan := types.LienHolder{Module: "asset", Lender: l.hub.SenderAccount.GetAddress().String(), Reference: "loan/1"}
	_, err := l.hubApp.VehicleKeeper.GrantLien(l.hub.GetContext(), vinB, hubLoan)
	require.NoError(t, err, "the car can be financed again")
	l.hub.NextBlock()

	p, err = l.releaseLien(dealerID, req)
	require.NoError(t, err)
	require.Equal(t, &types.LienReleaseAck{LienId: lienID, Released: true, AlreadyReleased: true}, l.relay(p).GetLienRelease())
	require.Equal(t, types.LIEN_REQUEST_STATUS_RELEASED, l.lienRequest(req).Status)
	active, _ = l.hubLiens(vinB)
	require.Equal(t, hubLoan, active.Holder, "the late release leaves the new lien alone")
}
