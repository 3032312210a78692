package relayer

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/exported"
	ibctm "github.com/cosmos/ibc-go/v11/modules/light-clients/07-tendermint"
	ibctesting "github.com/cosmos/ibc-go/v11/testing"
)

// expiringLink is a hub holding a light client of a dealer chain that
// trusts it for one minute, both apps served to vinrelay's live code over
// JSON-RPC.
type expiringLink struct {
	coord               *ibctesting.Coordinator
	hub, dealer         *ibctesting.TestChain
	hubRPC, dealerRPC   *chainRPC
	liveHub, liveDealer *Chain
	clientID            string
	side                RecoverSide
}

func newExpiringLink(t *testing.T) *expiringLink {
	t.Helper()
	coord, hub, dealer, path := hubAndDealer(t)
	path.EndpointA.ClientConfig.(*ibctesting.TendermintConfig).TrustingPeriod = time.Minute
	require.NoError(t, path.EndpointA.CreateClient())
	l := &expiringLink{coord: coord, hub: hub, dealer: dealer, hubRPC: newChainRPC(hub), dealerRPC: newChainRPC(dealer), clientID: path.EndpointA.ClientID}
	l.liveHub, l.liveDealer = liveChain(t, hub.ChainID, l.hubRPC.serve(t)), liveChain(t, dealer.ChainID, l.dealerRPC.serve(t))
	l.side = RecoverSide{End: PathEnd{Chain: hub.ChainID, ClientID: l.clientID}, Host: l.liveHub, Counterparty: l.liveDealer}
	return l
}

// commit has each chain commit a block, later than the last, and records
// its header for the RPC.
func (l *expiringLink) commit(after time.Duration) {
	l.coord.IncrementTimeBy(after)
	l.hub.NextBlock()
	l.dealer.NextBlock()
	l.hubRPC.record()
	l.dealerRPC.record()
}

func (l *expiringLink) status(clientID string) ibcexported.Status {
	return l.hub.App.GetIBCKeeper().ClientKeeper.GetClientStatus(l.hub.GetContext(), clientID)
}

// asHub has the hub's test account sign msgs vinrelay built for its own key.
func (l *expiringLink) asHub(msgs ...sdk.Msg) []sdk.Msg {
	for _, m := range msgs {
		switch m := m.(type) {
		case *clienttypes.MsgCreateClient:
			m.Signer = l.hub.SenderAccount.GetAddress().String()
		case *clienttypes.MsgUpdateClient:
			m.Signer = l.hub.SenderAccount.GetAddress().String()
		}
	}
	return msgs
}

// TestRecoverClient: the hub's client of the dealer chain expires (by the
// hub's block time), or is frozen. vinrelay's substitute (built over
// JSON-RPC, parameters copied from the subject) is accepted by the hub; the
// drafted proposal decodes as `tx gov submit-proposal` decodes it: one
// MsgRecoverClient signed by the IBC module's authority, the gov params'
// min deposit. Executed as governance executes it, it makes the subject
// active again, at the substitute's height, under its own id; vinrelay's
// next update of the subject id (the id the path config keeps) is accepted.
func TestRecoverClient(t *testing.T) {
	tests := []struct {
		name   string
		kill   func(*expiringLink)
		status ibcexported.Status
		err    error
	}{
		{"expired", func(l *expiringLink) { l.commit(2 * time.Minute) }, ibcexported.Expired, ErrClientExpired},
		{"frozen", func(l *expiringLink) {
			keeper := l.hub.App.GetIBCKeeper().ClientKeeper
			cs, _ := keeper.GetClientState(l.hub.GetContext(), l.clientID)
			cs.(*ibctm.ClientState).FrozenHeight = ibctm.FrozenHeight
			keeper.SetClientState(l.hub.GetContext(), l.clientID, cs)
			l.commit(5 * time.Second)
		}, ibcexported.Frozen, ErrClientFrozen},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := newExpiringLink(t)
			ctx := context.Background()
			_, err := RecoverClients(ctx, []RecoverSide{l.side})
			require.ErrorIs(t, err, ErrClientActive, "an active client is refused")
			tc.kill(l)
			require.Equal(t, tc.status, l.status(l.clientID))
			_, _, err = updateTo(ctx, l.liveHub, l.clientID, l.liveDealer, l.dealer.LatestCommittedHeader.Header.Height)
			require.ErrorIs(t, err, tc.err, "no update moves the client")
			l.recoverSubject(t, tc.status)
		})
	}
}

// recoverSubject runs the recovery of l's dead client (status) step by
// step, the substitute and the proposal's execution on the hub app, then
// has vinrelay update the client under its old id.
func (l *expiringLink) recoverSubject(t *testing.T, status ibcexported.Status) {
	t.Helper()
	ctx := context.Background()
	sub, err := readSubject(ctx, l.side)
	require.NoError(t, err)
	require.Equal(t, status.String(), sub.status)
	create, err := newClientMsg(ctx, l.liveHub, l.liveDealer, sub.state)
	require.NoError(t, err)
	res, err := l.hub.SendMsgs(l.asHub(create)...)
	require.NoError(t, err, "the hub accepts vinrelay's substitute")
	substitute, err := ibctesting.ParseClientIDFromEvents(res.Events)
	require.NoError(t, err)
	l.hubRPC.record()

	rec, err := DraftRecovery(ctx, l.liveHub, l.clientID, substitute)
	require.NoError(t, err)
	require.Equal(t, status.String(), rec.Status)
	require.Len(t, rec.Proposal.Messages, 1)
	var msg sdk.Msg
	require.NoError(t, l.hub.App.AppCodec().UnmarshalInterfaceJSON(rec.Proposal.Messages[0], &msg))
	recoverMsg, ok := msg.(*clienttypes.MsgRecoverClient)
	require.True(t, ok, "%T", msg)
	require.Equal(t, l.clientID, recoverMsg.SubjectClientId)
	require.Equal(t, substitute, recoverMsg.SubstituteClientId)
	require.Equal(t, l.hub.App.GetIBCKeeper().GetAuthority(), recoverMsg.Signer)
	gov, err := govv1.NewQueryClient(l.liveHub.Conn()).Params(ctx, &govv1.QueryParamsRequest{})
	require.NoError(t, err)
	require.Equal(t, sdk.NewCoins(gov.Params.MinDeposit...).String(), rec.Proposal.Deposit)
	require.NotEmpty(t, rec.Proposal.Title)
	require.Equal(t, *gov.Params.VotingPeriod, rec.VotingPeriod)

	handler := l.hub.App.GetBaseApp().MsgServiceRouter().Handler(recoverMsg)
	_, err = handler(l.hub.GetContext(), recoverMsg)
	require.NoError(t, err, "governance executes the recovery")
	l.commit(5 * time.Second)
	require.Equal(t, ibcexported.Active, l.status(l.clientID))
	keeper := l.hub.App.GetIBCKeeper().ClientKeeper
	require.Equal(t, create.ClientState.GetCachedValue().(*ibctm.ClientState).LatestHeight, keeper.GetClientLatestHeight(l.hub.GetContext(), l.clientID))

	l.commit(5 * time.Second)
	target := l.dealer.LatestCommittedHeader.Header.Height
	update, h, err := updateTo(ctx, l.liveHub, l.clientID, l.liveDealer, target)
	require.NoError(t, err)
	require.Equal(t, target, h)
	_, err = l.hub.SendMsgs(l.asHub(update...)...)
	require.NoError(t, err, "vinrelay updates the recovered client under its old id")
	require.Equal(t, l.liveDealer.Height(target), keeper.GetClientLatestHeight(l.hub.GetContext(), l.clientID))
	require.Equal(t, ibcexported.Active, l.status(l.clientID))
}

// TestRecoverRefusals: what `client recover` refuses, before it creates
// anything.
func TestRecoverRefusals(t *testing.T) {
	p := PathConfig{Name: "hub-a", IBC: IBCv2, A: PathEnd{Chain: "hub", ClientID: "07-tendermint-0"}, B: PathEnd{Chain: "dealer-a"}}
	_, err := RecoverSides(p, "b", nil, nil)
	require.ErrorIs(t, err, ErrPathNotLinked)
	_, err = RecoverSides(p, "both", nil, nil)
	require.ErrorIs(t, err, ErrPathNotLinked)
	_, err = RecoverSides(p, "c", nil, nil)
	require.ErrorContains(t, err, "want a, b or both")
	sides, err := RecoverSides(p, "a", nil, nil)
	require.NoError(t, err)
	require.Len(t, sides, 1)

	like := ibctm.NewClientState("dealer-a", ibctm.DefaultTrustLevel, time.Minute, time.Hour, maxClockDrift,
		clienttypes.NewHeight(0, 100), nil, []string{"upgrade", "upgradedIBCState"})
	_, err = substituteState(like, time.Hour, "dealer-a", clienttypes.NewHeight(0, 200))
	require.ErrorIs(t, err, ErrSubstituteMismatch, "a trusting period as long as the unbonding period")
	_, err = substituteState(like, 30*time.Minute, "dealer-a", clienttypes.NewHeight(0, 100))
	require.ErrorIs(t, err, ErrSubstituteMismatch, "the tracked chain is not past the subject's height")
	like.FrozenHeight = clienttypes.NewHeight(0, 90)
	cs, err := substituteState(like, 30*time.Minute, "dealer-a", clienttypes.NewHeight(0, 200))
	require.NoError(t, err)
	require.True(t, ibctm.IsMatchingClientState(*like, *cs), "ibc-go accepts it as the subject's substitute")
	require.True(t, cs.FrozenHeight.IsZero())
	require.Equal(t, 30*time.Minute, cs.TrustingPeriod)

	l := newExpiringLink(t)
	ctx := context.Background()
	other := l.side
	other.End.ClientID = "07-tendermint-9"
	_, err = RecoverClients(ctx, []RecoverSide{other})
	require.ErrorContains(t, err, "07-tendermint-9", "an unknown client")
	_, err = RecoverClients(ctx, []RecoverSide{l.side, l.side})
	require.ErrorIs(t, err, ErrClientActive, "every side active")
	require.Equal(t, 1, len(l.hub.App.GetIBCKeeper().ClientKeeper.GetAllGenesisClients(l.hub.GetContext())), "nothing created")
}
