package vehicle_test

import (
	"bytes"
	"crypto/ecdh"
	"testing"

	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	abci "github.com/cometbft/cometbft/abci/types"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	channeltypesv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"
	hostv2 "github.com/cosmos/ibc-go/v11/modules/core/24-host/v2"
	ibctesting "github.com/cosmos/ibc-go/v11/testing"

	"github.com/vinhub/vinhub/sealed"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	"github.com/vinhub/vinhub/x/vehicle/keeper"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// salePrice is the sealed plaintext the tests look for everywhere.
var salePrice = []byte("SEALED-PRICE-18500-EUR")

// sealedParty is a hub account with a registered encryption key.
type sealedParty struct {
	addr sdk.AccAddress
	priv *ecdh.PrivateKey
	id   sealed.KeyID
}

// hubRegulator is granted the regulator role on the hub and governance sets its key.
func (l *link) hubRegulator(t *testing.T) sealedParty {
	t.Helper()
	p := sealedParty{addr: sdk.AccAddress(bytes.Repeat([]byte{0x77}, 20))}
	var err error
	p.priv, err = sealed.GenerateKey()
	require.NoError(t, err)
	mk, ctx := l.hubApp.MembershipKeeper, l.hub.GetContext()
	require.NoError(t, mk.GrantRole(ctx, p.addr, membershiptypes.ROLE_REGULATOR, "vehicle authority"))
	v, err := mk.SetEncryptionKey(ctx, p.addr, p.priv.PublicKey().Bytes())
	require.NoError(t, err)
	l.hub.NextBlock()
	p.id = sealed.KeyID{Address: p.addr.String(), Version: v}
	return p
}

// sealedSale is a sale of vinA with its price sealed to the regulator.
func sealedSale(t *testing.T, to ...sealedParty) types.RecordInput {
	t.Helper()
	keys := make([]sealed.RecipientKey, len(to))
	for i, p := range to {
		keys[i] = sealed.RecipientKey{KeyID: p.id, PublicKey: p.priv.PublicKey().Bytes()}
	}
	env, err := sealed.Seal(types.SealedSubject(vinA, dealerID), []sealed.PlainField{{Name: "sale_price", Value: salePrice}}, keys)
	require.NoError(t, err)
	in := mileage(vinA, 41_000, 2)
	in.Kind = types.RECORD_KIND_OWNERSHIP_TRANSFER
	in.Sealed = env
	return in
}

// relayCollect relays a packet to the hub and back and returns the vehicle
// acknowledgement with the hub's events of the delivery.
func (l *link) relayCollect(p sentPacket) (*types.VehicleAcknowledgement, []abci.Event) {
	l.t.Helper()
	var (
		ackBz  []byte
		events []abci.Event
	)
	if l.v2 {
		require.NoError(l.t, l.path.EndpointB.UpdateClient())
		proof, height := l.dealer.QueryProof(hostv2.PacketCommitmentKey(p.v2.SourceClient, p.v2.Sequence))
		res, err := l.hub.SendMsgs(channeltypesv2.NewMsgRecvPacket(p.v2, proof, height, l.hub.SenderAccount.GetAddress().String()))
		require.NoError(l.t, err)
		events = res.Events
		bz, err := ibctesting.ParseAckV2FromEvents(res.Events)
		require.NoError(l.t, err)
		var ack channeltypesv2.Acknowledgement
		require.NoError(l.t, proto.Unmarshal(bz, &ack))
		require.NoError(l.t, l.path.EndpointA.UpdateClient())
		require.NoError(l.t, l.path.EndpointA.MsgAcknowledgePacket(p.v2, ack))
		ackBz = ack.AppAcknowledgements[0]
	} else {
		res, bz, err := l.path.RelayPacketWithResults(p.v1)
		require.NoError(l.t, err)
		events, ackBz = res.Events, bz
	}
	data, err := types.DecodePacketData(p.data())
	require.NoError(l.t, err)
	ack, err := types.DecodeAcknowledgement(ackBz, data)
	require.NoError(l.t, err)
	return &ack, events
}

// requireNowhere fails if needle is in any key or value of any store of the
// chain, or in any event attribute.
func requireNowhere(t *testing.T, chain *ibctesting.TestChain, needle []byte, events []abci.Event) {
	t.Helper()
	ms, ok := chain.App.GetBaseApp().CommitMultiStore().(interface {
		StoreKeysByName() map[string]storetypes.StoreKey
	})
	require.True(t, ok)
	ctx := chain.GetContext()
	for name, key := range ms.StoreKeysByName() {
		it := ctx.MultiStore().GetKVStore(key).Iterator(nil, nil)
		for ; it.Valid(); it.Next() {
			require.False(t, bytes.Contains(it.Key(), needle) || bytes.Contains(it.Value(), needle),
				"plaintext in store %s of %s", name, chain.ChainID)
		}
		require.NoError(t, it.Close())
	}
	for _, ev := range events {
		for _, a := range ev.Attributes {
			require.False(t, bytes.Contains([]byte(a.Value), needle), "plaintext in event %s of %s", ev.Type, chain.ChainID)
		}
	}
}

// TestSealedRecordCrossesToHub: a dealer's record with a sealed sale price
// crosses to the hub, which checks the envelope's recipient keys and stores
// it; the regulator opens it from the hub's record; the price is in no store
// and no event of either chain, nor in the packet.
func TestSealedRecordCrossesToHub(t *testing.T) {
	forEachVersion(t, func(t *testing.T, l *link) {
		l.bind()
		regulator := l.hubRegulator(t)
		in := sealedSale(t, regulator)

		res, err := l.dealer.SendMsgs(&types.MsgRecordEvents{Reporter: l.dealer.SenderAccount.GetAddress().String(), DealerId: dealerID, Records: []types.RecordInput{in}})
		require.NoError(t, err)
		p := l.packetFrom(res)
		require.False(t, bytes.Contains(p.data(), salePrice), "plaintext in the packet")
		ack, hubEvents := l.relayCollect(p)
		results := ack.GetRecordBatch().GetResults()
		require.Len(t, results, 1)
		require.Equal(t, types.RECORD_OUTCOME_ACCEPTED, results[0].Outcome, results[0].Reason)

		history := l.hubHistory(vinA)
		require.Len(t, history, 1)
		require.Equal(t, in.Sealed, history[0].Input.Sealed)
		fields, err := sealed.Open(history[0].Input.Sealed, regulator.id, regulator.priv)
		require.NoError(t, err)
		require.Equal(t, salePrice, fields[0].Value)

		requireNowhere(t, l.dealer, salePrice, res.Events)
		requireNowhere(t, l.hub, salePrice, hubEvents)
	})
}

// TestSealedRecordRefusals: the dealer chain refuses a malformed envelope
// (structure and subject are checked everywhere); the hub rejects a record
// sealed to a key it has not registered, and keeps nothing of it.
func TestSealedRecordRefusals(t *testing.T) {
	forEachVersion(t, func(t *testing.T, l *link) {
		l.bind()
		regulator := l.hubRegulator(t)
		reporter := l.dealer.SenderAccount.GetAddress().String()

		dealerMsgs := keeper.NewMsgServerImpl(l.dealerApp.VehicleKeeper)
		wrongSubject := sealedSale(t, regulator)
		wrongSubject.Vin = vinB
		_, err := dealerMsgs.RecordEvents(l.dealer.GetContext(), &types.MsgRecordEvents{Reporter: reporter, DealerId: dealerID, Records: []types.RecordInput{wrongSubject}})
		require.ErrorIs(t, err, types.ErrInvalidSealed)

		malformed := sealedSale(t, regulator)
		malformed.Sealed.Recipients[0].Enc = malformed.Sealed.Recipients[0].Enc[:5]
		_, err = dealerMsgs.RecordEvents(l.dealer.GetContext(), &types.MsgRecordEvents{Reporter: reporter, DealerId: dealerID, Records: []types.RecordInput{malformed}})
		require.ErrorIs(t, err, types.ErrInvalidSealed)
		require.Zero(t, l.pendingCount().InFlight+l.pendingCount().Pending)

		unregistered := regulator
		unregistered.id.Version = 2 // never registered
		ack := l.relay(l.record(sealedSale(t, unregistered)))
		results := ack.GetRecordBatch().GetResults()
		require.Len(t, results, 1)
		require.Equal(t, types.RECORD_OUTCOME_REJECTED, results[0].Outcome)
		require.Equal(t, types.ErrInvalidSealed.ABCICode(), results[0].Code)
		require.Empty(t, l.hubHistory(vinA))
	})
}

// TestSealedRecordKeysCheckedOnHub: the hub rejects (code 48) a dealer's
// record whose regulator entry is sealed to a substituted key (what a lying
// keys node hands a dealer) and one that leaves the regulator out; a record
// sealed to the regulator's key that governance rotated while the packet
// was in flight is accepted.
func TestSealedRecordKeysCheckedOnHub(t *testing.T) {
	forEachVersion(t, func(t *testing.T, l *link) {
		l.bind()
		regulator := l.hubRegulator(t)
		lender := sealedParty{addr: sdk.AccAddress(bytes.Repeat([]byte{0x78}, 20))}
		var err error
		lender.priv, err = sealed.GenerateKey()
		require.NoError(t, err)
		mk, ctx := l.hubApp.MembershipKeeper, l.hub.GetContext()
		require.NoError(t, mk.GrantRole(ctx, lender.addr, membershiptypes.ROLE_LENDER, "bank"))
		v, err := mk.RegisterEncryptionKey(ctx, lender.addr, lender.priv.PublicKey().Bytes(), "")
		require.NoError(t, err)
		lender.id = sealed.KeyID{Address: lender.addr.String(), Version: v}
		l.hub.NextBlock()

		substituted := regulator
		substituted.priv, err = sealed.GenerateKey()
		require.NoError(t, err)
		for name, in := range map[string]types.RecordInput{
			"substituted regulator key": sealedSale(t, lender, substituted),
			"regulator left out":        sealedSale(t, lender),
		} {
			results := l.relay(l.record(in)).GetRecordBatch().GetResults()
			require.Len(t, results, 1, name)
			require.Equal(t, types.RECORD_OUTCOME_REJECTED, results[0].Outcome, name)
			require.Equal(t, types.ErrInvalidSealed.ABCICode(), results[0].Code, name)
			require.Empty(t, l.hubHistory(vinA), name)
		}

		inFlight := l.record(sealedSale(t, regulator))
		next, err := sealed.GenerateKey()
		require.NoError(t, err)
		_, err = mk.SetEncryptionKey(l.hub.GetContext(), regulator.addr, next.PublicKey().Bytes())
		require.NoError(t, err)
		l.hub.NextBlock()
		results := l.relay(inFlight).GetRecordBatch().GetResults()
		require.Len(t, results, 1)
		require.Equal(t, types.RECORD_OUTCOME_ACCEPTED, results[0].Outcome, results[0].Reason)
	})
}
