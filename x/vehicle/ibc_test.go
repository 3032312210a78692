package vehicle_test

import (
	"encoding/json"
	"testing"
	"time"

	cmttypes "github.com/cometbft/cometbft/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/log/v2"

	abci "github.com/cometbft/cometbft/abci/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"

	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	channeltypesv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"
	ibctesting "github.com/cosmos/ibc-go/v11/testing"

	hubapp "github.com/vinhub/vinhub/hub/app"
	"github.com/vinhub/vinhub/hub/chainapp"
	"github.com/vinhub/vinhub/hub/dealerapp"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	"github.com/vinhub/vinhub/x/vehicle/keeper"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// These tests run the hub app and the dealer app as two different chains
// under ibctesting and move vehicle packets between them, over an IBC v2
// client pair and over a classic v1 channel.

const (
	hubChainID    = "vinhub-test-1"
	dealerChainID = "dealer-test-1"
	dealerID      = "acme"
	vinA          = "1HGCM82633A004352"
	vinB          = "1M8GDM9AXKP042788"
)

var startTime = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// link is a hub and a dealer chain joined by one vehicle route.
type link struct {
	t         testing.TB
	v2        bool
	coord     *ibctesting.Coordinator
	hub       *ibctesting.TestChain
	dealer    *ibctesting.TestChain
	hubApp    *hubapp.App
	dealerApp *dealerapp.App
	// path's endpoint A is the dealer chain, B the hub.
	path *ibctesting.Path
}

// newLink starts both chains, links them over IBC v2 (client + counterparty)
// or a v1 channel on port vehicle, registers dealer acme on both, admits the
// dealer chain's sender as reporter and sets the dealer chain's hub route.
// The hub binding is left to the test.
func newLink(t testing.TB, v2 bool) *link {
	t.Helper()
	// The coordinator only keeps a *testing.T for callers; benchmarks leave it nil.
	tt, _ := t.(*testing.T)
	coord := &ibctesting.Coordinator{T: tt, CurrentTime: startTime}
	hub := newHubChain(t, coord, hubChainID)
	dealer := newDealerChain(t, coord, dealerChainID)
	coord.Chains = map[string]*ibctesting.TestChain{hubChainID: hub, dealerChainID: dealer}
	l := connect(t, coord, hub, dealer, v2)
	l.registerDealer(dealerID, "Acme Motors")
	return l
}

// newHubChain starts a hub app chain whose genesis admits the validators as operators.
func newHubChain(t testing.TB, coord *ibctesting.Coordinator, chainID string) *ibctesting.TestChain {
	t.Helper()
	return newChain(t, coord, chainID, func(vals *cmttypes.ValidatorSet) (ibctesting.TestingApp, map[string]json.RawMessage) {
		app := hubapp.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{})
		gen := app.DefaultGenesis()
		var members membershiptypes.GenesisState
		for _, v := range vals.Validators {
			members.Operators = append(members.Operators, membershiptypes.Operator{Address: sdk.AccAddress(v.Address).String(), Note: "ibctesting validator"})
		}
		gen[membershiptypes.ModuleName] = app.AppCodec().MustMarshalJSON(&members)
		return app, gen
	})
}

// newDealerChain starts a dealer app chain.
func newDealerChain(t testing.TB, coord *ibctesting.Coordinator, chainID string) *ibctesting.TestChain {
	t.Helper()
	return newChain(t, coord, chainID, func(*cmttypes.ValidatorSet) (ibctesting.TestingApp, map[string]json.RawMessage) {
		app := dealerapp.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{})
		return app, app.DefaultGenesis()
	})
}

// connect links a dealer chain to the hub over IBC v2 or a v1 channel on
// port vehicle and sets the dealer chain's hub route.
func connect(t testing.TB, coord *ibctesting.Coordinator, hub, dealer *ibctesting.TestChain, v2 bool) *link {
	t.Helper()
	l := &link{t: t, v2: v2, coord: coord, hub: hub, dealer: dealer, hubApp: hub.App.(*hubapp.App), dealerApp: dealer.App.(*dealerapp.App)}
	l.path = ibctesting.NewPath(l.dealer, l.hub)
	for _, ep := range []*ibctesting.Endpoint{l.path.EndpointA, l.path.EndpointB} {
		ep.ChannelConfig.PortID = types.PortID
		ep.ChannelConfig.Version = types.Version
		ep.ChannelConfig.Order = channeltypes.UNORDERED
	}
	if v2 {
		l.path.SetupV2()
	} else {
		l.path.Setup()
	}
	l.govMsg(l.dealer, &types.MsgSetHubRoute{Route: l.dealerRoute()})
	return l
}

// registerDealer registers a dealer on both chains and admits the dealer
// chain's sender as its reporter there.
func (l *link) registerDealer(id, name string) {
	l.t.Helper()
	l.govMsg(l.hub, &types.MsgRegisterDealer{DealerId: id, Name: name})
	l.govMsg(l.dealer, &types.MsgRegisterDealer{DealerId: id, Name: name})
	l.govMsg(l.dealer, &types.MsgAdmitReporter{DealerId: id, Reporter: l.dealer.SenderAccount.GetAddress().String()})
}

// newChain creates one ibctesting chain with a single validator whose app
// the creator builds knowing the validator set (the hub admits its operators).
func newChain(t testing.TB, coord *ibctesting.Coordinator, chainID string, create func(*cmttypes.ValidatorSet) (ibctesting.TestingApp, map[string]json.RawMessage)) *ibctesting.TestChain {
	t.Helper()
	val, priv := cmttypes.RandValidator(false, 100)
	vals := cmttypes.NewValidatorSet([]*cmttypes.Validator{val})
	saved := ibctesting.DefaultTestingAppInit
	defer func() { ibctesting.DefaultTestingAppInit = saved }()
	ibctesting.DefaultTestingAppInit = func() (ibctesting.TestingApp, map[string]json.RawMessage) { return create(vals) }
	return ibctesting.NewTestChainWithValSet(t, coord, chainID, vals, map[string]cmttypes.PrivValidator{val.Address.String(): priv})
}

// dealerRoute is the dealer chain's end of the link, hubRoute the hub's.
func (l *link) dealerRoute() types.Route { return l.route(l.path.EndpointA) }
func (l *link) hubRoute() types.Route    { return l.route(l.path.EndpointB) }

func (l *link) route(ep *ibctesting.Endpoint) types.Route {
	if l.v2 {
		return types.NewClientRoute(ep.ClientID)
	}
	return types.NewChannelRoute(ep.ChannelID)
}

// govMsg executes an authority message through the chain's vehicle msg
// server, as an executed governance proposal would, and commits a block.
func (l *link) govMsg(chain *ibctesting.TestChain, msg sdk.Msg) {
	l.t.Helper()
	authority := chainapp.GovAuthority()
	server := keeper.NewMsgServerImpl(l.vehicleKeeper(chain))
	ctx := chain.GetContext()
	var err error
	switch m := msg.(type) {
	case *types.MsgRegisterDealer:
		m.Authority = authority
		_, err = server.RegisterDealer(ctx, m)
	case *types.MsgAdmitReporter:
		m.Authority = authority
		_, err = server.AdmitReporter(ctx, m)
	case *types.MsgSetHubRoute:
		m.Authority = authority
		_, err = server.SetHubRoute(ctx, m)
	case *types.MsgBindDealer:
		m.Authority = authority
		_, err = server.BindDealer(ctx, m)
	case *types.MsgUnbindDealer:
		m.Authority = authority
		_, err = server.UnbindDealer(ctx, m)
	case *types.MsgForceReleaseLien:
		m.Authority = authority
		_, err = server.ForceReleaseLien(ctx, m)
	case *types.MsgUpdateParams:
		m.Authority = authority
		_, err = server.UpdateParams(ctx, m)
	default:
		l.t.Fatalf("govMsg: unexpected %T", msg)
	}
	require.NoError(l.t, err)
	chain.NextBlock()
}

func (l *link) vehicleKeeper(chain *ibctesting.TestChain) keeper.Keeper {
	if chain == l.hub {
		return l.hubApp.VehicleKeeper
	}
	return l.dealerApp.VehicleKeeper
}

// bind binds dealer acme to the hub's end of the link.
func (l *link) bind() { l.govMsg(l.hub, &types.MsgBindDealer{DealerId: dealerID, Route: l.hubRoute()}) }

// sentPacket is a vehicle packet the dealer chain sent, in either IBC version.
type sentPacket struct {
	v1 channeltypes.Packet
	v2 channeltypesv2.Packet
}

func (p sentPacket) data() []byte {
	if len(p.v2.Payloads) > 0 {
		return p.v2.Payloads[0].Value
	}
	return p.v1.Data
}

// record has the dealer chain's reporter record inputs in one tx and returns the packet it sent.
func (l *link) record(inputs ...types.RecordInput) sentPacket {
	l.t.Helper()
	return l.recordFor(dealerID, inputs...)
}

// recordFor is record for another dealer of the dealer chain.
func (l *link) recordFor(dealer string, inputs ...types.RecordInput) sentPacket {
	l.t.Helper()
	res, err := l.dealer.SendMsgs(&types.MsgRecordEvents{Reporter: l.dealer.SenderAccount.GetAddress().String(), DealerId: dealer, Records: inputs})
	require.NoError(l.t, err)
	return l.packetFrom(res)
}

// resend submits MsgResendPending on the dealer chain and returns the packet.
func (l *link) resend() sentPacket {
	l.t.Helper()
	res, err := l.dealer.SendMsgs(&types.MsgResendPending{Sender: l.dealer.SenderAccount.GetAddress().String()})
	require.NoError(l.t, err)
	return l.packetFrom(res)
}

func (l *link) packetFrom(res *abci.ExecTxResult) sentPacket {
	l.t.Helper()
	if l.v2 {
		p, err := ibctesting.ParseV2PacketFromEvents(res.Events)
		require.NoError(l.t, err)
		return sentPacket{v2: p}
	}
	p, err := ibctesting.ParseV1PacketFromEvents(res.Events)
	require.NoError(l.t, err)
	return sentPacket{v1: p}
}

// relay delivers the packet to the hub, brings the acknowledgement back to
// the dealer chain and returns the decoded vehicle acknowledgement.
func (l *link) relay(p sentPacket) *types.VehicleAcknowledgement {
	l.t.Helper()
	var ackBz []byte
	if l.v2 {
		require.NoError(l.t, l.path.EndpointB.UpdateClient())
		ack, err := l.path.EndpointB.MsgRecvPacketWithAck(p.v2)
		require.NoError(l.t, err)
		require.Len(l.t, ack.AppAcknowledgements, 1)
		ackBz = ack.AppAcknowledgements[0]
		require.NoError(l.t, l.path.EndpointA.MsgAcknowledgePacket(p.v2, ack))
	} else {
		_, bz, err := l.path.RelayPacketWithResults(p.v1)
		require.NoError(l.t, err)
		ackBz = bz
	}
	data, err := types.DecodePacketData(p.data())
	require.NoError(l.t, err)
	ack, err := types.DecodeAcknowledgement(ackBz, data)
	require.NoError(l.t, err)
	return &ack
}

// timeout lets the packet's timeout pass on the hub and times it out on the dealer chain.
func (l *link) timeout(p sentPacket) {
	l.t.Helper()
	l.coord.IncrementTimeBy(types.DefaultPacketTimeout + time.Minute)
	l.hub.NextBlock()
	require.NoError(l.t, l.path.EndpointA.UpdateClient())
	if l.v2 {
		require.NoError(l.t, l.path.EndpointA.MsgTimeoutPacket(p.v2))
		return
	}
	require.NoError(l.t, l.path.EndpointA.TimeoutPacket(p.v1))
}

func (l *link) hubHistory(vin string) []types.Record {
	l.t.Helper()
	res, err := keeper.NewQueryServerImpl(l.hubApp.VehicleKeeper).History(l.hub.GetContext(), &types.QueryHistoryRequest{Vin: vin})
	require.NoError(l.t, err)
	return res.Records
}

func (l *link) syncState(recordID uint64) types.SyncState {
	l.t.Helper()
	st, err := l.dealerApp.VehicleKeeper.SyncStates.Get(l.dealer.GetContext(), recordID)
	require.NoError(l.t, err)
	return st
}

func (l *link) pendingCount() *types.QueryPendingCountResponse {
	l.t.Helper()
	res, err := keeper.NewQueryServerImpl(l.dealerApp.VehicleKeeper).PendingCount(l.dealer.GetContext(), &types.QueryPendingCountRequest{})
	require.NoError(l.t, err)
	return res
}

func (l *link) hubRecordCount() uint64 {
	l.t.Helper()
	next, err := l.hubApp.VehicleKeeper.NextRecordID.Peek(l.hub.GetContext())
	require.NoError(l.t, err)
	return next - 1
}

func mileage(vin string, km uint64, daysAgo int) types.RecordInput {
	return types.RecordInput{
		Vin: vin, Kind: types.RECORD_KIND_MILEAGE, OdometerKm: km,
		OccurredAt: startTime.AddDate(0, 0, -daysAgo), Location: "Acme Motors, Springfield",
	}
}

// forEachVersion runs a test over an IBC v2 link and over a v1 channel.
func forEachVersion(t *testing.T, test func(t *testing.T, l *link)) {
	for _, v2 := range []bool{true, false} {
		name := "ibc-v1-channel"
		if v2 {
			name = "ibc-v2-client"
		}
		t.Run(name, func(t *testing.T) { test(t, newLink(t, v2)) })
	}
}

func TestRecordsReachHubHistory(t *testing.T) {
	forEachVersion(t, func(t *testing.T, l *link) {
		l.bind()
		p := l.record(mileage(vinA, 41_000, 30), mileage(vinA, 42_500, 10), mileage(vinB, 9_000, 5))
		require.Equal(t, uint64(3), l.pendingCount().InFlight)
		for id := uint64(1); id <= 3; id++ {
			require.Equal(t, types.SYNC_STATUS_IN_FLIGHT, l.syncState(id).Status)
		}

		ack := l.relay(p)
		results := ack.GetRecordBatch().GetResults()
		require.Len(t, results, 3)
		history := l.hubHistory(vinA)
		require.Len(t, history, 2)
		require.Len(t, l.hubHistory(vinB), 1)
		for i, rec := range history {
			require.Equal(t, dealerID, rec.DealerId)
			require.Empty(t, rec.Flags)
			require.NotNil(t, rec.Origin)
			require.Equal(t, dealerChainID, rec.Origin.ChainId)
			require.Equal(t, l.hubRoute(), rec.Origin.Route)
			require.Equal(t, uint64(i+1), rec.Origin.DealerRecordId)
			require.Equal(t, l.dealer.SenderAccount.GetAddress().String(), rec.Origin.Reporter)
			require.Equal(t, results[i].HubRecordId, rec.Id)
		}
		for i, res := range results {
			require.Equal(t, types.RECORD_OUTCOME_ACCEPTED, res.Outcome)
			st := l.syncState(uint64(i + 1))
			require.Equal(t, types.SYNC_STATUS_SYNCED, st.Status)
			require.Equal(t, res.HubRecordId, st.HubRecordId)
		}
		require.Equal(t, &types.QueryPendingCountResponse{}, l.pendingCount())

		byOrigin, err := keeper.NewQueryServerImpl(l.hubApp.VehicleKeeper).RecordByOrigin(l.hub.GetContext(), &types.QueryRecordByOriginRequest{ChainId: dealerChainID, DealerRecordId: 3})
		require.NoError(t, err)
		require.Equal(t, vinB, byOrigin.Record.Input.Vin)
	})
}

// TestRollbackFlaggedAcrossPlatforms: the hub already holds a higher reading
// from another dealer; the dealer chain, which never saw it, sends a lower
// one. The hub keeps and flags it, and the flag comes back to the dealer.
func TestRollbackFlaggedAcrossPlatforms(t *testing.T) {
	forEachVersion(t, func(t *testing.T, l *link) {
		l.bind()
		hubReporter := l.hub.SenderAccount.GetAddress()
		l.govMsg(l.hub, &types.MsgRegisterDealer{DealerId: "bayside", Name: "Bayside Auto"})
		l.govMsg(l.hub, &types.MsgAdmitReporter{DealerId: "bayside", Reporter: hubReporter.String()})
		_, err := l.hub.SendMsgs(&types.MsgRecordEvents{Reporter: hubReporter.String(), DealerId: "bayside", Records: []types.RecordInput{mileage(vinA, 98_000, 40)}})
		require.NoError(t, err)

		p := l.record(mileage(vinA, 61_000, 3))
		local, err := l.dealerApp.VehicleKeeper.Records.Get(l.dealer.GetContext(), 1)
		require.NoError(t, err)
		require.Empty(t, local.Flags, "the dealer chain alone cannot see the rollback")

		res := l.relay(p).GetRecordBatch().GetResults()
		require.Len(t, res, 1)
		require.Equal(t, types.RECORD_OUTCOME_FLAGGED, res[0].Outcome)
		st := l.syncState(1)
		require.Equal(t, types.SYNC_STATUS_FLAGGED, st.Status)
		require.Len(t, st.Flags, 1)
		require.Equal(t, types.FLAG_CODE_ODOMETER_ROLLBACK, st.Flags[0].Code)
		require.Equal(t, uint64(98_000), st.Flags[0].PreviousOdometerKm)

		history := l.hubHistory(vinA)
		require.Len(t, history, 2)
		require.Equal(t, types.FLAG_CODE_ODOMETER_ROLLBACK, history[1].Flags[0].Code)
	})
}

// TestUnboundSourceRefused: without a binding the hub refuses the batch with
// a reason, keeps nothing, and the dealer keeps its records pending; once
// governance binds the dealer, a resend delivers them.
func TestUnboundSourceRefused(t *testing.T) {
	forEachVersion(t, func(t *testing.T, l *link) {
		p := l.record(mileage(vinA, 10_000, 2))
		ack := l.relay(p)
		require.NotNil(t, ack.GetError())
		require.Equal(t, types.ModuleName, ack.GetError().Codespace)
		require.Equal(t, types.ErrUnboundRoute.ABCICode(), ack.GetError().Code)
		require.Contains(t, ack.GetError().Message, "MsgBindDealer")
		require.Zero(t, l.hubRecordCount())

		st := l.syncState(1)
		require.Equal(t, types.SYNC_STATUS_PENDING, st.Status)
		require.Contains(t, st.Reason, "hub refused the batch")
		_, err := l.dealerApp.VehicleKeeper.Records.Get(l.dealer.GetContext(), 1)
		require.NoError(t, err, "the dealer's local record is kept")

		l.bind()
		res := l.relay(l.resend()).GetRecordBatch().GetResults()
		require.Len(t, res, 1)
		require.Equal(t, types.SYNC_STATUS_SYNCED, l.syncState(1).Status)
		require.Equal(t, uint32(2), l.syncState(1).Attempts)
		require.Len(t, l.hubHistory(vinA), 1)
	})
}

// TestTimeoutResendNoDuplicates: a timed-out packet returns its records to
// pending; the resend delivers each once; a dealer chain that re-sends
// records the hub already holds gets the earlier results back, marked
// duplicate, and the hub's history does not grow.
func TestTimeoutResendNoDuplicates(t *testing.T) {
	forEachVersion(t, func(t *testing.T, l *link) {
		l.bind()
		lost := l.record(mileage(vinA, 20_000, 20), mileage(vinA, 21_000, 19))
		l.timeout(lost)
		require.Equal(t, &types.QueryPendingCountResponse{Pending: 2}, l.pendingCount())
		require.Contains(t, l.syncState(1).Reason, "timed out")

		// The next local batch carries the pending records along with its own.
		p := l.record(mileage(vinA, 22_000, 1))
		data, err := types.DecodePacketData(p.data())
		require.NoError(t, err)
		require.Len(t, data.GetRecordBatch().Records, 3)
		first := l.relay(p).GetRecordBatch().GetResults()
		require.Len(t, l.hubHistory(vinA), 3)

		// Simulate a dealer chain that lost track (say, restored from an old
		// export) and sends everything again.
		ctx := l.dealer.GetContext()
		k := l.dealerApp.VehicleKeeper
		for id := uint64(1); id <= 3; id++ {
			st := l.syncState(id)
			st.Status = types.SYNC_STATUS_PENDING
			require.NoError(t, k.SyncStates.Set(ctx, id, st))
			require.NoError(t, k.Pending.Set(ctx, collections.Join(st.Attempts, id)))
		}
		l.dealer.NextBlock()
		hubIDs := make(map[uint64]uint64)
		for _, r := range first {
			hubIDs[r.DealerRecordId] = r.HubRecordId
		}
		again := l.relay(l.resend()).GetRecordBatch().GetResults()
		require.Len(t, again, 3)
		for _, r := range again {
			require.True(t, r.Duplicate)
			require.Equal(t, hubIDs[r.DealerRecordId], r.HubRecordId)
			require.Equal(t, types.SYNC_STATUS_SYNCED, l.syncState(r.DealerRecordId).Status)
		}
		require.Len(t, l.hubHistory(vinA), 3)
		require.Equal(t, uint64(3), l.hubRecordCount())
	})
}

// TestBadPacketsRefused forges packets a faulty dealer chain could commit
// and relays them with real proofs: each is refused with a clear error
// acknowledgement and the hub's records do not change.
func TestBadPacketsRefused(t *testing.T) {
	batch := func(dealer string, n int) []byte {
		recs := make([]types.PacketRecord, n)
		for i := range recs {
			recs[i] = types.PacketRecord{DealerRecordId: uint64(100 + i), Reporter: "cosmos1dealerreporter", Input: mileage(vinA, uint64(1000*(i+1)), 3)}
		}
		d := types.NewRecordBatchPacketData(dealer, recs)
		bz, err := d.Marshal()
		require.NoError(t, err)
		return bz
	}
	tests := []struct {
		name    string
		data    func() []byte
		version string
		wantErr *errorsmod.Error
	}{
		{"garbage bytes", func() []byte { return []byte("not a protobuf message \xff\xff") }, types.Version, types.ErrInvalidPacketData},
		{"unknown packet type", func() []byte { return []byte{0x7a, 0x00} }, types.Version, types.ErrUnknownPacketType},
		{"dealer not bound to the source", func() []byte { return batch("bayside", 1) }, types.Version, types.ErrDealerNotBound},
		{"oversized batch", func() []byte { return batch(dealerID, 3) }, types.Version, types.ErrBatchTooLarge},
		{"duplicate record ids", func() []byte {
			d := types.NewRecordBatchPacketData(dealerID, []types.PacketRecord{
				{DealerRecordId: 7, Reporter: "r", Input: mileage(vinA, 1, 1)}, {DealerRecordId: 7, Reporter: "r", Input: mileage(vinA, 2, 1)},
			})
			bz, _ := d.Marshal()
			return bz
		}, types.Version, types.ErrInvalidPacketData},
	}
	forEachVersion(t, func(t *testing.T, l *link) {
		l.bind()
		l.govMsg(l.hub, &types.MsgUpdateParams{Params: types.Params{MaxRecordsPerBatch: 2, MaxClockSkew: time.Minute, PacketTimeout: time.Minute, MaxOdometerKmPerDay: types.DefaultMaxOdometerKmPerDay}})
		cases := tests
		if l.v2 {
			cases = append(cases, struct {
				name    string
				data    func() []byte
				version string
				wantErr *errorsmod.Error
			}{"wrong payload version", func() []byte { return batch(dealerID, 1) }, "ics20-1", types.ErrInvalidChannel})
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := l.hubRecordCount()
				ack := l.relayForged(tc.data(), tc.version)
				require.NotNil(t, ack.GetError(), "want a refusal")
				require.Equal(t, types.ModuleName, ack.GetError().Codespace)
				require.Equal(t, tc.wantErr.ABCICode(), ack.GetError().Code, ack.GetError().Message)
				require.Equal(t, before, l.hubRecordCount())
			})
		}
	})
}

// relayForged commits raw packet data on the dealer chain's vehicle port as
// a faulty dealer chain would, delivers it to the hub with a real proof and
// returns the hub's acknowledgement.
func (l *link) relayForged(data []byte, version string) types.VehicleAcknowledgement {
	l.t.Helper()
	ctx := l.dealer.GetContext()
	ibc := l.dealerApp.GetIBCKeeper()
	timeout := l.coord.CurrentTime.Add(time.Hour)
	var ackBz []byte
	if l.v2 {
		src := l.path.EndpointA.ClientID
		seq, ok := ibc.ChannelKeeperV2.GetNextSequenceSend(ctx, src)
		require.True(l.t, ok)
		payload := channeltypesv2.NewPayload(types.PortID, types.PortID, version, types.EncodingProtobuf, data)
		packet := channeltypesv2.NewPacket(seq, src, l.path.EndpointB.ClientID, uint64(timeout.Unix()), payload)
		ibc.ChannelKeeperV2.SetPacketCommitment(ctx, src, seq, channeltypesv2.CommitPacket(packet))
		ibc.ChannelKeeperV2.SetNextSequenceSend(ctx, src, seq+1)
		l.dealer.NextBlock()
		require.NoError(l.t, l.path.EndpointB.UpdateClient())
		ack, err := l.path.EndpointB.MsgRecvPacketWithAck(packet)
		require.NoError(l.t, err)
		ackBz = ack.AppAcknowledgements[0]
	} else {
		ch := l.path.EndpointA.ChannelID
		seq, ok := ibc.ChannelKeeper.GetNextSequenceSend(ctx, types.PortID, ch)
		require.True(l.t, ok)
		packet := channeltypes.NewPacket(data, seq, types.PortID, ch, types.PortID, l.path.EndpointB.ChannelID, clienttypes.ZeroHeight(), uint64(timeout.UnixNano()))
		ibc.ChannelKeeper.SetPacketCommitment(ctx, types.PortID, ch, seq, channeltypes.CommitPacket(packet))
		ibc.ChannelKeeper.SetNextSequenceSend(ctx, types.PortID, ch, seq+1)
		l.dealer.NextBlock()
		require.NoError(l.t, l.path.EndpointB.UpdateClient())
		res, err := l.path.EndpointB.RecvPacketWithResult(packet)
		require.NoError(l.t, err)
		ackBz, err = ibctesting.ParseAckFromEvents(res.Events)
		require.NoError(l.t, err)
	}
	var ack types.VehicleAcknowledgement
	require.NoError(l.t, ack.Unmarshal(ackBz))
	return ack
}

// TestUserCannotSendVehiclePackets: IBC v2 lets anyone submit MsgSendPacket;
// the dealer chain's vehicle module refuses payloads it did not build.
func TestUserCannotSendVehiclePackets(t *testing.T) {
	l := newLink(t, true)
	d := types.NewRecordBatchPacketData(dealerID, []types.PacketRecord{{DealerRecordId: 1, Reporter: "x", Input: mileage(vinA, 1, 1)}})
	bz, err := d.Marshal()
	require.NoError(t, err)
	payload := channeltypesv2.NewPayload(types.PortID, types.PortID, types.Version, types.EncodingProtobuf, bz)
	_, err = l.path.EndpointA.MsgSendPacket(uint64(l.coord.CurrentTime.Add(time.Hour).Unix()), payload)
	require.ErrorContains(t, err, types.ErrUnauthorizedSender.Error())
}

// TestChannelHandshakeRules: v1 vehicle channels are unordered and speak vinhub-vehicle-1.
func TestChannelHandshakeRules(t *testing.T) {
	tests := []struct {
		name     string
		malleate func(ep *ibctesting.Endpoint)
	}{
		{"wrong version", func(ep *ibctesting.Endpoint) { ep.ChannelConfig.Version = "ics20-1" }},
		{"ordered channel", func(ep *ibctesting.Endpoint) { ep.ChannelConfig.Order = channeltypes.ORDERED }},
		{"counterparty on another port", func(ep *ibctesting.Endpoint) { ep.Counterparty.ChannelConfig.PortID = "transfer" }},
	}
	l := newLink(t, false)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := ibctesting.NewPath(l.dealer, l.hub)
			path.EndpointA.ConnectionID, path.EndpointB.ConnectionID = l.path.EndpointA.ConnectionID, l.path.EndpointB.ConnectionID
			path.EndpointA.ClientID, path.EndpointB.ClientID = l.path.EndpointA.ClientID, l.path.EndpointB.ClientID
			for _, ep := range []*ibctesting.Endpoint{path.EndpointA, path.EndpointB} {
				ep.ChannelConfig.PortID, ep.ChannelConfig.Version, ep.ChannelConfig.Order = types.PortID, types.Version, channeltypes.UNORDERED
			}
			tc.malleate(path.EndpointA)
			err := path.EndpointA.ChanOpenInit()
			require.Error(t, err)
			require.Contains(t, err.Error(), types.ErrInvalidChannel.Error())
		})
	}
}

// TestSetHubRouteNeedsARealRoute: the dealer chain refuses a route that does not exist.
func TestSetHubRouteNeedsARealRoute(t *testing.T) {
	l := newLink(t, true)
	server := keeper.NewMsgServerImpl(l.dealerApp.VehicleKeeper)
	for _, route := range []types.Route{types.NewClientRoute("07-tendermint-99"), types.NewChannelRoute("channel-42")} {
		_, err := server.SetHubRoute(l.dealer.GetContext(), &types.MsgSetHubRoute{Authority: chainapp.GovAuthority(), Route: route})
		require.ErrorIs(t, err, types.ErrRouteNotFound, route.Key())
	}
	_, err := keeper.NewMsgServerImpl(l.hubApp.VehicleKeeper).BindDealer(l.hub.GetContext(), &types.MsgBindDealer{Authority: chainapp.GovAuthority(), DealerId: "nobody", Route: l.hubRoute()})
	require.ErrorIs(t, err, types.ErrUnknownDealer)
}

// TestRecordRejectedAlone: a record the dealer chain accepted but the hub
// refuses (here: dated further ahead than the hub's clock-skew allowance) is
// rejected on its own with the reason; the rest of the batch is applied and
// the dealer keeps the rejected record in its local history.
func TestRecordRejectedAlone(t *testing.T) {
	forEachVersion(t, func(t *testing.T, l *link) {
		l.bind()
		l.govMsg(l.hub, &types.MsgUpdateParams{Params: types.Params{MaxRecordsPerBatch: 100, MaxClockSkew: 0, PacketTimeout: time.Minute, MaxOdometerKmPerDay: types.DefaultMaxOdometerKmPerDay}})
		ahead := mileage(vinB, 12_000, 0)
		ahead.OccurredAt = l.coord.CurrentTime.Add(5 * time.Minute)
		res := l.relay(l.record(mileage(vinA, 11_000, 1), ahead)).GetRecordBatch().GetResults()
		require.Len(t, res, 2)
		require.Equal(t, types.RECORD_OUTCOME_ACCEPTED, res[0].Outcome)
		require.Equal(t, types.RECORD_OUTCOME_REJECTED, res[1].Outcome)
		require.Equal(t, types.ErrFutureTimestamp.ABCICode(), res[1].Code)

		require.Equal(t, types.SYNC_STATUS_SYNCED, l.syncState(1).Status)
		rejected := l.syncState(2)
		require.Equal(t, types.SYNC_STATUS_REJECTED, rejected.Status)
		require.Contains(t, rejected.Reason, "future")
		_, err := l.dealerApp.VehicleKeeper.Records.Get(l.dealer.GetContext(), 2)
		require.NoError(t, err)
		require.Len(t, l.hubHistory(vinA), 1)
		require.Empty(t, l.hubHistory(vinB))
		require.Equal(t, &types.QueryPendingCountResponse{}, l.pendingCount())
	})
}

// TestUniversalErrorAckKeepsRecords: IBC v2 core writes a universal error
// acknowledgement when a receiving app fails; the dealer chain cannot read a
// reason from it but must still keep the records and return them to pending.
func TestUniversalErrorAckKeepsRecords(t *testing.T) {
	l := newLink(t, true)
	p := l.record(mileage(vinA, 5_000, 1)).v2
	app := l.dealerApp.IBCRouterV2.Route(types.PortID)
	err := app.OnAcknowledgementPacket(l.dealer.GetContext(), p.SourceClient, p.DestinationClient, p.Sequence,
		channeltypesv2.ErrorAcknowledgement[:], p.Payloads[0], l.dealer.SenderAccount.GetAddress())
	require.NoError(t, err)
	st := l.syncState(1)
	require.Equal(t, types.SYNC_STATUS_PENDING, st.Status)
	require.Contains(t, st.Reason, "universal error acknowledgement")
}

// TestRefusedDealerDoesNotBlockOthers: a dealer chain hosting two dealers,
// only one bound on the hub. The unbound dealer's refused records go back to
// pending, but records tried fewer times go first, so the bound dealer's
// next batch is delivered instead of the refused one again.
func TestRefusedDealerDoesNotBlockOthers(t *testing.T) {
	l := newLink(t, false)
	l.bind()
	l.govMsg(l.dealer, &types.MsgRegisterDealer{DealerId: "bayside", Name: "Bayside Auto"})
	l.govMsg(l.dealer, &types.MsgAdmitReporter{DealerId: "bayside", Reporter: l.dealer.SenderAccount.GetAddress().String()})

	refused := l.relay(l.recordFor("bayside", mileage(vinB, 3_000, 2)))
	require.Equal(t, types.ErrDealerNotBound.ABCICode(), refused.GetError().GetCode())
	require.Equal(t, types.SYNC_STATUS_PENDING, l.syncState(1).Status)

	p := l.record(mileage(vinA, 7_000, 1))
	data, err := types.DecodePacketData(p.data())
	require.NoError(t, err)
	require.Equal(t, dealerID, data.GetRecordBatch().DealerId)
	require.Len(t, l.relay(p).GetRecordBatch().GetResults(), 1)
	require.Equal(t, types.SYNC_STATUS_SYNCED, l.syncState(2).Status)
	require.Equal(t, &types.QueryPendingCountResponse{Pending: 1}, l.pendingCount())
}

// TestSendFailureKeepsLocalRecord: when IBC cannot send (here the dealer
// chain's light client of the hub is frozen), the reporter's tx still
// succeeds, the record is kept locally and waits, pending, with the reason.
func TestSendFailureKeepsLocalRecord(t *testing.T) {
	l := newLink(t, true)
	l.bind()
	l.path.EndpointA.FreezeClient()
	res, err := l.dealer.SendMsgs(&types.MsgRecordEvents{Reporter: l.dealer.SenderAccount.GetAddress().String(), DealerId: dealerID, Records: []types.RecordInput{mileage(vinA, 8_000, 1)}})
	require.NoError(t, err)
	_, err = ibctesting.ParseV2PacketFromEvents(res.Events)
	require.Error(t, err, "no packet may be sent")
	st := l.syncState(1)
	require.Equal(t, types.SYNC_STATUS_PENDING, st.Status)
	require.Contains(t, st.Reason, "send to hub failed")
	require.Contains(t, st.Reason, "Frozen")
	_, err = l.dealerApp.VehicleKeeper.Records.Get(l.dealer.GetContext(), 1)
	require.NoError(t, err)
}

// TestOriginCollisionRejected: a dealer chain relaunched under an old chain
// id re-uses record ids for other records. The hub must not answer
// "duplicate" (which would mark them synced); it rejects them with the reason.
func TestOriginCollisionRejected(t *testing.T) {
	l := newLink(t, true)
	l.bind()
	l.relay(l.record(mileage(vinA, 30_000, 4)))

	ctx := l.dealer.GetContext()
	k := l.dealerApp.VehicleKeeper
	rec, err := k.Records.Get(ctx, 1)
	require.NoError(t, err)
	rec.Input.OdometerKm = 31_000
	require.NoError(t, k.Records.Set(ctx, 1, rec))
	st := l.syncState(1)
	st.Status = types.SYNC_STATUS_PENDING
	require.NoError(t, k.SyncStates.Set(ctx, 1, st))
	require.NoError(t, k.Pending.Set(ctx, collections.Join(st.Attempts, uint64(1))))
	l.dealer.NextBlock()

	res := l.relay(l.resend()).GetRecordBatch().GetResults()
	require.Len(t, res, 1)
	require.Equal(t, types.RECORD_OUTCOME_REJECTED, res[0].Outcome)
	require.Contains(t, res[0].Reason, "origin collision")
	require.Equal(t, types.SYNC_STATUS_REJECTED, l.syncState(1).Status)
	require.Len(t, l.hubHistory(vinA), 1)
}
