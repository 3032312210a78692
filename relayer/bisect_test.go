package relayer

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/tmhash"
	"github.com/cometbft/cometbft/light"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmtversion "github.com/cometbft/cometbft/proto/tendermint/version"
	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/stretchr/testify/require"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	commitmenttypes "github.com/cosmos/ibc-go/v11/modules/core/23-commitment/types"
	host "github.com/cosmos/ibc-go/v11/modules/core/24-host"
	ibctm "github.com/cosmos/ibc-go/v11/modules/light-clients/07-tendermint"
	ibctesting "github.com/cosmos/ibc-go/v11/testing"

	"github.com/vinhub/vinhub/client"
)

// signedChain is a chain in memory whose headers are signed by real
// validator keys: height h is signed by the validator set sets[h], and
// commits to sets[h+1] as the next one, as a CometBFT chain does.
type signedChain struct {
	id     string
	start  time.Time
	sets   []*cmttypes.ValidatorSet
	keys   map[string]cmttypes.PrivValidator
	served []int64
}

// rotatingChain has heights 1..n signed by four equal validators of
// which one is replaced every `every` blocks: over 4*every blocks the set
// turns over completely, far more than the 1/3 a client trusts.
func rotatingChain(t *testing.T, n, every int) *signedChain {
	t.Helper()
	c := &signedChain{id: "dealer-test-1", start: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), keys: map[string]cmttypes.PrivValidator{}}
	var all []*cmttypes.Validator
	for range n/every + 5 {
		v, pv := cmttypes.RandValidator(false, 10)
		all = append(all, v)
		c.keys[v.Address.String()] = pv
	}
	c.sets = make([]*cmttypes.ValidatorSet, n+2)
	for h := 1; h <= n+1; h++ {
		first := h / every
		vals := make([]*cmttypes.Validator, 4)
		for i := range vals {
			vals[i] = all[first+i].Copy()
		}
		c.sets[h] = cmttypes.NewValidatorSet(vals)
	}
	return c
}

func (c *signedChain) header(h int64, appHash []byte) cmttypes.Header {
	vals := c.sets[h]
	return cmttypes.Header{
		Version: cmtversion.Consensus{Block: 11, App: 2}, ChainID: c.id, Height: h, Time: c.start.Add(time.Duration(h) * 5 * time.Second),
		LastBlockID:    ibctesting.MakeBlockID(tmhash.Sum([]byte(fmt.Sprint(h-1))), 1, tmhash.Sum(nil)),
		LastCommitHash: tmhash.Sum(nil), DataHash: tmhash.Sum(nil), ConsensusHash: tmhash.Sum(nil), LastResultsHash: tmhash.Sum(nil), EvidenceHash: tmhash.Sum(nil),
		ValidatorsHash: vals.Hash(), NextValidatorsHash: c.sets[h+1].Hash(), AppHash: appHash, ProposerAddress: vals.Proposer.Address,
	}
}

// appHash is the app hash the chain really committed at h.
func appHash(h int64) []byte { return tmhash.Sum([]byte(fmt.Sprintf("app state %d", h))) }

func (c *signedChain) signedHeader(_ context.Context, h int64) (*cmtproto.SignedHeader, *cmtproto.ValidatorSet, error) {
	c.served = append(c.served, h)
	sh, err := ibctesting.CommitHeader(c.header(h, appHash(h)), c.sets[h], c.keys)
	if err != nil {
		return nil, nil, err
	}
	vals, err := c.validators(context.Background(), h)
	return sh, vals, err
}

func (c *signedChain) validators(_ context.Context, h int64) (*cmtproto.ValidatorSet, error) {
	if h < 1 || h >= int64(len(c.sets)) {
		return nil, fmt.Errorf("no validators at %d", h)
	}
	return c.sets[h].ToProto()
}

// clientOn starts a 07-tendermint client of c trusting height h, as ibc-go
// stores one, in a fresh store; it returns the store's context too.
func (c *signedChain) clientOn(t *testing.T, h int64, trusting time.Duration) (sdk.Context, storetypes.KVStore, *ibctm.ClientState, *ibctm.ConsensusState) {
	t.Helper()
	key := storetypes.NewKVStoreKey("ibc")
	ctx := testutil.DefaultContext(key, storetypes.NewTransientStoreKey("transient"))
	hdr := c.header(h, appHash(h))
	cs := ibctm.NewClientState(c.id, ibctm.DefaultTrustLevel, trusting, 3*trusting, maxClockDrift, clienttypes.NewHeight(1, uint64(h)),
		commitmenttypes.GetSDKSpecs(), []string{"upgrade", "upgradedIBCState"})
	cons := ibctm.NewConsensusState(hdr.Time, commitmenttypes.NewMerkleRoot(hdr.AppHash), hdr.NextValidatorsHash)
	store := ctx.KVStore(key)
	store.Set(host.ConsensusStateKey(cs.LatestHeight), clienttypes.MustMarshalConsensusState(client.NewCodec(), cons))
	return ctx, store, cs, cons
}

// applyAll runs each header through the real 07-tendermint client as a
// MsgUpdateClient would, at host block time now.
func applyAll(ctx sdk.Context, store storetypes.KVStore, cs *ibctm.ClientState, headers []*ibctm.Header, now time.Time) error {
	cdc := client.NewCodec()
	ctx = ctx.WithBlockTime(now).WithBlockHeight(1000)
	for _, hdr := range headers {
		if err := cs.VerifyClientMessage(ctx, cdc, store, hdr); err != nil {
			return fmt.Errorf("header %d (trusted %s): %w", hdr.Header.Height, hdr.TrustedHeight, err)
		}
		cs.UpdateState(ctx, cdc, store, hdr)
	}
	return nil
}

// TestUpdateHeadersBisect: the validator set turned over completely
// between the trusted height and the target; one header from the trusted
// height cannot be trusted (ibc-go refuses it, the old single-step
// update), and the bisected sequence is accepted by a real 07-tendermint
// client, step by step, ending at the target.
func TestUpdateHeadersBisect(t *testing.T) {
	c := rotatingChain(t, 40, 3)
	ctx, store, cs, cons := c.clientOn(t, 2, time.Hour)
	now := c.start.Add(10 * time.Minute)

	target, targetVals, err := c.signedHeader(context.Background(), 40)
	require.NoError(t, err)
	trustedVals, err := c.validators(context.Background(), 3)
	require.NoError(t, err)
	direct := &ibctm.Header{SignedHeader: target, ValidatorSet: targetVals, TrustedHeight: cs.LatestHeight, TrustedValidators: trustedVals}
	err = applyAll(ctx, store, cs, []*ibctm.Header{direct}, now)
	require.ErrorAs(t, err, new(light.ErrNewValSetCantBeTrusted), "one step over a rotated validator set")

	headers, err := updateHeaders(context.Background(), c, cs, cons, 40, now)
	require.NoError(t, err)
	require.Greater(t, len(headers), 1)
	require.EqualValues(t, 40, headers[len(headers)-1].Header.Height)
	require.NoError(t, applyAll(ctx, store, cs, headers, now))
	require.EqualValues(t, 40, cs.LatestHeight.RevisionHeight)
}

// TestUpdateHeadersOneStep: with the validators unchanged, one header
// from the trusted height to the target, as before.
func TestUpdateHeadersOneStep(t *testing.T) {
	c := rotatingChain(t, 40, 1000)
	ctx, store, cs, cons := c.clientOn(t, 2, time.Hour)
	now := c.start.Add(10 * time.Minute)
	headers, err := updateHeaders(context.Background(), c, cs, cons, 40, now)
	require.NoError(t, err)
	require.Len(t, headers, 1)
	require.Equal(t, []int64{40}, c.served)
	require.NoError(t, applyAll(ctx, store, cs, headers, now))
}

// TestUpdateHeadersExpiryByHostTime: the headers are from March while the
// relayer's clock says December; what counts is the host's block time.
// Within the trusting period by the host's time the update is built (and
// accepted); past it, it is refused as expired, whatever the local clock.
func TestUpdateHeadersExpiryByHostTime(t *testing.T) {
	c := rotatingChain(t, 40, 3)
	ctx, store, cs, cons := c.clientOn(t, 2, time.Hour)
	require.Less(t, c.start.Add(time.Hour), time.Now(), "the local clock is past the trusting period")

	fresh := c.start.Add(50 * time.Minute)
	headers, err := updateHeaders(context.Background(), c, cs, cons, 40, fresh)
	require.NoError(t, err)
	require.NoError(t, applyAll(ctx, store, cs, headers, fresh))

	_, _, cs, cons = c.clientOn(t, 2, time.Hour)
	stale := cons.Timestamp.Add(time.Hour + time.Second)
	_, err = updateHeaders(context.Background(), c, cs, cons, 40, stale)
	require.ErrorAs(t, err, new(light.ErrOldHeaderExpired))
	require.Positive(t, timeLeft(cs, cons, fresh))
	require.Negative(t, timeLeft(cs, cons, stale))
}
