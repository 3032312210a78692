package keeper_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/vinhub/vinhub/hashlock"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	"github.com/vinhub/vinhub/x/htlc/types"
)

// population locks four HTLCs from the seller to the buyer and leaves one
// claimed, one refunded, one whose automatic refund failed and one locked,
// whose secret a notary attestation then publishes from another rail (as
// it does a secret no HTLC uses).
func population(t *testing.T, f *fixture) (claimed, refunded, failed, locked string) {
	t.Helper()
	s := newSecret(t)
	claimed = f.lock(t, f.lockMsg(s))
	_, err := f.msgs.Claim(f.ctx, &types.MsgClaim{Claimer: buyer.String(), Id: claimed, Secret: s.String()})
	require.NoError(t, err)
	refunded = f.lock(t, f.lockMsg(newSecret(t)))
	car := f.car(t)
	failed = f.lockTitle(t, car, newSecret(t))
	_, err = f.assets.Freeze(f.ctx, &assettypes.MsgFreeze{Signer: regul.String(), AssetId: car, Reason: "court order 12"})
	require.NoError(t, err)
	f.advance(time.Hour)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	public := newSecret(t)
	locked = f.lock(t, f.lockMsg(public))
	for _, p := range []hashlock.Secret{public, newSecret(t)} {
		_, err = f.k.PublishForeignSecret(f.ctx, p.Hash().String(), p.String(), attestation(p.String()))
		require.NoError(t, err)
	}
	return claimed, refunded, failed, locked
}

func TestGenesisRoundTrip(t *testing.T) {
	f := setup(t)
	_, _, failed, locked := population(t, f)
	params := types.Params{MinLockDuration: time.Minute, MaxLockDuration: time.Hour}
	require.NoError(t, f.k.Params.Set(f.ctx, params))
	exported, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, exported.Validate())
	require.Len(t, exported.Htlcs, 4)

	g := setup(t)
	require.NoError(t, g.k.InitGenesis(g.ctx, *exported))
	again, err := g.k.ExportGenesis(g.ctx)
	require.NoError(t, err)
	require.Equal(t, exported, again)

	// The indexes are rebuilt: only the plain locked HTLC is queued for the end block.
	var queued []string
	require.NoError(t, g.k.Expiring.Walk(g.ctx, nil, func(k collections.Pair[time.Time, string]) (bool, error) {
		queued = append(queued, k.K2())
		return false, nil
	}))
	require.Equal(t, []string{locked}, queued)
	h, err := g.k.GetHTLCByHashAndSender(g.ctx, f.htlc(t, failed).HashLock, seller.String())
	require.NoError(t, err)
	require.Equal(t, failed, h.Id)
	resp, err := g.queries.HTLCsByParticipant(g.ctx, &types.QueryHTLCsByParticipantRequest{Address: buyer.String()})
	require.NoError(t, err)
	require.Len(t, resp.Htlcs, 4)
}

func TestGenesisValidate(t *testing.T) {
	f := setup(t)
	population(t, f)
	good, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	byState := func(gs *types.GenesisState, s types.HTLCState) *types.HTLC {
		for i := range gs.Htlcs {
			if gs.Htlcs[i].State == s {
				return &gs.Htlcs[i]
			}
		}
		t.Fatalf("no %s htlc", s)
		return nil
	}
	// carrier is the HTLC whose secret was published from another rail.
	carrier := func(gs *types.GenesisState) *types.HTLC {
		for i := range gs.Htlcs {
			if gs.Htlcs[i].ForeignSecret != "" {
				return &gs.Htlcs[i]
			}
		}
		t.Fatal("no htlc carries a foreign secret")
		return nil
	}
	cases := []struct {
		name     string
		malleate func(gs *types.GenesisState)
		want     string
	}{
		{"valid", func(*types.GenesisState) {}, ""},
		{"duplicate htlc", func(gs *types.GenesisState) { gs.Htlcs = append(gs.Htlcs, gs.Htlcs[0]) }, "appears twice"},
		{"id not from its fields", func(gs *types.GenesisState) { gs.Htlcs[0].Recipient = stranger.String() }, "does not match its fields"},
		// The claimed HTLC's hash is not published: only the duplicate is wrong.
		{"a hash twice from one sender", func(gs *types.GenesisState) {
			h := byState(gs, types.HTLC_STATE_REFUNDED)
			h.HashLock = byState(gs, types.HTLC_STATE_CLAIMED).HashLock
			h.Recipient = stranger.String() // else both could get the same id: another refusal
			h.Id = h.ExpectedID()
		}, "of the same sender"},
		{"a hash once from each of two senders", func(gs *types.GenesisState) {
			h := byState(gs, types.HTLC_STATE_REFUNDED)
			h.HashLock = byState(gs, types.HTLC_STATE_CLAIMED).HashLock
			h.Sender = stranger.String()
			h.Id = h.ExpectedID()
		}, ""},
		{"upper-case hash", func(gs *types.GenesisState) {
			h := &gs.Htlcs[0]
			h.HashLock = strings.ToUpper(h.HashLock)
			h.Id = h.ExpectedID()
		}, "not lower-case"},
		{"no chain id", func(gs *types.GenesisState) { gs.Htlcs[0].ChainId = "" }, "no chain id"},
		{"sender in upper case", func(gs *types.GenesisState) {
			h := &gs.Htlcs[0]
			h.Sender = strings.ToUpper(h.Sender)
			h.Id = h.ExpectedID()
		}, "not in canonical form"},
		{"recipient is the sender in upper case", func(gs *types.GenesisState) {
			h := &gs.Htlcs[0]
			h.Recipient = strings.ToUpper(h.Sender)
			h.Id = h.ExpectedID()
		}, "recipient"},
		{"locked with a secret", func(gs *types.GenesisState) {
			byState(gs, types.HTLC_STATE_LOCKED).Secret = byState(gs, types.HTLC_STATE_CLAIMED).Secret
		}, "a locked htlc has no secret"},
		{"claimed with the wrong secret", func(gs *types.GenesisState) {
			byState(gs, types.HTLC_STATE_CLAIMED).Secret = strings.Repeat("00", 32)
		}, "secret does not match"},
		{"refunded with a secret", func(gs *types.GenesisState) {
			byState(gs, types.HTLC_STATE_REFUNDED).Secret = strings.Repeat("00", 32)
		}, "a refunded htlc has no secret"},
		{"a published secret that does not open its hash", func(gs *types.GenesisState) {
			gs.PublishedSecrets[0].Secret = strings.Repeat("00", 32)
		}, "secret does not match"},
		{"a published secret in upper case", func(gs *types.GenesisState) {
			gs.PublishedSecrets[0].Secret = strings.ToUpper(gs.PublishedSecrets[0].Secret)
		}, "not lower-case hex"},
		{"a published secret without evidence", func(gs *types.GenesisState) { gs.PublishedSecrets[1].Evidence = "" }, "evidence"},
		{"a hash published twice", func(gs *types.GenesisState) {
			gs.PublishedSecrets = append(gs.PublishedSecrets, gs.PublishedSecrets[0])
		}, "published twice"},
		{"a foreign secret whose hash is not published", func(gs *types.GenesisState) {
			hash := carrier(gs).HashLock
			gs.PublishedSecrets = slices.DeleteFunc(gs.PublishedSecrets, func(p types.PublishedSecret) bool { return p.HashLock == hash })
		}, "not a published secret"},
		{"an htlc under a published hash without its secret", func(gs *types.GenesisState) {
			h := carrier(gs)
			h.ForeignSecret, h.ForeignSecretEvidence, h.ForeignSecretHeight = "", "", 0
		}, "does not carry its secret"},
		{"a foreign secret that does not open the htlc's hash", func(gs *types.GenesisState) {
			carrier(gs).ForeignSecret = strings.Repeat("00", 32)
		}, "foreign secret: "},
		{"foreign secret evidence without a foreign secret", func(gs *types.GenesisState) {
			byState(gs, types.HTLC_STATE_REFUNDED).ForeignSecretEvidence = attestation("x")
		}, "without a foreign secret"},
		{"a foreign secret recorded before its htlc was created", func(gs *types.GenesisState) {
			carrier(gs).ForeignSecretHeight = 1
		}, "before the htlc was created"},
		{"unspecified state", func(gs *types.GenesisState) { gs.Htlcs[0].State = types.HTLC_STATE_UNSPECIFIED }, "invalid state"},
		{"bad params", func(gs *types.GenesisState) { gs.Params.MaxLockDuration = time.Second }, "below min_lock_duration"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			gs, err := f.k.ExportGenesis(f.ctx)
			require.NoError(t, err)
			require.Equal(t, good, gs)
			tc.malleate(gs)
			err = gs.Validate()
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.want)
			require.Error(t, setup(t).k.InitGenesis(f.ctx, *gs), "init must refuse what validate refuses")
		})
	}
}

func TestQueries(t *testing.T) {
	f := setup(t)
	claimed, refunded, failed, locked := population(t, f)

	one, err := f.queries.HTLC(f.ctx, &types.QueryHTLCRequest{Id: claimed})
	require.NoError(t, err)
	require.Equal(t, types.HTLC_STATE_CLAIMED, one.Htlc.State)
	_, err = f.queries.HTLC(f.ctx, &types.QueryHTLCRequest{Id: strings.Repeat("0", 64)})
	require.Equal(t, codes.NotFound, status.Code(err))

	params, err := f.queries.Params(f.ctx, &types.QueryParamsRequest{})
	require.NoError(t, err)
	require.Equal(t, types.DefaultParams(), params.Params)

	list := func(addr sdk.AccAddress, state types.HTLCState, page *query.PageRequest) ([]string, *query.PageResponse) {
		resp, err := f.queries.HTLCsByParticipant(f.ctx, &types.QueryHTLCsByParticipantRequest{Address: addr.String(), State: state, Pagination: page})
		require.NoError(t, err)
		var ids []string
		for _, h := range resp.Htlcs {
			ids = append(ids, h.Id)
		}
		return ids, resp.Pagination
	}
	all := []string{claimed, refunded, failed, locked}
	ids, _ := list(seller, types.HTLC_STATE_UNSPECIFIED, nil)
	require.ElementsMatch(t, all, ids)
	ids, _ = list(buyer, types.HTLC_STATE_LOCKED, nil)
	require.ElementsMatch(t, []string{failed, locked}, ids)
	ids, _ = list(buyer, types.HTLC_STATE_REFUNDED, nil)
	require.Equal(t, []string{refunded}, ids)
	ids, _ = list(stranger, types.HTLC_STATE_UNSPECIFIED, nil)
	require.Empty(t, ids)

	// Pages of two: every HTLC once, in two pages.
	first, page := list(seller, types.HTLC_STATE_UNSPECIFIED, &query.PageRequest{Limit: 2, CountTotal: true})
	require.Len(t, first, 2)
	require.Equal(t, uint64(4), page.Total)
	second, page := list(seller, types.HTLC_STATE_UNSPECIFIED, &query.PageRequest{Limit: 2, Key: page.NextKey})
	require.Len(t, second, 2)
	require.Nil(t, page.NextKey)
	require.ElementsMatch(t, all, append(first, second...))
	// A filtered page: one locked HTLC per page.
	firstLocked, page := list(seller, types.HTLC_STATE_LOCKED, &query.PageRequest{Limit: 1})
	secondLocked, _ := list(seller, types.HTLC_STATE_LOCKED, &query.PageRequest{Limit: 1, Key: page.NextKey})
	require.ElementsMatch(t, []string{failed, locked}, append(firstLocked, secondLocked...))

	_, err = f.queries.HTLCsByParticipant(f.ctx, &types.QueryHTLCsByParticipantRequest{Address: "cosmos1bad"})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	_, err = f.queries.HTLCsByParticipant(f.ctx, &types.QueryHTLCsByParticipantRequest{Address: seller.String(), State: 9})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
}

// TestQueriesByHash: three senders lock under one hash (a swap's two legs
// and a squatter's dust to the same recipient); the list names all three,
// and a lookup by (hash, sender) finds exactly each one.
func TestQueriesByHash(t *testing.T) {
	f := setup(t)
	s := newSecret(t)
	bySender := map[string]string{seller.String(): f.lock(t, f.lockMsg(s))}
	for _, from := range []sdk.AccAddress{stranger, buyer} {
		m := f.lockMsg(s)
		m.Sender, m.Recipient, m.Amount = from.String(), buyer.String(), coins(1)
		if from.Equals(buyer) {
			m.Recipient = seller.String()
		}
		bySender[from.String()] = f.lock(t, m)
	}
	other := f.lock(t, f.lockMsg(newSecret(t)))

	list := func(hash string, page *query.PageRequest) ([]string, *query.PageResponse) {
		resp, err := f.queries.HTLCsByHash(f.ctx, &types.QueryHTLCsByHashRequest{HashLock: hash, Pagination: page})
		require.NoError(t, err)
		var ids []string
		for _, h := range resp.Htlcs {
			require.Equal(t, s.Hash().String(), h.HashLock)
			ids = append(ids, h.Id)
		}
		return ids, resp.Pagination
	}
	all := []string{bySender[seller.String()], bySender[stranger.String()], bySender[buyer.String()]}
	ids, _ := list(strings.ToUpper(s.Hash().String()), nil)
	require.ElementsMatch(t, all, ids)
	require.NotContains(t, ids, other)
	first, page := list(s.Hash().String(), &query.PageRequest{Limit: 2, CountTotal: true})
	require.Len(t, first, 2)
	require.Equal(t, uint64(3), page.Total)
	second, page := list(s.Hash().String(), &query.PageRequest{Key: page.NextKey})
	require.Len(t, second, 1)
	require.Nil(t, page.NextKey)
	require.ElementsMatch(t, all, append(first, second...))
	ids, _ = list(strings.Repeat("0", 64), nil)
	require.Empty(t, ids, "an unused hash lists nothing")

	for sender, id := range bySender {
		for _, spelled := range []string{sender, strings.ToUpper(sender)} {
			resp, err := f.queries.HTLCByHashAndSender(f.ctx, &types.QueryHTLCByHashAndSenderRequest{HashLock: s.Hash().String(), Sender: spelled})
			require.NoError(t, err)
			require.Equal(t, id, resp.Htlc.Id)
			require.Equal(t, sender, resp.Htlc.Sender)
		}
	}

	cases := []struct {
		name string
		req  *types.QueryHTLCByHashAndSenderRequest
		want codes.Code
	}{
		{"a sender who did not lock under the hash", &types.QueryHTLCByHashAndSenderRequest{HashLock: s.Hash().String(), Sender: lender.String()}, codes.NotFound},
		{"an unused hash", &types.QueryHTLCByHashAndSenderRequest{HashLock: strings.Repeat("0", 64), Sender: seller.String()}, codes.NotFound},
		{"a malformed hash", &types.QueryHTLCByHashAndSenderRequest{HashLock: "abc", Sender: seller.String()}, codes.InvalidArgument},
		{"a malformed sender", &types.QueryHTLCByHashAndSenderRequest{HashLock: s.Hash().String(), Sender: "cosmos1bad"}, codes.InvalidArgument},
		{"no request", nil, codes.InvalidArgument},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.queries.HTLCByHashAndSender(f.ctx, tc.req)
			require.Equal(t, tc.want, status.Code(err), "%v", err)
		})
	}
	_, err := f.queries.HTLCsByHash(f.ctx, &types.QueryHTLCsByHashRequest{HashLock: "abc"})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
}
