package keeper_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	"github.com/vinhub/vinhub/hashlock"
	"github.com/vinhub/vinhub/x/htlc/keeper"
	"github.com/vinhub/vinhub/x/htlc/types"
	notarytypes "github.com/vinhub/vinhub/x/notary/types"
)

// x/notary executes a final HtlcSpend attestation through this keeper.
var _ notarytypes.HTLCKeeper = keeper.Keeper{}

// attestation is an id like x/notary's (64 lower-case hex) for a tag.
func attestation(tag string) string {
	sum := sha256.Sum256([]byte(tag))
	return hex.EncodeToString(sum[:])
}

// TestPublishForeignSecret: a secret seen revealed on another rail is
// recorded on every HTLC under its hash, in any state, without changing a
// state or moving a coin; anyone can then claim the hub leg with it, and
// the recipient is paid as by any claim.
func TestPublishForeignSecret(t *testing.T) {
	var (
		f      *fixture
		secret hashlock.Secret
		ids    []string // the HTLCs under the hash, in sender order
		result string
	)
	hash := func() string { return secret.Hash().String() }
	publish := func(evidence string) func() error {
		return func() error {
			var err error
			result, err = f.k.PublishForeignSecret(f.ctx, hash(), secret.String(), evidence)
			return err
		}
	}
	// carries checks each HTLC's state is unchanged and it carries the secret from evidence.
	carries := func(evidence string, states ...types.HTLCState) {
		for i, id := range ids {
			h := f.htlc(t, id)
			require.Equal(t, states[i], h.State, id)
			require.Equal(t, []any{secret.String(), evidence, f.ctx.BlockHeight()},
				[]any{h.ForeignSecret, h.ForeignSecretEvidence, h.ForeignSecretHeight}, id)
		}
	}
	published := func(evidence string, htlcIDs []string) {
		ev := typedEvents[*types.EventForeignSecretPublished](f)
		require.Len(t, ev, 1)
		if len(ev[0].HtlcIds) == 0 {
			ev[0].HtlcIds = nil // an empty list reads back from the event as []
		}
		require.Equal(t, types.EventForeignSecretPublished{HashLock: hash(), Secret: secret.String(), Evidence: evidence, HtlcIds: htlcIDs}, *ev[0])
		pub, err := f.queries.PublishedSecret(f.ctx, &types.QueryPublishedSecretRequest{HashLock: strings.ToUpper(hash())})
		require.NoError(t, err)
		require.Equal(t, types.PublishedSecret{HashLock: hash(), Secret: secret.String(), Evidence: evidence, Height: f.ctx.BlockHeight()}, pub.PublishedSecret)
	}

	cases := []struct {
		name     string
		malleate func() func() error
		check    func()
	}{
		{"on a locked htlc, then a stranger claims with it and the recipient is paid", func() func() error {
			ids = []string{f.lock(t, f.lockMsg(secret))}
			return publish(attestation("spend"))
		}, func() {
			carries(attestation("spend"), types.HTLC_STATE_LOCKED)
			published(attestation("spend"), ids)
			require.Equal(t, fmt.Sprintf("secret of %s published on htlc %s", hash(), ids[0]), result)
			require.Equal(t, sdkmath.NewInt(1_000), f.balance(escrow), "publishing pays nothing")

			shown, err := f.queries.HTLC(f.ctx, &types.QueryHTLCRequest{Id: ids[0]})
			require.NoError(t, err)
			_, err = f.msgs.Claim(f.ctx, &types.MsgClaim{Claimer: stranger.String(), Id: ids[0], Secret: shown.Htlc.ForeignSecret})
			require.NoError(t, err)
			h := f.htlc(t, ids[0])
			require.Equal(t, types.HTLC_STATE_CLAIMED, h.State)
			require.Equal(t, secret.String(), h.Secret)
			require.Equal(t, sdkmath.NewInt(1_001_000), f.balance(buyer))
			require.Equal(t, sdkmath.NewInt(0), f.balance(escrow))
		}},
		{"on every htlc under the hash, whatever its state", func() func() error {
			// seller 0x01.. locks (stays locked), buyer 0x02.. locks and is
			// refunded, stranger 0x03.. locks and is claimed.
			ids = []string{f.lock(t, f.lockMsg(secret))}
			m := f.lockMsg(secret)
			m.Sender, m.Recipient, m.Expiry = buyer.String(), seller.String(), f.ctx.BlockTime().Add(time.Minute)
			ids = append(ids, f.lock(t, m))
			m = f.lockMsg(secret)
			m.Sender, m.Amount = stranger.String(), coins(7)
			ids = append(ids, f.lock(t, m))
			_, err := f.msgs.Claim(f.ctx, &types.MsgClaim{Claimer: buyer.String(), Id: ids[2], Secret: secret.String()})
			require.NoError(t, err)
			f.advance(time.Minute)
			require.NoError(t, f.k.EndBlocker(f.ctx))
			require.Equal(t, types.HTLC_STATE_REFUNDED, f.htlc(t, ids[1]).State)
			return publish(attestation("spend"))
		}, func() {
			carries(attestation("spend"), types.HTLC_STATE_LOCKED, types.HTLC_STATE_REFUNDED, types.HTLC_STATE_CLAIMED)
			published(attestation("spend"), ids)
			require.Equal(t, fmt.Sprintf("secret of %s published on htlc %s, %s, %s", hash(), ids[0], ids[1], ids[2]), result)
			require.Equal(t, sdkmath.NewInt(1_000), f.balance(escrow), "only the locked htlc's escrow is held")
		}},
		{"with no htlc under the hash, which then takes no lock", func() func() error {
			ids = nil
			return publish(attestation("spend"))
		}, func() {
			published(attestation("spend"), nil)
			require.Equal(t, fmt.Sprintf("secret of %s published; no hub htlc uses it yet", hash()), result)
			_, err := f.msgs.Lock(f.ctx, f.lockMsg(secret))
			require.ErrorIs(t, err, types.ErrSecretPublic)
		}},
		{"twice, by two attestations: the second changes nothing", func() func() error {
			ids = []string{f.lock(t, f.lockMsg(secret))}
			require.NoError(t, publish(attestation("seen on stellar"))())
			f.advance(time.Second)
			f.freshEvents()
			before := f.snapshot(t)
			return func() error {
				if err := publish(attestation("seen on bitcoin"))(); err != nil {
					return err
				}
				require.Equal(t, before, f.snapshot(t))
				return nil
			}
		}, func() {
			require.Empty(t, typedEvents[*types.EventForeignSecretPublished](f))
			require.Equal(t, fmt.Sprintf("secret of %s already published by %s at height 10; nothing to do", hash(), attestation("seen on stellar")), result)
			h := f.htlc(t, ids[0])
			require.Equal(t, []any{attestation("seen on stellar"), int64(10)}, []any{h.ForeignSecretEvidence, h.ForeignSecretHeight})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f = setup(t)
			secret = newSecret(t)
			step := tc.malleate()
			f.freshEvents()
			require.NoError(t, step())
			tc.check()
		})
	}
}

// TestPublishForeignSecretRefusals: a secret is published only if it opens
// its hash, whoever vouches for it (a lying or mistaken notary committee),
// in the one spelling the hub stores; a refusal changes nothing and emits
// nothing.
func TestPublishForeignSecretRefusals(t *testing.T) {
	var fixed hashlock.Secret
	copy(fixed[:], "a 32-byte secret for these tests")
	hash, secret, evidence := fixed.Hash().String(), fixed.String(), attestation("spend")
	cases := []struct {
		name                     string
		hashLock, secret, proved string
		wantErr                  error
		wantMsg                  string
	}{
		{"a secret that does not open the hash", hash, newSecret(t).String(), evidence, types.ErrWrongSecret, "the lock is " + hash},
		{"a hash lock in upper case", strings.ToUpper(hash), secret, evidence, types.ErrInvalidHashLock, "not lower-case hex"},
		{"a hash lock of 31 bytes", hash[:62], secret, evidence, types.ErrInvalidHashLock, "got 31 bytes"},
		{"a hash lock that is not hex", "zz" + hash[2:], secret, evidence, types.ErrInvalidHashLock, "not hex"},
		{"a secret in upper case", hash, strings.ToUpper(secret), evidence, types.ErrInvalidSecret, "not lower-case hex"},
		{"a secret of 31 bytes", hash, secret[:62], evidence, types.ErrSecretLength, "got 31 bytes"},
		{"a secret of 33 bytes", hash, secret + "ab", evidence, types.ErrSecretLength, "got 33 bytes"},
		{"a secret that is not hex", hash, "zz" + secret[2:], evidence, types.ErrInvalidSecret, "not hex"},
		{"no secret", hash, "", evidence, types.ErrSecretLength, "got 0 bytes"},
		{"no evidence", hash, secret, "", types.ErrInvalidEvidence, `got ""`},
		{"evidence with a line break", hash, secret, evidence + "\nforged", types.ErrInvalidEvidence, "got"},
		{"evidence of 129 characters", hash, secret, strings.Repeat("a", 129), types.ErrInvalidEvidence, "got"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			id := f.lock(t, f.lockMsg(fixed))
			f.freshEvents()
			before := f.snapshot(t)
			_, err := f.k.PublishForeignSecret(f.ctx, tc.hashLock, tc.secret, tc.proved)
			require.Error(t, err)
			require.Truef(t, errorsmod.IsOf(err, tc.wantErr), "got %v, want %v", err, tc.wantErr)
			require.Contains(t, err.Error(), tc.wantMsg)
			require.Equal(t, before, f.snapshot(t), "a refused secret changed state")
			require.Empty(t, typedEvents[*types.EventForeignSecretPublished](f))
			require.Empty(t, f.htlc(t, id).ForeignSecret)
		})
	}
}

// TestPublishedSecretQuery: the published secret by hash (any case), and
// the errors a client branches on.
func TestPublishedSecretQuery(t *testing.T) {
	f := setup(t)
	s := newSecret(t)
	_, err := f.k.PublishForeignSecret(f.ctx, s.Hash().String(), s.String(), attestation("spend"))
	require.NoError(t, err)
	resp, err := f.queries.PublishedSecret(f.ctx, &types.QueryPublishedSecretRequest{HashLock: strings.ToUpper(s.Hash().String())})
	require.NoError(t, err)
	require.Equal(t, s.String(), resp.PublishedSecret.Secret)

	cases := []struct {
		name string
		req  *types.QueryPublishedSecretRequest
		want codes.Code
	}{
		{"a hash nobody published", &types.QueryPublishedSecretRequest{HashLock: newSecret(t).Hash().String()}, codes.NotFound},
		{"a malformed hash", &types.QueryPublishedSecretRequest{HashLock: "abc"}, codes.InvalidArgument},
		{"no request", nil, codes.InvalidArgument},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.queries.PublishedSecret(f.ctx, tc.req)
			require.Equal(t, tc.want, status.Code(err), "%v", err)
		})
	}
}

// TestGenesisPublishedSecrets: published secrets and the HTLCs carrying
// them survive an export and import, and the imported chain still refuses
// a lock under a published hash.
func TestGenesisPublishedSecrets(t *testing.T) {
	f := setup(t)
	used, unused := newSecret(t), newSecret(t)
	id := f.lock(t, f.lockMsg(used))
	for _, s := range []hashlock.Secret{used, unused} {
		_, err := f.k.PublishForeignSecret(f.ctx, s.Hash().String(), s.String(), attestation(s.String()))
		require.NoError(t, err)
	}
	exported, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Len(t, exported.PublishedSecrets, 2)

	g := setup(t)
	require.NoError(t, g.k.InitGenesis(g.ctx, *exported))
	again, err := g.k.ExportGenesis(g.ctx)
	require.NoError(t, err)
	require.Equal(t, exported, again)
	require.Equal(t, used.String(), g.htlc(t, id).ForeignSecret)
	for _, s := range []hashlock.Secret{used, unused} {
		m := g.lockMsg(s)
		m.Sender = stranger.String()
		_, err := g.msgs.Lock(g.ctx, m)
		require.ErrorIs(t, err, types.ErrSecretPublic)
	}
}
