package keeper

import (
	"context"
	"fmt"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/asset/types"
	credittypes "github.com/vinhub/vinhub/x/credit/types"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// Apply registers an offline asset for examination. The owner's credit score
// must reach the apply gate; a vehicle's VIN must have a history on the hub
// and no other live asset.
func (k Keeper) Apply(ctx context.Context, msg *types.MsgApply) (uint64, error) {
	if err := msg.ValidateBasic(); err != nil {
		return 0, err
	}
	owner := sdk.MustAccAddressFromBech32(msg.Owner)
	if err := k.credit.CheckScore(ctx, owner, credittypes.GATE_APPLY); err != nil {
		return 0, err
	}
	vin := ""
	if msg.Kind == types.ASSET_KIND_VEHICLE {
		var err error
		if vin, err = k.checkVehicleFree(ctx, msg.Vin); err != nil {
			return 0, err
		}
	}
	id, err := k.NextAssetID.Next(ctx)
	if err != nil {
		return 0, err
	}
	a := types.Asset{
		Id: id, Kind: msg.Kind, Owner: msg.Owner, Description: msg.Description,
		EvidenceHashes: msg.EvidenceHashes, Vin: vin, Reference: msg.Reference,
		Status: types.ASSET_STATUS_PENDING, AppliedHeight: blockHeight(ctx), AppliedAt: blockTime(ctx),
	}
	if err := k.Assets.Set(ctx, id, a); err != nil {
		return 0, err
	}
	if err := k.credit.RecordActivity(ctx, owner); err != nil {
		return 0, err
	}
	return id, emit(ctx, &types.EventAssetApplied{AssetId: id, Kind: a.Kind, Owner: a.Owner, Vin: a.Vin})
}

// checkVehicleFree returns the canonical (upper-case) form of a VIN the hub
// has a history for and that backs no live asset yet.
func (k Keeper) checkVehicleFree(ctx context.Context, raw string) (string, error) {
	parsed, err := vehicletypes.ParseVIN(raw)
	if err != nil {
		return "", errorsmod.Wrapf(types.ErrUnknownVIN, "%v", err)
	}
	vin := parsed.Value
	known, err := k.vehicle.HasVehicle(ctx, vin)
	if err != nil {
		return "", err
	}
	if !known {
		return "", errorsmod.Wrapf(types.ErrUnknownVIN, "VIN %s has no history on the hub; a dealer must record the car first", vin)
	}
	other, live, err := k.liveVehicleAsset(ctx, vin)
	if err != nil {
		return "", err
	}
	if live {
		return "", errorsmod.Wrapf(types.ErrVINHasAsset, "VIN %s already backs asset %d (%s)", vin, other.Id, other.Status)
	}
	return vin, nil
}

// liveVehicleAsset returns the live asset a canonical VIN backs, if any (at
// most one: Apply refuses a second).
func (k Keeper) liveVehicleAsset(ctx context.Context, vin string) (types.Asset, bool, error) {
	iter, err := k.Assets.Indexes.VIN.MatchExact(ctx, vin)
	if err != nil {
		return types.Asset{}, false, err
	}
	defer iter.Close()
	for ; iter.Valid(); iter.Next() {
		id, err := iter.PrimaryKey()
		if err != nil {
			return types.Asset{}, false, err
		}
		a, err := k.Assets.Get(ctx, id)
		if err != nil {
			return types.Asset{}, false, err
		}
		if a.Live() {
			return a, true, nil
		}
	}
	return types.Asset{}, false, nil
}

// LiveVehicleAsset answers x/vehicle's lien registry (vehicletypes.VehicleAssets):
// the id and owner of the live asset the canonical VIN backs, whose consent a
// dealer lien on it needs. An empty VIN backs no vehicle.
func (k Keeper) LiveVehicleAsset(ctx context.Context, vin string) (uint64, string, bool, error) {
	if vin == "" {
		return 0, "", false, nil
	}
	a, live, err := k.liveVehicleAsset(ctx, vin)
	if err != nil || !live {
		return 0, "", false, err
	}
	return a.Id, a.Owner, true, nil
}

// Approve values a pending asset and makes it active. Examiner only, and not the owner.
func (k Keeper) Approve(ctx context.Context, msg *types.MsgApprove) error {
	if err := msg.ValidateBasic(); err != nil {
		return err
	}
	a, err := k.examinable(ctx, msg.Examiner, msg.AssetId, types.ASSET_STATUS_PENDING)
	if err != nil {
		return err
	}
	a.Valuations = append(a.Valuations, k.valuation(ctx, msg.Examiner, msg.Valuation, msg.EvidenceHash, msg.Comment))
	a.Status = types.ASSET_STATUS_ACTIVE
	if err := k.Assets.Set(ctx, a.Id, a); err != nil {
		return err
	}
	return emit(ctx, &types.EventAssetApproved{AssetId: a.Id, Examiner: msg.Examiner, Value: msg.Valuation})
}

// Reject refuses a pending asset with a reason. Examiner only.
func (k Keeper) Reject(ctx context.Context, msg *types.MsgReject) error {
	if err := msg.ValidateBasic(); err != nil {
		return err
	}
	a, err := k.examinable(ctx, msg.Examiner, msg.AssetId, types.ASSET_STATUS_PENDING)
	if err != nil {
		return err
	}
	a.Status, a.RejectReason = types.ASSET_STATUS_REJECTED, msg.Reason
	if err := k.Assets.Set(ctx, a.Id, a); err != nil {
		return err
	}
	return emit(ctx, &types.EventAssetRejected{AssetId: a.Id, Examiner: msg.Examiner, Reason: msg.Reason})
}

// Revalue appends a valuation to an active or pledged asset. Examiner only.
func (k Keeper) Revalue(ctx context.Context, msg *types.MsgRevalue) error {
	if err := msg.ValidateBasic(); err != nil {
		return err
	}
	a, err := k.examinable(ctx, msg.Examiner, msg.AssetId, types.ASSET_STATUS_ACTIVE, types.ASSET_STATUS_PLEDGED)
	if err != nil {
		return err
	}
	old := a.CurrentValue()
	a.Valuations = append(a.Valuations, k.valuation(ctx, msg.Examiner, msg.Valuation, msg.EvidenceHash, msg.Comment))
	if err := k.Assets.Set(ctx, a.Id, a); err != nil {
		return err
	}
	return emit(ctx, &types.EventAssetRevalued{AssetId: a.Id, Examiner: msg.Examiner, OldValue: old, NewValue: msg.Valuation})
}

// examinable loads an asset in one of the given statuses for an examiner who does not own it.
func (k Keeper) examinable(ctx context.Context, examiner string, id uint64, want ...types.AssetStatus) (types.Asset, error) {
	if err := k.roles.CheckRole(ctx, sdk.MustAccAddressFromBech32(examiner), membershiptypes.ROLE_EXAMINER); err != nil {
		return types.Asset{}, err
	}
	a, err := k.GetAsset(ctx, id)
	if err != nil {
		return a, err
	}
	if err := requireStatus(a, want...); err != nil {
		return a, err
	}
	if a.Owner == examiner {
		return a, errorsmod.Wrapf(types.ErrSelfDealing, "examiner %s owns asset %d; another examiner must value it", examiner, id)
	}
	return a, nil
}

func (k Keeper) valuation(ctx context.Context, examiner string, value sdk.Coin, evidence, comment string) types.Valuation {
	return types.Valuation{Value: value, Examiner: examiner, ValuedAt: blockTime(ctx), Height: blockHeight(ctx), EvidenceHash: evidence, Note: comment}
}

// Freeze stops every movement of an asset (sale, transfer, pledge, redemption). Examiner or regulator.
func (k Keeper) Freeze(ctx context.Context, msg *types.MsgFreeze) error {
	if err := msg.ValidateBasic(); err != nil {
		return err
	}
	a, err := k.freezable(ctx, msg.Signer, msg.AssetId)
	if err != nil {
		return err
	}
	if a.Frozen {
		return errorsmod.Wrapf(types.ErrAlreadyFrozen, "asset %d was frozen by %s: %s", a.Id, a.FrozenBy, a.FreezeReason)
	}
	// A title in x/htlc's escrow must stay payable: frozen there, neither the
	// claim nor the refund could move it, and a swap whose other leg was
	// already taken would leave one party with neither.
	if owner, err := sdk.AccAddressFromBech32(a.Owner); err == nil && k.bank.BlockedAddr(owner) {
		return errorsmod.Wrapf(types.ErrInEscrow, "asset %d is held by module account %s until its swap settles; freeze it then", a.Id, a.Owner)
	}
	a.Frozen, a.FreezeReason, a.FrozenBy = true, msg.Reason, msg.Signer
	if err := k.Assets.Set(ctx, a.Id, a); err != nil {
		return err
	}
	return emit(ctx, &types.EventAssetFrozen{AssetId: a.Id, By: msg.Signer, Frozen: true, Reason: msg.Reason})
}

// Unfreeze lifts a freeze. Examiner or regulator.
func (k Keeper) Unfreeze(ctx context.Context, msg *types.MsgUnfreeze) error {
	if err := msg.ValidateBasic(); err != nil {
		return err
	}
	a, err := k.freezable(ctx, msg.Signer, msg.AssetId)
	if err != nil {
		return err
	}
	if !a.Frozen {
		return errorsmod.Wrapf(types.ErrNotFrozen, "asset %d is not frozen", a.Id)
	}
	a.Frozen, a.FreezeReason, a.FrozenBy = false, "", ""
	if err := k.Assets.Set(ctx, a.Id, a); err != nil {
		return err
	}
	return emit(ctx, &types.EventAssetFrozen{AssetId: a.Id, By: msg.Signer, Frozen: false, Reason: msg.Reason})
}

// freezable loads an active or pledged asset for a signer holding the examiner or regulator role.
func (k Keeper) freezable(ctx context.Context, signer string, id uint64) (types.Asset, error) {
	addr := sdk.MustAccAddressFromBech32(signer)
	allowed := false
	for _, role := range []membershiptypes.Role{membershiptypes.ROLE_EXAMINER, membershiptypes.ROLE_REGULATOR} {
		has, err := k.roles.HasRole(ctx, addr, role)
		if err != nil {
			return types.Asset{}, err
		}
		allowed = allowed || has
	}
	if !allowed {
		return types.Asset{}, errorsmod.Wrapf(membershiptypes.ErrMissingRole,
			"%s holds neither the examiner nor the regulator role; governance grants roles (MsgGrantRole)", signer)
	}
	a, err := k.GetAsset(ctx, id)
	if err != nil {
		return a, err
	}
	return a, requireStatus(a, types.ASSET_STATUS_ACTIVE, types.ASSET_STATUS_PLEDGED)
}

// requireStatus refuses an asset in none of the wanted statuses.
func requireStatus(a types.Asset, want ...types.AssetStatus) error {
	for _, s := range want {
		if a.Status == s {
			return nil
		}
	}
	return errorsmod.Wrapf(types.ErrWrongAssetStatus, "asset %d is %s; this needs %s", a.Id, a.Status, fmt.Sprint(want))
}
