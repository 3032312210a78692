package keeper_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/stretchr/testify/require"

	corestore "cosmossdk.io/core/store"
	sdkmath "cosmossdk.io/math"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	"github.com/cosmos/cosmos-sdk/x/auth"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	membershipkeeper "github.com/vinhub/vinhub/x/membership/keeper"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	"github.com/vinhub/vinhub/x/notary/keeper"
	"github.com/vinhub/vinhub/x/notary/types"
	vehiclekeeper "github.com/vinhub/vinhub/x/vehicle/keeper"
	vehicletestutil "github.com/vinhub/vinhub/x/vehicle/testutil"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// The fixture runs the notary keeper over the real membership and vehicle
// keepers on one in-memory multistore: no app. Loan repayments go to a
// recording LoanKeeper (x/asset's real one is tested with x/asset and end
// to end); what matters here is when the notary module calls it.

var (
	start     = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	authority = authtypes.NewModuleAddress("gov").String()
	stranger  = sdk.AccAddress(bytes.Repeat([]byte{0xee}, 20))
	carVIN    = vehicletestutil.VIN(3)
	// stellarNet is the SHA-256 of the Stellar test network passphrase.
	stellarNet = hexSHA("Test SDF Network ; September 2015")
	bitcoinNet = hexSHA("simnet genesis")
)

const ledgerID = "acme-sql-1"

func hexSHA(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }

// notary is one member: its hub account and its BIP-340 key.
type notary struct {
	addr sdk.AccAddress
	key  *btcec.PrivateKey
}

func newNotary(i int) notary {
	key, _ := btcec.PrivKeyFromBytes(bytes.Repeat([]byte{byte(0x40 + i)}, 32))
	return notary{addr: sdk.AccAddress(bytes.Repeat([]byte{byte(0x10 + i)}, 20)), key: key}
}

func (n notary) member() types.Member {
	return types.Member{Operator: n.addr.String(), Pubkey: types.PubKeyBytes(n.key)}
}

// repayments records what the notary module asks x/asset to repay.
type repayments struct {
	calls []types.ForeignPayment
	fail  error
}

func (r *repayments) RepayAcrossRails(_ context.Context, p types.ForeignPayment) (string, error) {
	if r.fail != nil {
		return "", r.fail
	}
	r.calls = append(r.calls, p)
	return fmt.Sprintf("loan %d repaid %s %s", p.LoanID, p.Amount, p.Asset), nil
}

type fixture struct {
	ctx     sdk.Context
	k       keeper.Keeper
	msgs    types.MsgServer
	queries types.QueryServer
	vehicle vehiclekeeper.Keeper
	roles   membershipkeeper.Keeper
	loans   *repayments
	// notaries[:size] form set 1 (default threshold); the rest are spare
	// keys that hold the notary role. setup: 0-3 in set 1 (threshold 3),
	// 4 and 5 spare.
	notaries []notary
}

func setup(t testing.TB) *fixture { return setupWith(t, 6, 4) }

// setupWith grants ROLE_NOTARY to n notaries and installs the first size
// of them as set 1 with the default threshold (⌊2·size/3⌋ + 1).
func setupWith(t testing.TB, n, size int) *fixture {
	t.Helper()
	keys := storetypes.NewKVStoreKeys(vehicletypes.StoreKey, membershiptypes.StoreKey, types.StoreKey)
	ctx := testutil.DefaultContextWithKeys(keys, nil, nil).WithBlockTime(start).WithBlockHeight(10)
	cdc := moduletestutil.MakeTestEncodingConfig(auth.AppModuleBasic{}).Codec
	addrCodec := addresscodec.NewBech32Codec("cosmos")
	svc := func(name string) corestore.KVStoreService { return runtime.NewKVStoreService(keys[name]) }

	vk := vehiclekeeper.NewKeeper(cdc, svc(vehicletypes.StoreKey), addrCodec, authority)
	mk := membershipkeeper.NewKeeper(cdc, svc(membershiptypes.StoreKey), addrCodec, authority)
	loans := &repayments{}
	k := keeper.NewKeeper(cdc, svc(types.StoreKey), addrCodec, authority, mk, vk, loans, nil)
	require.NoError(t, vk.InitGenesis(ctx, *vehicletypes.DefaultGenesis()))
	require.NoError(t, k.InitGenesis(ctx, *types.DefaultGenesis()))

	f := &fixture{ctx: ctx, k: k, msgs: keeper.NewMsgServerImpl(k), queries: keeper.NewQueryServerImpl(k), vehicle: vk, roles: mk, loans: loans}
	for i := 0; i < n; i++ {
		nt := newNotary(i)
		f.notaries = append(f.notaries, nt)
		require.NoError(t, mk.GrantRole(ctx, nt.addr, membershiptypes.ROLE_NOTARY, "notary"))
	}
	first := make([]int, size)
	for i := range first {
		first[i] = i
	}
	_, err := f.msgs.UpdateNotarySet(ctx, &types.MsgUpdateNotarySet{Authority: authority, Members: f.members(first...)})
	require.NoError(t, err)
	_, err = f.msgs.SetSource(ctx, &types.MsgSetSource{Authority: authority, Source: types.Source{
		Platform: types.PLATFORM_STELLAR, NetworkId: stellarNet,
		Limits: []types.AssetLimit{{Asset: "native", Limit: sdkmath.NewInt(1_000_000_000)}},
	}})
	require.NoError(t, err)
	_, err = f.msgs.SetSource(ctx, &types.MsgSetSource{Authority: authority, Source: types.Source{
		Platform: types.PLATFORM_BITCOIN, NetworkId: bitcoinNet,
		Limits: []types.AssetLimit{{Asset: "btc", Limit: sdkmath.NewInt(10_000_000)}},
	}})
	require.NoError(t, err)
	require.NoError(t, vk.RegisterDealer(ctx, "acme", "Acme Motors"))
	_, err = f.msgs.BindLedger(ctx, &types.MsgBindLedger{Authority: authority, LedgerId: ledgerID, DealerId: "acme"})
	require.NoError(t, err)
	return f
}

func (f *fixture) members(idx ...int) []types.Member {
	out := make([]types.Member, len(idx))
	for i, j := range idx {
		out[i] = f.notaries[j].member()
	}
	return out
}

// next moves to the next block, d later.
func (f *fixture) next(d time.Duration) {
	f.ctx = f.ctx.WithBlockHeight(f.ctx.BlockHeight() + 1).WithBlockTime(f.ctx.BlockTime().Add(d))
}

// ledgerRecord is a mileage reading kept in Acme's SQL ledger as row ref.
func ledgerRecord(ref string, km uint64) types.Observation {
	return types.Observation{Platform: types.PLATFORM_LEDGER, NetworkId: ledgerID, TxRef: ref, Height: 7, Index: 0,
		Time: start.Add(-time.Hour),
		Payload: &types.Observation_VehicleRecord{VehicleRecord: &types.VehicleRecord{Record: vehicletypes.RecordInput{
			Vin: carVIN, Kind: vehicletypes.RECORD_KIND_MILEAGE, OdometerKm: km, OccurredAt: start.Add(-time.Hour),
			Location: "Springfield", Description: "service at Acme",
		}}}}
}

// payment is a Stellar payment of stroops to the lender naming a loan.
func payment(tx string, stroops int64, loanID uint64) types.Observation {
	return types.Observation{Platform: types.PLATFORM_STELLAR, NetworkId: stellarNet, TxRef: tx, Height: 1234, Index: 0,
		Time: start.Add(-time.Minute),
		Payload: &types.Observation_Payment{Payment: &types.Payment{Asset: "native", Amount: sdkmath.NewInt(stroops),
			From: "GBORROWER", To: "GLENDER", Memo: types.LoanMemo(loanID)}}}
}

func txHash(s string) string { return hexSHA(s) }

// attest signs obs with notary i under set version and submits it.
func (f *fixture) attest(i int, obs types.Observation, version uint64) (*types.MsgAttestResponse, error) {
	return f.msgs.Attest(f.ctx, f.signed(i, obs, version))
}

func (f *fixture) mustAttest(t *testing.T, i int, obs types.Observation, version uint64) *types.MsgAttestResponse {
	t.Helper()
	res, err := f.attest(i, obs, version)
	require.NoError(t, err)
	return res
}

func (f *fixture) attestation(t *testing.T, id string) types.Attestation {
	t.Helper()
	a, err := f.k.GetAttestation(f.ctx, id)
	require.NoError(t, err)
	return a
}

func (f *fixture) history(t *testing.T) []vehicletypes.Record {
	t.Helper()
	var out []vehicletypes.Record
	err := f.vehicle.Records.Walk(f.ctx, nil, func(_ uint64, r vehicletypes.Record) (bool, error) {
		if r.Input.Vin == carVIN {
			out = append(out, r)
		}
		return false, nil
	})
	require.NoError(t, err)
	return out
}

// snapshot is the module's whole state, to check a refusal changed nothing.
func (f *fixture) snapshot(t *testing.T) *types.GenesisState {
	t.Helper()
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	return gs
}
