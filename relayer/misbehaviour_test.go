package relayer

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/tmhash"
	cmttypes "github.com/cometbft/cometbft/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log/v2"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/exported"
	ibctm "github.com/cosmos/ibc-go/v11/modules/light-clients/07-tendermint"
	ibctesting "github.com/cosmos/ibc-go/v11/testing"

	"github.com/vinhub/vinhub/client"
	hubapp "github.com/vinhub/vinhub/hub/app"
	"github.com/vinhub/vinhub/hub/dealerapp"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
)

// testChain starts one ibctesting chain with a single validator, whose
// app and genesis create builds knowing the validator set.
func testChain(t *testing.T, coord *ibctesting.Coordinator, chainID string, create func(*cmttypes.ValidatorSet) (ibctesting.TestingApp, map[string]json.RawMessage)) *ibctesting.TestChain {
	t.Helper()
	val, priv := cmttypes.RandValidator(false, 100)
	vals := cmttypes.NewValidatorSet([]*cmttypes.Validator{val})
	saved := ibctesting.DefaultTestingAppInit
	defer func() { ibctesting.DefaultTestingAppInit = saved }()
	ibctesting.DefaultTestingAppInit = func() (ibctesting.TestingApp, map[string]json.RawMessage) { return create(vals) }
	return ibctesting.NewTestChainWithValSet(t, coord, chainID, vals, map[string]cmttypes.PrivValidator{val.Address.String(): priv})
}

// hubWithOperators is the hub app whose genesis admits vals as operators
// (the hub runs only admitted validators).
func hubWithOperators(vals *cmttypes.ValidatorSet) (ibctesting.TestingApp, map[string]json.RawMessage) {
	app := hubapp.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{})
	gen := app.DefaultGenesis()
	var members membershiptypes.GenesisState
	for _, v := range vals.Validators {
		members.Operators = append(members.Operators, membershiptypes.Operator{Address: sdk.AccAddress(v.Address).String(), Note: "ibctesting validator"})
	}
	gen[membershiptypes.ModuleName] = app.AppCodec().MustMarshalJSON(&members)
	return app, gen
}

// hubAndDealer starts a hub and a dealer chain, and a path from the hub
// (end A) to the dealer chain with no client yet.
func hubAndDealer(t *testing.T) (*ibctesting.Coordinator, *ibctesting.TestChain, *ibctesting.TestChain, *ibctesting.Path) {
	t.Helper()
	coord := &ibctesting.Coordinator{T: t, CurrentTime: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	hub := testChain(t, coord, "vinhub-test-1", hubWithOperators)
	dealer := testChain(t, coord, "dealer-test-1", dealerDefaults)
	coord.Chains = map[string]*ibctesting.TestChain{hub.ChainID: hub, dealer.ChainID: dealer}
	return coord, hub, dealer, ibctesting.NewPath(hub, dealer)
}

// dealerDefaults is the dealer chain app with its default genesis.
func dealerDefaults(*cmttypes.ValidatorSet) (ibctesting.TestingApp, map[string]json.RawMessage) {
	app := dealerapp.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{})
	return app, app.DefaultGenesis()
}

// forkedLink is a hub holding a light client of a dealer chain, and a
// header the dealer chain never committed: its validator's key signed a
// second block at the height of the dealer's latest, with another app hash.
type forkedLink struct {
	hub, dealer *ibctesting.TestChain
	clientID    string
	trusted     clienttypes.Height
	honest      *ibctm.Header
	// committed: the dealer's headers from the client's trusted height on.
	committed map[int64]*ibctm.Header
	forged    *ibctm.Header
}

func newForkedLink(t *testing.T) *forkedLink {
	t.Helper()
	coord, hub, dealer, path := hubAndDealer(t)
	require.NoError(t, path.EndpointA.CreateClient())
	atCreation := dealer.LatestCommittedHeader // the hub's client starts from it
	l := &forkedLink{hub: hub, dealer: dealer, clientID: path.EndpointA.ClientID,
		trusted: path.EndpointA.GetClientLatestHeight().(clienttypes.Height)}
	l.committed = map[int64]*ibctm.Header{atCreation.Header.Height: atCreation}
	for range 3 {
		coord.IncrementTime() // block times must increase, or ibc-go sees misbehaviour in them
		dealer.NextBlock()
		l.committed[dealer.LatestCommittedHeader.Header.Height] = dealer.LatestCommittedHeader
	}
	trustedVals, err := dealer.TrustedValidators[l.trusted.RevisionHeight].ToProto()
	require.NoError(t, err)
	committed := dealer.LatestCommittedHeader
	l.honest = &ibctm.Header{SignedHeader: committed.SignedHeader, ValidatorSet: committed.ValidatorSet, TrustedHeight: l.trusted, TrustedValidators: trustedVals}
	fork, err := cmttypes.HeaderFromProto(l.honest.Header)
	require.NoError(t, err)
	fork.AppHash = tmhash.Sum([]byte("state the dealer chain never had"))
	signed, err := ibctesting.CommitHeader(fork, dealer.Vals, dealer.Signers)
	require.NoError(t, err)
	l.forged = &ibctm.Header{SignedHeader: signed, ValidatorSet: l.honest.ValidatorSet, TrustedHeight: l.trusted, TrustedValidators: trustedVals}
	return l
}

// rawTx encodes msgs as the hub's transaction bytes in a block.
func rawTx(t *testing.T, chain *ibctesting.TestChain, msgs ...sdk.Msg) []byte {
	t.Helper()
	b := chain.TxConfig.NewTxBuilder()
	require.NoError(t, b.SetMsgs(msgs...))
	bz, err := chain.TxConfig.TxEncoder()(b.GetTx())
	require.NoError(t, err)
	return bz
}

// TestMisbehaviourFreezesClient: another submitter updates the hub's
// client of the dealer chain with a forged header (a real second signature
// of the dealer's validator at the same height, another app hash), which
// ibc-go accepts as a new height. The relayer's check of that update
// against the dealer's own header finds the conflict, it finds the forged
// header in the host block's transactions, and the misbehaviour it builds,
// delivered to the hub's real IBC keeper, freezes the client.
func TestMisbehaviourFreezesClient(t *testing.T) {
	l := newForkedLink(t)
	other := l.hub.SenderAccount.GetAddress().String()
	update, err := clienttypes.NewMsgUpdateClient(l.clientID, l.forged, other)
	require.NoError(t, err)
	_, err = l.hub.SendMsgs(update)
	require.NoError(t, err, "a forged header at a new height is accepted")
	keeper := l.hub.App.GetIBCKeeper().ClientKeeper
	require.Equal(t, ibcexported.Active, keeper.GetClientStatus(l.hub.GetContext(), l.clientID))

	h := l.forged.GetHeight()
	stored, ok := keeper.GetClientConsensusState(l.hub.GetContext(), l.clientID, h)
	require.True(t, ok)
	cons := stored.(*ibctm.ConsensusState)
	real, err := cmttypes.HeaderFromProto(l.honest.Header)
	require.NoError(t, err)
	require.ErrorIs(t, compareTrusted(cons, &real), ErrConflictingHeader)

	honestUpdate, err := clienttypes.NewMsgUpdateClient(l.clientID, l.honest, other)
	require.NoError(t, err)
	block := [][]byte{[]byte("not a tx"), rawTx(t, l.hub, honestUpdate), rawTx(t, l.hub, update)}
	found, err := forgedHeader(client.NewCodec(), block, l.clientID, cons)
	require.NoError(t, err)
	require.Equal(t, l.forged.Header.AppHash, found.Header.AppHash)

	trustedVals := found.TrustedValidators
	evidence, err := misbehaviourMsg(l.clientID, found, l.honest.SignedHeader, l.honest.ValidatorSet, trustedVals, other)
	require.NoError(t, err)
	_, err = l.hub.SendMsgs(evidence)
	require.NoError(t, err)
	require.Equal(t, ibcexported.Frozen, keeper.GetClientStatus(l.hub.GetContext(), l.clientID))
}

// TestMisbehaviourEvidenceNeedsAConflict: the honest header twice is no
// evidence: ibc-go finds no misbehaviour in it (and, as ibc-go v11 does,
// commits the tx without changing the client), so the client stays active.
func TestMisbehaviourEvidenceNeedsAConflict(t *testing.T) {
	l := newForkedLink(t)
	other := l.hub.SenderAccount.GetAddress().String()
	update, err := clienttypes.NewMsgUpdateClient(l.clientID, l.honest, other)
	require.NoError(t, err)
	_, err = l.hub.SendMsgs(update)
	require.NoError(t, err)
	h := l.honest.GetHeight()
	stored, _ := l.hub.App.GetIBCKeeper().ClientKeeper.GetClientConsensusState(l.hub.GetContext(), l.clientID, h)
	real, err := cmttypes.HeaderFromProto(l.honest.Header)
	require.NoError(t, err)
	require.NoError(t, compareTrusted(stored.(*ibctm.ConsensusState), &real), "an honest update is no conflict")

	notEvidence, err := misbehaviourMsg(l.clientID, l.honest, l.honest.SignedHeader, l.honest.ValidatorSet, l.honest.TrustedValidators, other)
	require.NoError(t, err)
	_, _ = l.hub.SendMsgs(notEvidence)
	require.Equal(t, ibcexported.Active, l.hub.App.GetIBCKeeper().ClientKeeper.GetClientStatus(l.hub.GetContext(), l.clientID))
}

// TestForgedHeaderNotInBlock: a block without an update of the client to
// that consensus state yields an error, not a wrong header.
func TestForgedHeaderNotInBlock(t *testing.T) {
	l := newForkedLink(t)
	other := l.hub.SenderAccount.GetAddress().String()
	forgedOther, err := clienttypes.NewMsgUpdateClient("07-tendermint-9", l.forged, other)
	require.NoError(t, err)
	honest, err := clienttypes.NewMsgUpdateClient(l.clientID, l.honest, other)
	require.NoError(t, err)
	_, err = forgedHeader(client.NewCodec(), [][]byte{rawTx(t, l.hub, forgedOther), rawTx(t, l.hub, honest)}, l.clientID, l.forged.ConsensusState())
	require.Error(t, err)
}

// forgedEvidence is a real misbehaviour msg of client 07-tendermint-0: a
// header of c at h signed by c's validators with another app hash, and
// c's own header at h.
func forgedEvidence(t *testing.T, c *signedChain, h int64, trusted int64, signer string) sdk.Msg {
	t.Helper()
	signed, err := ibctesting.CommitHeader(c.header(h, tmhash.Sum([]byte("forged"))), c.sets[h], c.keys)
	require.NoError(t, err)
	real, vals, err := c.signedHeader(context.Background(), h)
	require.NoError(t, err)
	trustedVals, err := c.validators(context.Background(), trusted+1)
	require.NoError(t, err)
	forged := &ibctm.Header{SignedHeader: signed, ValidatorSet: vals, TrustedHeight: clienttypes.NewHeight(1, uint64(trusted)), TrustedValidators: trustedVals}
	msg, err := misbehaviourMsg("07-tendermint-0", forged, real, vals, trustedVals, signer)
	require.NoError(t, err)
	return msg
}

// updateEvents is a hub block whose txs updated client 07-tendermint-0 to
// each of heights (and another client to 55).
func updateEvents(height int64, heights ...uint64) Block {
	b := Block{Chain: "hub", Height: height}
	b.Events = append(b.Events, client.Event{Type: clienttypes.EventTypeUpdateClient,
		Attrs: map[string]string{clienttypes.AttributeKeyClientID: "07-tendermint-5", clienttypes.AttributeKeyConsensusHeights: "0-55"}})
	for _, h := range heights {
		b.Events = append(b.Events, client.Event{Type: clienttypes.EventTypeUpdateClient,
			Attrs: map[string]string{clienttypes.AttributeKeyClientID: "07-tendermint-0", clienttypes.AttributeKeyConsensusHeights: clienttypes.NewHeight(0, h).String()}})
	}
	return b
}

// TestPathMisbehaviourHalts: the hub worker checks every update of its
// client the feed saw that it did not submit itself (an older height
// too, not only the latest), submits the evidence of the forged one and
// halts the path: the worker returns, the path-halted gauge and /healthz
// say so. A submission that fails for the node is retried; when the chain
// refuses the evidence, the path halts all the same.
func TestPathMisbehaviourHalts(t *testing.T) {
	tests := []struct {
		name string
		// fail is the error of each evidence submission, nil after the list.
		fail      []error
		outcome   string
		wantFroze bool
		attempts  int
	}{
		{"evidence submitted", nil, "submitted", true, 1},
		{"evidence refused by the chain, not retried", []error{refusal("deliver", clienttypes.ErrInvalidMisbehaviour)}, "submit_failed", false, 1},
		{"node unreachable once, evidence submitted on retry", []error{errors.New("post failed: connection refused")}, "submitted", true, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, hub, dealer := fakePath(IBCv2, DefaultConfig().Global)
			evidence := forgedEvidence(t, rotatingChain(t, 20, 1000), 12, 2, hub.Signer())
			hub.forged = map[uint64]sdk.Msg{12: evidence}
			attempts := 0
			hub.submitErr = func(msgs []sdk.Msg) error {
				if !slices.Contains(msgs, evidence) {
					return nil
				}
				attempts++
				if attempts <= len(tc.fail) {
					return tc.fail[attempts-1]
				}
				return nil
			}
			dealerSent(r, dealer, 1)
			_, err := stepAndSettle(r, 0)
			require.NoError(t, err, "relays and updates the client to the dealer's height 100 itself")

			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			other := make(chan struct{})
			go func() { defer close(other); r.Work(ctx, 1) }()
			r.Ingest(updateEvents(101, 90, 100, 12))
			r.Work(ctx, 0) // returns only on halt (or the timeout)
			<-other
			require.NoError(t, ctx.Err(), "both workers of the path halted")

			require.Equal(t, []clientUpdate{{hostHeight: 101, height: clienttypes.NewHeight(0, 90)}, {hostHeight: 101, height: clienttypes.NewHeight(0, 12)}}, hub.checked,
				"others' updates checked, its own (100) and other clients' not")
			r.Ingest(updateEvents(102, 13))
			require.Empty(t, r.updates[0], "a halted path watches nothing more")
			require.Equal(t, tc.wantFroze, hub.frozen)
			require.Equal(t, tc.attempts, attempts)
			if tc.wantFroze {
				require.Equal(t, []sdk.Msg{evidence}, hub.committed[len(hub.committed)-1])
			}
			require.Equal(t, 1.0, metricValue(t, r.m.Misbehaviour.WithLabelValues("hub-a", "hub", tc.outcome)))
			require.Equal(t, 1.0, metricValue(t, r.m.Halted.WithLabelValues("hub-a")))
			require.Contains(t, r.m.Unhealthy(time.Hour), "halted: path hub-a")
		})
	}
}

// TestPathLatestConflictHalts: with no update seen by the feed (say, made
// while vinrelay was down), the check of the client's latest consensus
// state before updating it finds the forged header: the evidence is
// submitted, the client frozen, the path halted.
func TestPathLatestConflictHalts(t *testing.T) {
	r, hub, dealer := fakePath(IBCv2, DefaultConfig().Global)
	hub.clientHeight = 80
	evidence := forgedEvidence(t, rotatingChain(t, 100, 1000), 80, 2, hub.Signer())
	hub.forged = map[uint64]sdk.Msg{80: evidence}
	dealerSent(r, dealer, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r.Work(ctx, 0)
	require.NoError(t, ctx.Err(), "the worker halted")
	require.Equal(t, []clientUpdate{{height: clienttypes.NewHeight(0, 80)}}, hub.checked)
	require.True(t, hub.frozen)
	require.Empty(t, hub.received, "nothing relayed over a client fed a forged header")
	require.Equal(t, 1.0, metricValue(t, r.m.Misbehaviour.WithLabelValues("hub-a", "hub", "submitted")))
	require.Equal(t, 1.0, metricValue(t, r.m.Halted.WithLabelValues("hub-a")))
}

// TestPathUpdateCheckFailureDoesNotStall: an update whose check fails (the
// dealer node pruned that height, say) holds up no relaying; it is retried
// at the next steps and given up, counted and logged, after checkAttempts.
func TestPathUpdateCheckFailureDoesNotStall(t *testing.T) {
	r, hub, dealer := fakePath(IBCv2, DefaultConfig().Global)
	hub.checkErr = errors.New("dealer-a: header 90: height 90 is not available, lowest height is 95")
	r.Ingest(updateEvents(101, 90))
	dealerSent(r, dealer, 3)
	_, err := runSteps(r, 5)
	require.NoError(t, err)
	require.Len(t, hub.received, 3, "relayed while the update could not be checked")
	for range checkAttempts {
		_, err := stepAndSettle(r, 0)
		require.NoError(t, err)
	}
	require.Len(t, hub.checked, checkAttempts, "tried once a step, then given up")
	require.Empty(t, r.updates[0])
	require.Equal(t, 1.0, metricValue(t, r.m.Errors.WithLabelValues("hub", "update_unchecked")))
}
