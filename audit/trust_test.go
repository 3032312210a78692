package audit_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	dbm "github.com/cometbft/cometbft-db"
	"github.com/cometbft/cometbft/crypto"
	"github.com/cometbft/cometbft/light/provider"
	"github.com/cometbft/cometbft/light/provider/mock"
	lightstore "github.com/cometbft/cometbft/light/store"
	lightdb "github.com/cometbft/cometbft/light/store/db"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/vinhub/vinhub/audit"
	"github.com/vinhub/vinhub/audit/internal/testchain"
)

const testChain = "vinhub-audit"

var genesisTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func newMockChain(vals []crypto.PrivKey, n, fork int64) testchain.Chain {
	return testchain.New(testChain, vals, genesisTime, n, fork)
}

// forgedAfterAnchor serves honest's header at the trust height (1), then
// headers of another chain, signed by validators the honest chain never had.
func forgedAfterAnchor(honest testchain.Chain) provider.Provider {
	forged := newMockChain(keys(3), 20, 0)
	forged.Headers[1], forged.Vals[1] = honest.Headers[1], honest.Vals[1]
	return forged.Provider()
}

func keys(n int) []crypto.PrivKey { return testchain.Keys(n) }

func headers(t *testing.T, primary provider.Provider, witnesses []provider.Provider, anchor audit.Anchor, now time.Time) (*audit.Headers, error) {
	t.Helper()
	return headersIn(lightdb.New(dbm.NewMemDB(), testChain), primary, witnesses, anchor, time.Hour, now)
}

func headersIn(store lightstore.Store, primary provider.Provider, witnesses []provider.Provider, anchor audit.Anchor, maxAge time.Duration, now time.Time) (*audit.Headers, error) {
	return audit.NewHeaders(context.Background(), testChain, anchor, maxAge, primary, witnesses, store, func() time.Time { return now })
}

// TestHeadersTrust: headers are verified from the anchor against the
// primary and cross-checked with the witnesses; a witness on a fork stops
// the audit naming both header hashes; a forged or expired chain of trust
// cannot be verified.
func TestHeadersTrust(t *testing.T) {
	vals := keys(3)
	honest := newMockChain(vals, 20, 0)
	now := genesisTime.Add(30 * time.Minute)
	anchor := audit.Anchor{Height: 1, Hash: honest.Headers[1].Hash(), Period: time.Hour}

	t.Run("honest primary and witness", func(t *testing.T) {
		h, err := headers(t, honest.Provider(), []provider.Provider{honest.Provider()}, anchor, now)
		require.NoError(t, err)
		appHash, err := h.AppHash(context.Background(), 9)
		require.NoError(t, err)
		require.Equal(t, []byte(honest.Headers[10].AppHash), appHash)
		latest, err := h.Latest(context.Background())
		require.NoError(t, err)
		require.EqualValues(t, 19, latest.Height)
		require.Equal(t, []byte(honest.Headers[20].AppHash), latest.AppHash)
		require.Equal(t, honest.Headers[20].Time, latest.Time)
		require.Len(t, latest.Witnesses, 1)
	})

	t.Run("only the witnesses that confirmed the header are named", func(t *testing.T) {
		h, err := headers(t, honest.Provider(), []provider.Provider{mock.NewDeadMock(testChain), honest.Provider()}, anchor, now)
		require.NoError(t, err)
		latest, err := h.Latest(context.Background())
		require.NoError(t, err)
		require.Len(t, latest.Witnesses, 1)
		require.NotContains(t, latest.Witnesses[0], "dead")
	})

	testCases := []struct {
		name      string
		primary   provider.Provider
		witnesses []provider.Provider
		anchor    audit.Anchor
		now       time.Time
		conflict  bool
		says      string
	}{
		{"a witness on a fork signed by the same validators", honest.Provider(), []provider.Provider{newMockChain(vals, 20, 5).Provider()}, anchor, now, true, ""},
		{"a witness serving another chain from the trust height on", honest.Provider(), []provider.Provider{newMockChain(keys(3), 20, 0).Provider()}, anchor, now, true, ""},
		{"a witness serving a fork it cannot sign after the trust height", honest.Provider(), []provider.Provider{forgedAfterAnchor(honest)}, anchor, now, true, ""},
		{"a primary on a fork, the witness honest", newMockChain(vals, 20, 5).Provider(), []provider.Provider{honest.Provider()}, anchor, now, true, ""},
		{"a primary forged by other validators", newMockChain(keys(3), 20, 0).Provider(), []provider.Provider{honest.Provider()}, anchor, now, false, "the trust anchor is"},
		{"the anchor is past its trusting period", honest.Provider(), []provider.Provider{honest.Provider()}, anchor, genesisTime.Add(3 * time.Hour), false, "expired"},
		{"no witness", honest.Provider(), nil, anchor, now, false, "no witness"},
		{"the only witness is unreachable", honest.Provider(), []provider.Provider{mock.NewDeadMock(testChain)}, anchor, now, false, "witnesses have either not responded"},
		{"the primary is unreachable", mock.NewDeadMock(testChain), []provider.Provider{honest.Provider()}, anchor, now, false, "unreachable"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			h, err := headers(t, tc.primary, tc.witnesses, tc.anchor, tc.now)
			if err == nil {
				_, err = h.AppHash(context.Background(), 9)
			}
			require.Error(t, err)
			var conflict *audit.ConflictError
			if !tc.conflict {
				require.ErrorIs(t, err, audit.ErrCannotVerify)
				require.False(t, errors.As(err, &conflict))
				require.Contains(t, err.Error(), tc.says)
				return
			}
			require.ErrorAs(t, err, &conflict)
			require.NotEqual(t, conflict.PrimaryHash, conflict.WitnessHash)
			require.Contains(t, err.Error(), conflict.Witness)
		})
	}
}

// TestLatestRefusesStaleState: the primary picks the latest header, so it
// could pin the audit to an old, genuine header: Latest refuses one behind
// a witness's latest, one older than the max header age, one past the
// trusting period (the primary answering the trust anchor as its latest)
// and one that commits no state.
func TestLatestRefusesStaleState(t *testing.T) {
	vals := keys(3)
	honest := newMockChain(vals, 20, 0)
	anchor := audit.Anchor{Height: 1, Hash: honest.Headers[1].Hash(), Period: time.Hour}
	short := newMockChain(vals, 2, 0)
	testCases := []struct {
		name      string
		primary   provider.Provider
		witnesses []provider.Provider
		anchor    audit.Anchor
		maxAge    time.Duration
		now       time.Time
		says      string
	}{
		{"the primary serves header 5 of 20 as its latest", newMockChain(vals, 5, 0).Provider(), []provider.Provider{honest.Provider()},
			anchor, 24 * time.Hour, genesisTime.Add(21 * time.Minute), "serves a stale state"},
		{"the latest header is older than the max header age", honest.Provider(), []provider.Provider{honest.Provider()},
			anchor, 10 * time.Minute, genesisTime.Add(31 * time.Minute), "old (max header age 10m0s)"},
		{"the trust anchor answered as the latest, past its trusting period", short.Provider(), []provider.Provider{short.Provider()},
			audit.Anchor{Height: 2, Hash: short.Headers[2].Hash(), Period: time.Hour}, 24 * time.Hour, genesisTime.Add(3 * time.Hour), "expired"},
		{"a latest header that commits no state", newMockChain(vals, 1, 0).Provider(), []provider.Provider{newMockChain(vals, 1, 0).Provider()},
			anchor, 24 * time.Hour, genesisTime.Add(2 * time.Minute), "commits no state"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			h, err := headersIn(lightdb.New(dbm.NewMemDB(), testChain), tc.primary, tc.witnesses, tc.anchor, tc.maxAge, tc.now)
			require.NoError(t, err)
			_, err = h.Latest(context.Background())
			require.ErrorIs(t, err, audit.ErrCannotVerify)
			require.ErrorContains(t, err, tc.says)
		})
	}
}

// laggingPrimary answers its first request for the latest header with an
// older one, as a node a few blocks behind does, and is caught up after.
type laggingPrimary struct {
	provider.Provider
	behind int64
	asked  bool
}

func (p *laggingPrimary) LightBlock(ctx context.Context, height int64) (*cmttypes.LightBlock, error) {
	if height == 0 && !p.asked {
		p.asked = true
		return p.Provider.LightBlock(ctx, p.behind)
	}
	return p.Provider.LightBlock(ctx, height)
}

// TestLatestWaitsForALaggingPrimary: a primary behind the witnesses is
// asked again, and its caught-up latest header is the one audited.
func TestLatestWaitsForALaggingPrimary(t *testing.T) {
	honest := newMockChain(keys(3), 20, 0)
	anchor := audit.Anchor{Height: 1, Hash: honest.Headers[1].Hash(), Period: time.Hour}
	primary := &laggingPrimary{Provider: honest.Provider(), behind: 5}
	h, err := headers(t, primary, []provider.Provider{honest.Provider()}, anchor, genesisTime.Add(21*time.Minute))
	require.NoError(t, err)
	latest, err := h.Latest(context.Background())
	require.NoError(t, err)
	require.True(t, primary.asked)
	require.EqualValues(t, 19, latest.Height)
}

// TestHeadersResumeFromStore: a second audit on the same store starts from
// the header the first one verified, not from the anchor: it still
// verifies after the anchor's trusting period has run out.
func TestHeadersResumeFromStore(t *testing.T) {
	vals := keys(3)
	first, later := newMockChain(vals, 20, 0), newMockChain(vals, 65, 0)
	require.Equal(t, first.Headers[20].Hash(), later.Headers[20].Hash(), "the same chain, grown")
	anchor := audit.Anchor{Height: 1, Hash: first.Headers[1].Hash(), Period: time.Hour}
	store := lightdb.New(dbm.NewMemDB(), testChain)

	h, err := headersIn(store, first.Provider(), []provider.Provider{first.Provider()}, anchor, 10*time.Minute, genesisTime.Add(21*time.Minute))
	require.NoError(t, err)
	latest, err := h.Latest(context.Background())
	require.NoError(t, err)
	require.EqualValues(t, 19, latest.Height)

	now := genesisTime.Add(65*time.Minute + 30*time.Second) // the anchor (header 1) expired at 1h01m
	h, err = headersIn(store, later.Provider(), []provider.Provider{later.Provider()}, anchor, 10*time.Minute, now)
	require.NoError(t, err)
	latest, err = h.Latest(context.Background())
	require.NoError(t, err)
	require.EqualValues(t, 64, latest.Height)

	t.Run("a store past its trusting period starts again from the anchor", func(t *testing.T) {
		h, err := headersIn(store, later.Provider(), []provider.Provider{later.Provider()}, anchor, 24*time.Hour, genesisTime.Add(3*time.Hour))
		if err == nil {
			_, err = h.Latest(context.Background())
		}
		require.ErrorIs(t, err, audit.ErrCannotVerify)
		require.ErrorContains(t, err, "expired")
	})
}
