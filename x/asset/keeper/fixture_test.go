package keeper_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	corestore "cosmossdk.io/core/store"
	sdkmath "cosmossdk.io/math"

	"cosmossdk.io/log/v2"

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

	anchorkeeper "github.com/vinhub/vinhub/x/anchor/keeper"
	anchortypes "github.com/vinhub/vinhub/x/anchor/types"
	"github.com/vinhub/vinhub/x/asset/keeper"
	"github.com/vinhub/vinhub/x/asset/types"
	creditkeeper "github.com/vinhub/vinhub/x/credit/keeper"
	credittypes "github.com/vinhub/vinhub/x/credit/types"
	membershipkeeper "github.com/vinhub/vinhub/x/membership/keeper"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	vehiclekeeper "github.com/vinhub/vinhub/x/vehicle/keeper"
	vehicletestutil "github.com/vinhub/vinhub/x/vehicle/testutil"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// The fixture runs the asset keeper over the real bank, vehicle, membership
// and credit keepers on one in-memory multistore: no app, no mocks.

const denom = "stake"

var (
	owner    = sdk.AccAddress(bytes.Repeat([]byte{0x01}, 20))
	examiner = sdk.AccAddress(bytes.Repeat([]byte{0x02}, 20))
	lender   = sdk.AccAddress(bytes.Repeat([]byte{0x03}, 20))
	buyer    = sdk.AccAddress(bytes.Repeat([]byte{0x04}, 20))
	regul    = sdk.AccAddress(bytes.Repeat([]byte{0x05}, 20))
	stranger = sdk.AccAddress(bytes.Repeat([]byte{0x06}, 20))
	reporter = sdk.AccAddress(bytes.Repeat([]byte{0x07}, 20))

	start  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	hash1  = "aa" + string(bytes.Repeat([]byte("0"), 62))
	hash2  = "bb" + string(bytes.Repeat([]byte("0"), 62))
	carVIN = vehicletestutil.VIN(1)
)

type fixture struct {
	ctx     sdk.Context
	k       keeper.Keeper
	msgs    types.MsgServer
	queries types.QueryServer
	bank    bankkeeper.Keeper
	vehicle vehiclekeeper.Keeper
	roles   membershipkeeper.Keeper
	credit  creditkeeper.Keeper
	anchors anchorkeeper.Keeper
}

func coin(n int64) sdk.Coin { return sdk.NewCoin(denom, sdkmath.NewInt(n)) }

func setup(t *testing.T) *fixture {
	t.Helper()
	keys := storetypes.NewKVStoreKeys(authtypes.StoreKey, banktypes.StoreKey, vehicletypes.StoreKey,
		membershiptypes.StoreKey, credittypes.StoreKey, types.StoreKey, anchortypes.StoreKey)
	ctx := testutil.DefaultContextWithKeys(keys, nil, nil).WithBlockTime(start).WithBlockHeight(10)
	cdc := moduletestutil.MakeTestEncodingConfig(auth.AppModuleBasic{}, bank.AppModuleBasic{}).Codec
	addrCodec := addresscodec.NewBech32Codec("cosmos")
	authority := authtypes.NewModuleAddress("gov").String()
	svc := func(name string) corestore.KVStoreService { return runtime.NewKVStoreService(keys[name]) }

	ak := authkeeper.NewAccountKeeper(cdc, svc(authtypes.StoreKey), authtypes.ProtoBaseAccount,
		map[string][]string{minttypes.ModuleName: {authtypes.Minter}, types.ModuleName: nil, authtypes.FeeCollectorName: nil},
		addrCodec, "cosmos", authority)
	blocked := map[string]bool{authtypes.NewModuleAddress(types.ModuleName).String(): true}
	bk := bankkeeper.NewBaseKeeper(cdc, svc(banktypes.StoreKey), ak, blocked, authority, log.NewNopLogger())
	vk := vehiclekeeper.NewKeeper(cdc, svc(vehicletypes.StoreKey), addrCodec, authority)
	mk := membershipkeeper.NewKeeper(cdc, svc(membershiptypes.StoreKey), addrCodec, authority)
	ck := creditkeeper.NewKeeper(cdc, svc(credittypes.StoreKey), addrCodec, authority)
	anchors := anchorkeeper.NewKeeper(cdc, svc(anchortypes.StoreKey))
	k := keeper.NewKeeper(cdc, svc(types.StoreKey), addrCodec, authority, bk, vk, mk, ck).WithEvidenceAnchor(anchors)
	vk.SetVehicleAssets(k) // as hub/app wires it: dealer liens on assets need the owner's consent
	vk.SetEvidenceAnchor(anchors)

	require.NoError(t, vk.InitGenesis(ctx, *vehicletypes.DefaultGenesis()))
	require.NoError(t, ck.InitGenesis(ctx, *credittypes.DefaultGenesis()))
	require.NoError(t, k.InitGenesis(ctx, *types.DefaultGenesis()))
	require.NoError(t, mk.GrantRole(ctx, examiner, membershiptypes.ROLE_EXAMINER, "valuer"))
	require.NoError(t, mk.GrantRole(ctx, lender, membershiptypes.ROLE_LENDER, "bank"))
	require.NoError(t, mk.GrantRole(ctx, regul, membershiptypes.ROLE_REGULATOR, "authority"))
	for _, acc := range []sdk.AccAddress{owner, lender, buyer, stranger} {
		require.NoError(t, banktestutil.FundAccount(ctx, bk, acc, sdk.NewCoins(coin(1_000_000))))
	}

	// The car has a history on the hub: one mileage record by a dealer.
	require.NoError(t, vk.RegisterDealer(ctx, "acme", "Acme Motors"))
	require.NoError(t, vk.AdmitReporter(ctx, "acme", reporter))
	_, err := vk.RecordBatch(ctx, "acme", reporter, []vehicletypes.RecordInput{{
		Vin: carVIN, Kind: vehicletypes.RECORD_KIND_MILEAGE, OdometerKm: 42_000, OccurredAt: start.Add(-time.Hour),
	}})
	require.NoError(t, err)

	return &fixture{ctx: ctx, k: k, msgs: keeper.NewMsgServerImpl(k), queries: keeper.NewQueryServerImpl(k),
		bank: bk, vehicle: vk, roles: mk, credit: ck, anchors: anchors}
}

// check runs every invariant; tests call it after every step.
func (f *fixture) check(t *testing.T) {
	t.Helper()
	require.NoError(t, f.k.CheckInvariants(f.ctx))
}

func (f *fixture) balance(addr sdk.AccAddress) sdkmath.Int {
	return f.bank.GetBalance(f.ctx, addr, denom).Amount
}

func (f *fixture) advance(d time.Duration) {
	f.ctx = f.ctx.WithBlockTime(f.ctx.BlockTime().Add(d)).WithBlockHeight(f.ctx.BlockHeight() + 1)
}

// applyCar applies for a vehicle asset on carVIN and returns its id.
func (f *fixture) applyCar(t *testing.T) uint64 {
	t.Helper()
	resp, err := f.msgs.Apply(f.ctx, &types.MsgApply{Owner: owner.String(), Kind: types.ASSET_KIND_VEHICLE,
		Description: "2019 Honda Accord, silver", EvidenceHashes: []string{hash1}, Vin: carVIN})
	require.NoError(t, err)
	f.check(t)
	return resp.AssetId
}

// applyReceivable applies for a receivable (no VIN) and returns its id.
func (f *fixture) applyReceivable(t *testing.T) uint64 {
	t.Helper()
	resp, err := f.msgs.Apply(f.ctx, &types.MsgApply{Owner: owner.String(), Kind: types.ASSET_KIND_RECEIVABLE,
		Description: "invoice 2026-001, Fleet Co, net 60", EvidenceHashes: []string{hash1}, Reference: "INV-2026-001"})
	require.NoError(t, err)
	f.check(t)
	return resp.AssetId
}

// activeCar is an approved vehicle asset valued at 50,000.
func (f *fixture) activeCar(t *testing.T) uint64 {
	t.Helper()
	id := f.applyCar(t)
	_, err := f.msgs.Approve(f.ctx, &types.MsgApprove{Examiner: examiner.String(), AssetId: id, Valuation: coin(50_000), EvidenceHash: hash2})
	require.NoError(t, err)
	f.check(t)
	return id
}

// activeReceivable is an approved receivable valued at 20,000.
func (f *fixture) activeReceivable(t *testing.T) uint64 {
	t.Helper()
	id := f.applyReceivable(t)
	_, err := f.msgs.Approve(f.ctx, &types.MsgApprove{Examiner: examiner.String(), AssetId: id, Valuation: coin(20_000), EvidenceHash: hash2})
	require.NoError(t, err)
	f.check(t)
	return id
}

// offer escrows a 10,000 loan at 10% a year for 30 days against asset id to borrower.
func (f *fixture) offer(t *testing.T, id uint64, borrower sdk.AccAddress) uint64 {
	t.Helper()
	resp, err := f.msgs.OfferLoan(f.ctx, &types.MsgOfferLoan{Lender: lender.String(), AssetId: id, Borrower: borrower.String(),
		Principal: coin(10_000), InterestRateBps: 1_000, Term: 30 * 24 * time.Hour})
	require.NoError(t, err)
	f.check(t)
	return resp.LoanId
}

// pledged is an active car pledged for a loan; it returns asset and loan ids.
func (f *fixture) pledged(t *testing.T) (uint64, uint64) {
	t.Helper()
	id := f.activeCar(t)
	loanID := f.offer(t, id, owner)
	_, err := f.msgs.Pledge(f.ctx, &types.MsgPledge{Owner: owner.String(), LoanId: loanID})
	require.NoError(t, err)
	f.check(t)
	return id, loanID
}

// consentedDealerLien has the car's owner consent to holder's lien on carVIN
// and grants it, as the hub does for a dealer's request over IBC.
func (f *fixture) consentedDealerLien(t *testing.T, holder vehicletypes.LienHolder) vehicletypes.Lien {
	t.Helper()
	_, err := vehiclekeeper.NewMsgServerImpl(f.vehicle).AuthorizeLien(f.ctx, &vehicletypes.MsgAuthorizeLien{
		Owner: owner.String(), Vin: carVIN, ChainId: holder.ChainId, DealerId: holder.DealerId,
	})
	require.NoError(t, err)
	lien, err := f.vehicle.GrantLien(f.ctx, carVIN, holder)
	require.NoError(t, err)
	return lien
}

func (f *fixture) asset(t *testing.T, id uint64) types.Asset {
	t.Helper()
	a, err := f.k.GetAsset(f.ctx, id)
	require.NoError(t, err)
	return a
}

func (f *fixture) loan(t *testing.T, id uint64) types.Loan {
	t.Helper()
	l, err := f.k.GetLoan(f.ctx, id)
	require.NoError(t, err)
	return l
}
