package keeper_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"

	"github.com/vinhub/vinhub/x/anchor/keeper"
	"github.com/vinhub/vinhub/x/anchor/types"
)

const vin = "1HGCM82633A004352"

var (
	alice = sdk.AccAddress(bytes.Repeat([]byte{0x0a}, 20)).String()
	bob   = sdk.AccAddress(bytes.Repeat([]byte{0x0b}, 20)).String()
	t0    = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
)

type fixture struct {
	key     *storetypes.KVStoreKey
	ctx     sdk.Context
	k       keeper.Keeper
	msgs    types.MsgServer
	queries types.QueryServer
}

func setup(t *testing.T) fixture {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	testCtx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test"))
	ctx := testCtx.Ctx.WithBlockTime(t0).WithBlockHeight(7)
	k := keeper.NewKeeper(moduletestutil.MakeTestEncodingConfig().Codec, runtime.NewKVStoreService(key))
	return fixture{key: key, ctx: ctx, k: k, msgs: keeper.NewMsgServerImpl(k), queries: keeper.NewQueryServerImpl(k)}
}

func docHash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// exported returns the whole state, to check a refused message changed nothing.
func (f fixture) exported(t *testing.T) *types.GenesisState {
	t.Helper()
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	return gs
}

func TestAnchorEvidenceFirstAnchoringWins(t *testing.T) {
	f := setup(t)
	h := docHash("invoice 2026-0042")
	res, err := f.msgs.AnchorEvidence(f.ctx, &types.MsgAnchorEvidence{Submitter: alice, Sha256: h, Kind: types.EVIDENCE_KIND_INVOICE, Vin: "1hgcm82633a004352"})
	require.NoError(t, err)
	want := types.Anchoring{Sha256: h, Kind: types.EVIDENCE_KIND_INVOICE, Vin: vin, Submitter: alice, Height: 7, AnchoredAt: t0}
	require.Equal(t, &types.MsgAnchorEvidenceResponse{Anchoring: want}, res)
	require.Len(t, f.ctx.EventManager().Events(), 1)

	// Later, someone else anchors the same document: the first anchoring comes back, nothing is written.
	later := f.ctx.WithBlockHeight(20).WithBlockTime(t0.Add(time.Hour)).WithEventManager(sdk.NewEventManager())
	before := f.exported(t)
	res, err = f.msgs.AnchorEvidence(later, &types.MsgAnchorEvidence{Submitter: bob, Sha256: h, Kind: types.EVIDENCE_KIND_CONTRACT})
	require.NoError(t, err)
	require.Equal(t, &types.MsgAnchorEvidenceResponse{Anchoring: want, AlreadyAnchored: true}, res)
	require.Equal(t, before, f.exported(t))
	require.Empty(t, later.EventManager().Events())

	got, err := f.queries.Anchoring(f.ctx, &types.QueryAnchoringRequest{Sha256: hex.EncodeToString(h)})
	require.NoError(t, err)
	require.Equal(t, want, got.Anchoring)
	byVIN, err := f.queries.AnchoringsByVIN(f.ctx, &types.QueryAnchoringsByVINRequest{Vin: vin})
	require.NoError(t, err)
	require.Equal(t, []types.Anchoring{want}, byVIN.Anchorings)
}

func TestAnchorEvidenceRefusals(t *testing.T) {
	valid := func() *types.MsgAnchorEvidence {
		return &types.MsgAnchorEvidence{Submitter: alice, Sha256: docHash("doc"), Kind: types.EVIDENCE_KIND_DOCUMENT, Vin: vin}
	}
	tests := []struct {
		name     string
		malleate func(m *types.MsgAnchorEvidence)
		wantErr  error
	}{
		{"short hash", func(m *types.MsgAnchorEvidence) { m.Sha256 = m.Sha256[:31] }, types.ErrInvalidHash},
		{"long hash", func(m *types.MsgAnchorEvidence) { m.Sha256 = append(m.Sha256, 0) }, types.ErrInvalidHash},
		{"no hash", func(m *types.MsgAnchorEvidence) { m.Sha256 = nil }, types.ErrInvalidHash},
		{"unspecified kind", func(m *types.MsgAnchorEvidence) { m.Kind = types.EVIDENCE_KIND_UNSPECIFIED }, types.ErrInvalidKind},
		{"undefined kind", func(m *types.MsgAnchorEvidence) { m.Kind = 99 }, types.ErrInvalidKind},
		{"bad vin", func(m *types.MsgAnchorEvidence) { m.Vin = "1HGCM82633A00435" }, types.ErrInvalidVIN},
		{"bad check digit", func(m *types.MsgAnchorEvidence) { m.Vin = "1HGCM82643A004352" }, types.ErrInvalidVIN},
		{"bad submitter", func(m *types.MsgAnchorEvidence) { m.Submitter = "cosmos1nope" }, types.ErrInvalidSubmitter},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			msg := valid()
			tc.malleate(msg)
			before := f.exported(t)
			_, err := f.msgs.AnchorEvidence(f.ctx, msg)
			require.ErrorIs(t, err, tc.wantErr)
			require.Equal(t, before, f.exported(t))
			require.Empty(t, f.ctx.EventManager().Events())
		})
	}
}

func TestAcceptedEvidenceKeepsFirstAnchoring(t *testing.T) {
	f := setup(t)
	h := docHash("inspection report")
	require.NoError(t, f.k.AnchorRecordEvidence(f.ctx, h, vin, "dealer1reporter", 42))
	later := f.ctx.WithBlockHeight(9)
	require.NoError(t, f.k.AnchorValuationEvidence(later, h, "", bob, 3, 1))
	require.NoError(t, f.k.AnchorApplicationEvidence(later, docHash("title deed"), vin, alice, 3))

	a, err := f.k.Get(f.ctx, h)
	require.NoError(t, err)
	require.Equal(t, types.Anchoring{Sha256: h, Kind: types.EVIDENCE_KIND_RECORD_EVIDENCE, Vin: vin, Submitter: "dealer1reporter",
		Height: 7, AnchoredAt: t0, Source: "vehicle/record/42"}, a)
	deed, err := f.k.Get(f.ctx, docHash("title deed"))
	require.NoError(t, err)
	require.Equal(t, "asset/3/application", deed.Source)
	require.Equal(t, types.EVIDENCE_KIND_ASSET_DOCUMENT, deed.Kind)
}

func TestAnchoringQueryErrors(t *testing.T) {
	f := setup(t)
	_, err := f.queries.Anchoring(f.ctx, &types.QueryAnchoringRequest{Sha256: hex.EncodeToString(docHash("never"))})
	require.Equal(t, codes.NotFound, status.Code(err))
	_, err = f.queries.Anchoring(f.ctx, &types.QueryAnchoringRequest{Sha256: "abcd"})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	_, err = f.k.Get(f.ctx, docHash("never"))
	require.ErrorIs(t, err, types.ErrNotAnchored)
}

func TestGenesisRoundTrip(t *testing.T) {
	f := setup(t)
	require.NoError(t, f.k.AnchorRecordEvidence(f.ctx, docHash("a"), vin, "r", 1))
	require.NoError(t, f.k.AnchorApplicationEvidence(f.ctx, docHash("b"), "", alice, 2))
	gs := f.exported(t)
	require.NoError(t, gs.Validate())

	g := setup(t)
	require.NoError(t, g.k.InitGenesis(g.ctx, *gs))
	require.Equal(t, gs, g.exported(t))
	byVIN, err := g.queries.AnchoringsByVIN(g.ctx, &types.QueryAnchoringsByVINRequest{Vin: vin})
	require.NoError(t, err)
	require.Len(t, byVIN.Anchorings, 1)

	twice := types.GenesisState{Anchorings: []types.Anchoring{gs.Anchorings[0], gs.Anchorings[0]}}
	require.ErrorIs(t, twice.Validate(), types.ErrInvalidGenesis)
}

// TestStoreLayout pins the keys docs/spec/anchor.md gives auditors: an
// anchoring is the value at 0x00 || sha256 (32 raw bytes); the VIN index is
// 0x01 || vin || 0x00 || sha256 with an empty value.
func TestStoreLayout(t *testing.T) {
	f := setup(t)
	h := docHash("contract")
	require.NoError(t, f.k.AnchorRecordEvidence(f.ctx, h, vin, "r", 5))
	store := f.ctx.KVStore(f.key)

	var a types.Anchoring
	require.NoError(t, moduletestutil.MakeTestEncodingConfig().Codec.Unmarshal(store.Get(append([]byte{0x00}, h...)), &a))
	require.Equal(t, h, a.Sha256)
	require.Equal(t, "vehicle/record/5", a.Source)

	byVIN := append(append(append([]byte{0x01}, vin...), 0x00), h...)
	require.True(t, store.Has(byVIN))
	require.Empty(t, store.Get(byVIN))
}
