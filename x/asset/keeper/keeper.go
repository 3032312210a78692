package keeper

import (
	"context"
	"fmt"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/collections/indexes"
	"cosmossdk.io/core/address"
	corestore "cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"
	"github.com/cosmos/gogoproto/proto"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/vinhub/vinhub/x/asset/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// AssetIndexes are the secondary indexes of assets: by owner, status, (VIN,
// status), frozen flag and (owner, status).
type AssetIndexes struct {
	Owner  *indexes.Multi[sdk.AccAddress, uint64, types.Asset]
	Status *indexes.Multi[int32, uint64, types.Asset]
	// VIN is keyed by (VIN, status), so finding a VIN's approved asset reads
	// one entry however many applications the VIN has had.
	VIN    *indexes.Multi[collections.Pair[string, int32], uint64, types.Asset]
	Frozen *indexes.Multi[bool, uint64, types.Asset]
	// OwnerStatus counts an owner's pending applications without reading its other assets.
	OwnerStatus *indexes.Multi[collections.Pair[sdk.AccAddress, int32], uint64, types.Asset]
}

// IndexesList implements collections.Indexes.
func (i AssetIndexes) IndexesList() []collections.Index[uint64, types.Asset] {
	return []collections.Index[uint64, types.Asset]{i.Owner, i.Status, i.VIN, i.Frozen, i.OwnerStatus}
}

// LoanIndexes index loans by status.
type LoanIndexes struct {
	Status *indexes.Multi[int32, uint64, types.Loan]
}

// IndexesList implements collections.Indexes.
func (i LoanIndexes) IndexesList() []collections.Index[uint64, types.Loan] {
	return []collections.Index[uint64, types.Loan]{i.Status}
}

// Keeper owns the asset module's state.
type Keeper struct {
	cdc          codec.BinaryCodec
	addressCodec address.Codec
	// authority may change params (the gov module account).
	authority string

	bank    types.BankKeeper
	vehicle types.VehicleRegistry
	roles   types.RoleChecker
	credit  types.CreditKeeper
	// anchors is nil until WithEvidenceAnchor: then nothing is anchored.
	anchors types.EvidenceAnchor

	Schema      collections.Schema
	Params      collections.Item[types.Params]
	NextAssetID collections.Sequence
	Assets      *collections.IndexedMap[uint64, types.Asset, AssetIndexes]
	NextLoanID  collections.Sequence
	Loans       *collections.IndexedMap[uint64, types.Loan, LoanIndexes]
	// AccountLoans indexes loans by (account, loan id) for the lender and the borrower.
	AccountLoans collections.KeySet[collections.Pair[sdk.AccAddress, uint64]]
}

// NewKeeper builds the keeper over the module's store.
func NewKeeper(cdc codec.BinaryCodec, storeService corestore.KVStoreService, addressCodec address.Codec, authority string,
	bank types.BankKeeper, vehicle types.VehicleRegistry, roles types.RoleChecker, credit types.CreditKeeper,
) Keeper {
	if _, err := addressCodec.StringToBytes(authority); err != nil {
		panic(fmt.Errorf("asset: invalid authority address %q: %w", authority, err))
	}
	sb := collections.NewSchemaBuilder(storeService)
	assetValue := codec.CollValue[types.Asset](cdc)
	loanValue := codec.CollValue[types.Loan](cdc)
	k := Keeper{
		cdc: cdc, addressCodec: addressCodec, authority: authority,
		bank: bank, vehicle: vehicle, roles: roles, credit: credit,
		Params:      collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		NextAssetID: collections.NewSequence(sb, types.NextAssetIDKey, "next_asset_id"),
		Assets: collections.NewIndexedMap(sb, types.AssetsKey, "assets", collections.Uint64Key, assetValue, AssetIndexes{
			Owner: indexes.NewMulti(sb, types.AssetsByOwnerKey, "assets_by_owner", sdk.AccAddressKey, collections.Uint64Key,
				func(_ uint64, a types.Asset) (sdk.AccAddress, error) { return sdk.AccAddressFromBech32(a.Owner) }),
			Status: indexes.NewMulti(sb, types.AssetsByStatus, "assets_by_status", collections.Int32Key, collections.Uint64Key,
				func(_ uint64, a types.Asset) (int32, error) { return int32(a.Status), nil }),
			VIN: indexes.NewMulti(sb, types.AssetsByVINKey, "assets_by_vin",
				collections.PairKeyCodec(collections.StringKey, collections.Int32Key), collections.Uint64Key,
				func(_ uint64, a types.Asset) (collections.Pair[string, int32], error) {
					return collections.Join(a.Vin, int32(a.Status)), nil
				}),
			Frozen: indexes.NewMulti(sb, types.FrozenKey, "assets_by_frozen", collections.BoolKey, collections.Uint64Key,
				func(_ uint64, a types.Asset) (bool, error) { return a.Frozen, nil }),
			OwnerStatus: indexes.NewMulti(sb, types.AssetsByOwnerStatusKey, "assets_by_owner_status",
				collections.PairKeyCodec(sdk.AccAddressKey, collections.Int32Key), collections.Uint64Key,
				func(_ uint64, a types.Asset) (collections.Pair[sdk.AccAddress, int32], error) {
					owner, err := sdk.AccAddressFromBech32(a.Owner)
					return collections.Join(owner, int32(a.Status)), err
				}),
		}),
		NextLoanID: collections.NewSequence(sb, types.NextLoanIDKey, "next_loan_id"),
		Loans: collections.NewIndexedMap(sb, types.LoansKey, "loans", collections.Uint64Key, loanValue, LoanIndexes{
			Status: indexes.NewMulti(sb, types.LoansByStatusKey, "loans_by_status", collections.Int32Key, collections.Uint64Key,
				func(_ uint64, l types.Loan) (int32, error) { return int32(l.Status), nil }),
		}),
		AccountLoans: collections.NewKeySet(sb, types.AccountLoansKey, "account_loans",
			collections.PairKeyCodec(sdk.AccAddressKey, collections.Uint64Key)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// WithEvidenceAnchor returns the keeper anchoring the evidence hashes of
// accepted applications and valuations in x/anchor. Call it before the
// keeper is handed to other modules: they keep copies.
func (k Keeper) WithEvidenceAnchor(a types.EvidenceAnchor) Keeper {
	k.anchors = a
	return k
}

// ModuleAddress is the asset module account: it holds the principal of open loan offers.
func ModuleAddress() sdk.AccAddress { return authtypes.NewModuleAddress(types.ModuleName) }

// Authority returns the address allowed to change params.
func (k Keeper) Authority() string { return k.authority }

// GetParams returns the module parameters.
func (k Keeper) GetParams(ctx context.Context) (types.Params, error) { return k.Params.Get(ctx) }

// GetAsset returns an asset or ErrAssetNotFound.
func (k Keeper) GetAsset(ctx context.Context, id uint64) (types.Asset, error) {
	a, err := k.Assets.Get(ctx, id)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return a, errorsmod.Wrapf(types.ErrAssetNotFound, "no asset %d", id)
	}
	return a, err
}

// GetLoan returns a loan or ErrLoanNotFound.
func (k Keeper) GetLoan(ctx context.Context, id uint64) (types.Loan, error) {
	l, err := k.Loans.Get(ctx, id)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return l, errorsmod.Wrapf(types.ErrLoanNotFound, "no loan %d", id)
	}
	return l, err
}

// saveLoan writes a loan and, the first time, indexes it under both parties.
func (k Keeper) saveLoan(ctx context.Context, l types.Loan) error {
	if err := k.Loans.Set(ctx, l.Id, l); err != nil {
		return fmt.Errorf("save loan %d: %w", l.Id, err)
	}
	for _, party := range []string{l.Lender, l.Borrower} {
		addr, err := sdk.AccAddressFromBech32(party)
		if err != nil {
			return err
		}
		if err := k.AccountLoans.Set(ctx, collections.Join(addr, l.Id)); err != nil {
			return err
		}
	}
	return nil
}

func blockTime(ctx context.Context) time.Time { return sdk.UnwrapSDKContext(ctx).BlockTime().UTC() }

func blockHeight(ctx context.Context) int64 { return sdk.UnwrapSDKContext(ctx).BlockHeight() }

func emit(ctx context.Context, ev proto.Message) error {
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(ev)
}

// The asset keeper is the hub's asset registry the lien registry asks for an owner's consent.
var _ vehicletypes.VehicleAssets = Keeper{}
