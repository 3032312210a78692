package audit_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"

	sdkmath "cosmossdk.io/math"

	"cosmossdk.io/log/v2"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/store/v2/rootmulti"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	commitmenttypes "github.com/cosmos/ibc-go/v11/modules/core/23-commitment/types"

	"github.com/vinhub/vinhub/audit"
	anchorkeeper "github.com/vinhub/vinhub/x/anchor/keeper"
	anchortypes "github.com/vinhub/vinhub/x/anchor/types"
	assetkeeper "github.com/vinhub/vinhub/x/asset/keeper"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	notarykeeper "github.com/vinhub/vinhub/x/notary/keeper"
	notarytypes "github.com/vinhub/vinhub/x/notary/types"
	vehiclekeeper "github.com/vinhub/vinhub/x/vehicle/keeper"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// The fixture is a real IAVL multistore, as a hub node commits it, with the
// real vehicle and asset keepers writing a car's life into it; proofs come
// from the store's own query path (prove=true), as a node serves them.

const (
	car   = "1HGCM82633A004352"
	other = "WVWZZZ1JZXW000001"
)

var (
	seller = sdk.AccAddress(bytes.Repeat([]byte{0x01}, 20))
	buyer  = sdk.AccAddress(bytes.Repeat([]byte{0x02}, 20))
	lender = sdk.AccAddress(bytes.Repeat([]byte{0x03}, 20))
	rep    = sdk.AccAddress(bytes.Repeat([]byte{0x04}, 20))
	start  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

type chain struct {
	cms     *rootmulti.Store
	ctx     sdk.Context
	vehicle vehiclekeeper.Keeper
	asset   assetkeeper.Keeper
	notary  notarykeeper.Keeper
	anchor  anchorkeeper.Keeper
	// appHashes[h] is the app hash committing the state after height h.
	appHashes map[int64][]byte
}

func newChain(t testing.TB) *chain {
	t.Helper()
	keys := storetypes.NewKVStoreKeys(vehicletypes.StoreKey, assettypes.StoreKey, notarytypes.StoreKey, anchortypes.StoreKey)
	cms := rootmulti.NewStore(dbm.NewMemDB(), log.NewNopLogger())
	for _, k := range keys {
		cms.MountStoreWithDB(k, storetypes.StoreTypeIAVL, nil)
	}
	require.NoError(t, cms.LoadLatestVersion())
	cdc := moduletestutil.MakeTestEncodingConfig().Codec
	addrCodec := addresscodec.NewBech32Codec("cosmos")
	authority := authtypes.NewModuleAddress("gov").String()
	vk := vehiclekeeper.NewKeeper(cdc, runtime.NewKVStoreService(keys[vehicletypes.StoreKey]), addrCodec, authority)
	ak := assetkeeper.NewKeeper(cdc, runtime.NewKVStoreService(keys[assettypes.StoreKey]), addrCodec, authority, nil, vk, nil, nil)
	nk := notarykeeper.NewKeeper(cdc, runtime.NewKVStoreService(keys[notarytypes.StoreKey]), addrCodec, authority, nil, vk, nil, nil)
	anc := anchorkeeper.NewKeeper(cdc, runtime.NewKVStoreService(keys[anchortypes.StoreKey]))
	vk.SetEvidenceAnchor(anc) // as the hub does: records' evidence hashes are anchored
	c := &chain{cms: cms, vehicle: vk, asset: ak, notary: nk, anchor: anc, appHashes: map[int64][]byte{}}
	c.ctx = sdk.NewContext(cms, cmtproto.Header{Height: 1, Time: start}, false, log.NewNopLogger())
	require.NoError(t, vk.InitGenesis(c.ctx, *vehicletypes.DefaultGenesis()))
	require.NoError(t, ak.Params.Set(c.ctx, assettypes.DefaultParams())) // a hub's asset store is never empty
	require.NoError(t, vk.RegisterDealer(c.ctx, "acme", "Acme Motors"))
	require.NoError(t, vk.AdmitReporter(c.ctx, "acme", rep))
	return c
}

// commit ends the block: the state is committed and the next block begins.
func (c *chain) commit() int64 {
	id := c.cms.Commit()
	c.appHashes[id.Version] = id.Hash
	c.ctx = c.ctx.WithBlockHeight(id.Version + 1).WithBlockTime(c.ctx.BlockTime().Add(time.Hour))
	return id.Version
}

// state is the committed state at height h, as a verified header gives it.
func (c *chain) state(h int64) audit.Verified {
	return audit.Verified{Height: h, AppHash: c.appHashes[h]}
}

// Prove implements audit.Prover over the committed store, as a node's abci_query does.
func (c *chain) Prove(_ context.Context, store string, key []byte, height int64) (audit.Read, error) {
	res, err := c.cms.Query(&storetypes.RequestQuery{Path: "/" + store + "/key", Data: key, Height: height, Prove: true})
	if err != nil {
		return audit.Read{}, err
	}
	proof, err := commitmenttypes.ConvertProofs(res.ProofOps)
	if err != nil {
		return audit.Read{}, err
	}
	return audit.Read{Store: store, Key: key, Value: res.Value, Proof: proof}, nil
}

func (c *chain) record(t testing.TB, vin string, km uint64, at time.Time) {
	t.Helper()
	_, err := c.vehicle.RecordBatch(c.ctx, "acme", rep, []vehicletypes.RecordInput{{Vin: vin, Kind: vehicletypes.RECORD_KIND_MILEAGE, OdometerKm: km, OccurredAt: at}})
	require.NoError(t, err)
}

// life writes a car's life: three readings (the last a rollback), a sale
// on credit, the loan defaulted (the title to the lender, lien released),
// a second loan with its lien active; another car has one record.
func (c *chain) life(t testing.TB) {
	t.Helper()
	c.record(t, car, 10_000, start.Add(-90*24*time.Hour))
	c.record(t, car, 20_000, start.Add(-60*24*time.Hour))
	c.record(t, car, 15_000, start.Add(-30*24*time.Hour))
	c.record(t, other, 5_000, start.Add(-10*24*time.Hour))
	principal := sdk.NewCoin("stake", sdkmath.NewInt(10_000))
	require.NoError(t, c.asset.Assets.Set(c.ctx, 1, assettypes.Asset{Id: 1, Kind: assettypes.ASSET_KIND_VEHICLE, Owner: lender.String(),
		Vin: car, Status: assettypes.ASSET_STATUS_PLEDGED, LoanId: 2}))
	require.NoError(t, c.asset.Loans.Set(c.ctx, 1, assettypes.Loan{Id: 1, AssetId: 1, Lender: lender.String(), Borrower: buyer.String(),
		Principal: principal, Status: assettypes.LOAN_STATUS_DEFAULTED}))
	require.NoError(t, c.asset.Loans.Set(c.ctx, 2, assettypes.Loan{Id: 2, AssetId: 1, Lender: seller.String(), Borrower: lender.String(),
		Principal: principal, Status: assettypes.LOAN_STATUS_ACTIVE}))
	_, err := c.vehicle.AppendOwnershipRecord(c.ctx, car, vehicletypes.TitleOrigin{Module: "asset", Reference: "asset/1", AssetId: 1,
		From: seller.String(), To: buyer.String(), Cause: vehicletypes.TITLE_CAUSE_SALE})
	require.NoError(t, err)
	first := vehicletypes.LienHolder{Module: "asset", Lender: lender.String(), Reference: "loan/1"}
	lien, err := c.vehicle.GrantLien(c.ctx, car, first)
	require.NoError(t, err)
	_, err = c.vehicle.ReleaseLien(c.ctx, lien.Id, first, "default")
	require.NoError(t, err)
	_, err = c.vehicle.AppendOwnershipRecord(c.ctx, car, vehicletypes.TitleOrigin{Module: "asset", Reference: "loan/1", AssetId: 1,
		From: buyer.String(), To: lender.String(), Cause: vehicletypes.TITLE_CAUSE_DEFAULT})
	require.NoError(t, err)
	_, err = c.vehicle.GrantLien(c.ctx, car, vehicletypes.LienHolder{Module: "asset", Lender: seller.String(), Reference: "loan/2"})
	require.NoError(t, err)
}

// audited is a chain after the car's life, committed, and the evidence
// about the car at that height.
func audited(tb testing.TB) (*chain, int64, audit.Evidence) {
	tb.Helper()
	c := newChain(tb)
	c.life(tb)
	h := c.commit()
	ev, err := audit.Fetch(context.Background(), c, car, c.state(h))
	require.NoError(tb, err)
	return c, h, ev
}
