package keeper_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/gogoproto/proto"

	corestore "cosmossdk.io/core/store"
	"cosmossdk.io/log/v2"
	sdkmath "cosmossdk.io/math"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	"github.com/cosmos/cosmos-sdk/x/auth"
	authkeeper "github.com/cosmos/cosmos-sdk/x/auth/keeper"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/bank"
	bankkeeper "github.com/cosmos/cosmos-sdk/x/bank/keeper"
	banktestutil "github.com/cosmos/cosmos-sdk/x/bank/testutil"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	minttypes "github.com/cosmos/cosmos-sdk/x/mint/types"

	"github.com/vinhub/vinhub/hashlock"
	assetkeeper "github.com/vinhub/vinhub/x/asset/keeper"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	creditkeeper "github.com/vinhub/vinhub/x/credit/keeper"
	credittypes "github.com/vinhub/vinhub/x/credit/types"
	"github.com/vinhub/vinhub/x/htlc/keeper"
	"github.com/vinhub/vinhub/x/htlc/types"
	membershipkeeper "github.com/vinhub/vinhub/x/membership/keeper"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	vehiclekeeper "github.com/vinhub/vinhub/x/vehicle/keeper"
	vehicletestutil "github.com/vinhub/vinhub/x/vehicle/testutil"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// The fixture runs the htlc keeper over the real bank and asset keepers
// (and the vehicle, membership and credit keepers the asset keeper needs)
// on one in-memory multistore: no app, no mocks. Its bank keeper blocks no
// module account, so a regulator can freeze a title in the htlc escrow —
// the app refuses that (x/asset ErrInEscrow); tests use it to make a payout
// fail and check that the failure is reported, never swallowed.

const (
	denom   = "stake"
	chainID = "vinhub-test"
)

var (
	seller   = sdk.AccAddress(bytes.Repeat([]byte{0x01}, 20))
	buyer    = sdk.AccAddress(bytes.Repeat([]byte{0x02}, 20))
	stranger = sdk.AccAddress(bytes.Repeat([]byte{0x03}, 20))
	examiner = sdk.AccAddress(bytes.Repeat([]byte{0x04}, 20))
	regul    = sdk.AccAddress(bytes.Repeat([]byte{0x05}, 20))
	lender   = sdk.AccAddress(bytes.Repeat([]byte{0x06}, 20))
	reporter = sdk.AccAddress(bytes.Repeat([]byte{0x07}, 20))
	escrow   = keeper.ModuleAddress()

	start    = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	evidence = "aa" + string(bytes.Repeat([]byte("0"), 62))
	carVIN   = vehicletestutil.VIN(1)
)

type fixture struct {
	ctx     sdk.Context
	k       keeper.Keeper
	msgs    types.MsgServer
	queries types.QueryServer
	bank    bankkeeper.Keeper
	asset   assetkeeper.Keeper
	assets  assettypes.MsgServer
	vehicle vehiclekeeper.Keeper
}

func coins(n int64) sdk.Coins { return sdk.NewCoins(sdk.NewCoin(denom, sdkmath.NewInt(n))) }

func setup(t *testing.T) *fixture {
	t.Helper()
	keys := storetypes.NewKVStoreKeys(authtypes.StoreKey, banktypes.StoreKey, vehicletypes.StoreKey,
		membershiptypes.StoreKey, credittypes.StoreKey, assettypes.StoreKey, types.StoreKey)
	ctx := testutil.DefaultContextWithKeys(keys, nil, nil).WithBlockTime(start).WithBlockHeight(10).WithChainID(chainID)
	cdc := moduletestutil.MakeTestEncodingConfig(auth.AppModuleBasic{}, bank.AppModuleBasic{}).Codec
	addrCodec := addresscodec.NewBech32Codec("cosmos")
	authority := authtypes.NewModuleAddress("gov").String()
	svc := func(name string) corestore.KVStoreService { return runtime.NewKVStoreService(keys[name]) }

	ak := authkeeper.NewAccountKeeper(cdc, svc(authtypes.StoreKey), authtypes.ProtoBaseAccount,
		map[string][]string{minttypes.ModuleName: {authtypes.Minter}, assettypes.ModuleName: nil, types.ModuleName: nil},
		addrCodec, "cosmos", authority)
	bk := bankkeeper.NewBaseKeeper(cdc, svc(banktypes.StoreKey), ak, nil, authority, log.NewNopLogger())
	vk := vehiclekeeper.NewKeeper(cdc, svc(vehicletypes.StoreKey), addrCodec, authority)
	mk := membershipkeeper.NewKeeper(cdc, svc(membershiptypes.StoreKey), addrCodec, authority)
	ck := creditkeeper.NewKeeper(cdc, svc(credittypes.StoreKey), addrCodec, authority)
	assetK := assetkeeper.NewKeeper(cdc, svc(assettypes.StoreKey), addrCodec, authority, bk, vk, mk, ck)
	k := keeper.NewKeeper(cdc, svc(types.StoreKey), addrCodec, authority, bk, assetK)

	require.NoError(t, vk.InitGenesis(ctx, *vehicletypes.DefaultGenesis()))
	require.NoError(t, ck.InitGenesis(ctx, *credittypes.DefaultGenesis()))
	require.NoError(t, assetK.InitGenesis(ctx, *assettypes.DefaultGenesis()))
	require.NoError(t, k.InitGenesis(ctx, *types.DefaultGenesis()))
	require.NoError(t, mk.GrantRole(ctx, examiner, membershiptypes.ROLE_EXAMINER, "valuer"))
	require.NoError(t, mk.GrantRole(ctx, regul, membershiptypes.ROLE_REGULATOR, "authority"))
	require.NoError(t, mk.GrantRole(ctx, lender, membershiptypes.ROLE_LENDER, "bank"))
	for _, acc := range []sdk.AccAddress{seller, buyer, stranger, lender} {
		require.NoError(t, banktestutil.FundAccount(ctx, bk, acc, coins(1_000_000)))
	}
	// The car has a history on the hub, so it can back an asset.
	require.NoError(t, vk.RegisterDealer(ctx, "acme", "Acme Motors"))
	require.NoError(t, vk.AdmitReporter(ctx, "acme", reporter))
	_, err := vk.RecordBatch(ctx, "acme", reporter, []vehicletypes.RecordInput{{
		Vin: carVIN, Kind: vehicletypes.RECORD_KIND_MILEAGE, OdometerKm: 42_000, OccurredAt: start.Add(-time.Hour),
	}})
	require.NoError(t, err)

	return &fixture{ctx: ctx, k: k, msgs: keeper.NewMsgServerImpl(k), queries: keeper.NewQueryServerImpl(k),
		bank: bk, asset: assetK, assets: assetkeeper.NewMsgServerImpl(assetK), vehicle: vk}
}

// car is an approved vehicle asset owned by the seller.
func (f *fixture) car(t *testing.T) uint64 {
	t.Helper()
	resp, err := f.assets.Apply(f.ctx, &assettypes.MsgApply{Owner: seller.String(), Kind: assettypes.ASSET_KIND_VEHICLE,
		Description: "2019 Honda Accord, silver", EvidenceHashes: []string{evidence}, Vin: carVIN})
	require.NoError(t, err)
	_, err = f.assets.Approve(f.ctx, &assettypes.MsgApprove{Examiner: examiner.String(), AssetId: resp.AssetId,
		Valuation: sdk.NewCoin(denom, sdkmath.NewInt(50_000)), EvidenceHash: evidence})
	require.NoError(t, err)
	return resp.AssetId
}

func (f *fixture) owner(t *testing.T, assetID uint64) string {
	t.Helper()
	a, err := f.asset.GetAsset(f.ctx, assetID)
	require.NoError(t, err)
	return a.Owner
}

func (f *fixture) balance(addr sdk.AccAddress) sdkmath.Int {
	return f.bank.GetBalance(f.ctx, addr, denom).Amount
}

func (f *fixture) htlc(t *testing.T, id string) types.HTLC {
	t.Helper()
	h, err := f.k.GetHTLC(f.ctx, id)
	require.NoError(t, err)
	return h
}

// advance moves the block time by d and the height by one.
func (f *fixture) advance(d time.Duration) {
	f.ctx = f.ctx.WithBlockTime(f.ctx.BlockTime().Add(d)).WithBlockHeight(f.ctx.BlockHeight() + 1)
}

func newSecret(t *testing.T) hashlock.Secret {
	t.Helper()
	s, err := hashlock.NewSecret()
	require.NoError(t, err)
	return s
}

// lockMsg is the seller locking 1,000stake to the buyer for an hour under s.
func (f *fixture) lockMsg(s hashlock.Secret) *types.MsgLock {
	return &types.MsgLock{Sender: seller.String(), Recipient: buyer.String(), HashLock: s.Hash().String(),
		Expiry: f.ctx.BlockTime().Add(time.Hour), Amount: coins(1_000)}
}

// lock locks msg and returns the id.
func (f *fixture) lock(t *testing.T, msg *types.MsgLock) string {
	t.Helper()
	resp, err := f.msgs.Lock(f.ctx, msg)
	require.NoError(t, err)
	return resp.Id
}

// lockTitle locks the seller's car to the buyer for an hour under s.
func (f *fixture) lockTitle(t *testing.T, assetID uint64, s hashlock.Secret) string {
	t.Helper()
	m := f.lockMsg(s)
	m.Amount, m.AssetId = nil, assetID
	return f.lock(t, m)
}

// snapshot is everything a refused message must leave untouched.
type snapshot struct {
	htlcs    *types.GenesisState
	assets   *assettypes.GenesisState
	balances map[string]sdk.Coins
}

func (f *fixture) snapshot(t *testing.T) snapshot {
	t.Helper()
	hs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	as, err := f.asset.ExportGenesis(f.ctx)
	require.NoError(t, err)
	balances := map[string]sdk.Coins{}
	for _, acc := range []sdk.AccAddress{seller, buyer, stranger, lender, escrow} {
		balances[acc.String()] = f.bank.GetAllBalances(f.ctx, acc)
	}
	return snapshot{htlcs: hs, assets: as, balances: balances}
}

// typedEvents returns the events of type T emitted on f.ctx since freshEvents.
func typedEvents[T proto.Message](f *fixture) []T {
	var out []T
	for _, ev := range f.ctx.EventManager().ABCIEvents() {
		msg, err := sdk.ParseTypedEvent(ev)
		if err != nil {
			continue // bank's untyped coin events
		}
		if e, ok := msg.(T); ok {
			out = append(out, e)
		}
	}
	return out
}

// freshEvents starts a new event log on f.ctx.
func (f *fixture) freshEvents() { f.ctx = f.ctx.WithEventManager(sdk.NewEventManager()) }
