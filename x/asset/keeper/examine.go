package keeper

import (
	"context"
	"encoding/hex"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/sealed"
	"github.com/vinhub/vinhub/x/asset/types"
	credittypes "github.com/vinhub/vinhub/x/credit/types"
	"github.com/vinhub/vinhub/x/internal/accaddr"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// Apply registers an offline asset for examination. The owner's credit score
// must reach the apply gate and the owner must have room for another pending
// application; a vehicle's VIN must have a history on the hub and back no
// approved asset. Other pending applications for the VIN do not block it: a
// VIN is public, and whoever applied first must not keep the owner out.
func (k Keeper) Apply(ctx context.Context, msg *types.MsgApply) (uint64, error) {
	msg, err := msg.Canonical()
	if err != nil {
		return 0, err
	}
	owner := sdk.MustAccAddressFromBech32(msg.Owner)
	if err := k.credit.CheckScore(ctx, owner, credittypes.GATE_APPLY); err != nil {
		return 0, err
	}
	vin := ""
	if msg.Kind == types.ASSET_KIND_VEHICLE {
		if vin, err = k.checkVehicleFree(ctx, msg.Vin); err != nil {
			return 0, err
		}
	}
	if err := k.checkPendingRoom(ctx, owner, vin); err != nil {
		return 0, err
	}
	if err := k.checkSealed(ctx, msg.Sealed, types.SealedApplicationSubject(msg.Owner)); err != nil {
		return 0, err
	}
	id, err := k.NextAssetID.Next(ctx)
	if err != nil {
		return 0, err
	}
	a := types.Asset{
		Id: id, Kind: msg.Kind, Owner: msg.Owner, Description: msg.Description,
		EvidenceHashes: msg.EvidenceHashes, Vin: vin, Reference: msg.Reference,
		Status: types.ASSET_STATUS_PENDING, AppliedHeight: blockHeight(ctx), AppliedAt: blockTime(ctx),
		Sealed: msg.Sealed,
	}
	if err := k.Assets.Set(ctx, id, a); err != nil {
		return 0, err
	}
	if err := k.credit.RecordActivity(ctx, owner); err != nil {
		return 0, err
	}
	if err := k.anchorApplication(ctx, a); err != nil {
		return 0, err
	}
	return id, emit(ctx, &types.EventAssetApplied{AssetId: id, Kind: a.Kind, Owner: a.Owner, Vin: a.Vin})
}

// checkVehicleFree returns the canonical (upper-case) form of a VIN the hub
// has a history for and that backs no approved asset.
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
	return vin, k.checkNoApprovedAsset(ctx, vin)
}

// checkNoApprovedAsset refuses a VIN that backs an approved (active or
// pledged) asset: one car is one title.
func (k Keeper) checkNoApprovedAsset(ctx context.Context, vin string) error {
	a, found, err := k.approvedVehicleAsset(ctx, vin)
	if err != nil || !found {
		return err
	}
	return errorsmod.Wrapf(types.ErrVINHasAsset, "VIN %s already backs asset %d (%s); it must be redeemed before another application for the car is approved", vin, a.Id, a.Status)
}

// approvedVehicleAsset returns the approved (active or pledged) asset a
// canonical VIN backs, if any. Two index lookups, however many
// applications the VIN has had; at most one asset (invariant
// OneApprovedAssetPerVIN).
func (k Keeper) approvedVehicleAsset(ctx context.Context, vin string) (types.Asset, bool, error) {
	for _, status := range []types.AssetStatus{types.ASSET_STATUS_ACTIVE, types.ASSET_STATUS_PLEDGED} {
		iter, err := k.Assets.Indexes.VIN.MatchExact(ctx, collections.Join(vin, int32(status)))
		if err != nil {
			return types.Asset{}, false, err
		}
		ids, err := iter.PrimaryKeys()
		if err != nil {
			return types.Asset{}, false, err
		}
		if len(ids) > 0 {
			a, err := k.Assets.Get(ctx, ids[0])
			return a, err == nil, err
		}
	}
	return types.Asset{}, false, nil
}

// LiveVehicleAsset answers x/vehicle's lien registry (vehicletypes.VehicleAssets):
// the id and owner of the approved asset the canonical VIN backs, whose
// consent a dealer lien on it needs. A pending application makes nobody the
// owner: several may be pending for one VIN, and none is verified yet. An
// empty VIN backs no vehicle.
func (k Keeper) LiveVehicleAsset(ctx context.Context, vin string) (vehicletypes.LiveAsset, bool, error) {
	if vin == "" {
		return vehicletypes.LiveAsset{}, false, nil
	}
	a, found, err := k.approvedVehicleAsset(ctx, vin)
	if err != nil || !found {
		return vehicletypes.LiveAsset{}, false, err
	}
	return vehicletypes.LiveAsset{ID: a.Id, Owner: a.Owner, TitleMovedHeight: a.TitleMovedHeight}, true, nil
}

// checkPendingRoom refuses an application beyond the owner's
// max_pending_per_owner pending ones, or a second pending one by the owner
// for the same VIN. It reads at most max_pending_per_owner assets.
func (k Keeper) checkPendingRoom(ctx context.Context, owner sdk.AccAddress, vin string) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	iter, err := k.Assets.Indexes.OwnerStatus.MatchExact(ctx, collections.Join(owner, int32(types.ASSET_STATUS_PENDING)))
	if err != nil {
		return err
	}
	defer iter.Close()
	pending := uint32(0)
	for ; iter.Valid(); iter.Next() {
		if pending++; pending >= params.MaxPendingPerOwner {
			return errorsmod.Wrapf(types.ErrTooManyPending, "%s has %d applications pending, the most allowed (x/asset param max_pending_per_owner); wait for an examiner to decide them",
				owner, params.MaxPendingPerOwner)
		}
		if vin == "" {
			continue
		}
		id, err := iter.PrimaryKey()
		if err != nil {
			return err
		}
		other, err := k.Assets.Get(ctx, id)
		if err != nil {
			return err
		}
		if other.Vin == vin {
			return errorsmod.Wrapf(types.ErrVINHasAsset, "%s already applied for VIN %s: asset %d is pending", owner, vin, id)
		}
	}
	return nil
}

// Approve values a pending asset and makes it active. Examiner only, and not
// the owner. A vehicle is approved only while its VIN backs no approved
// asset: of several applications for one car, the first approved wins and
// the others stay pending, refused here, until an examiner rejects them or
// that asset is redeemed.
func (k Keeper) Approve(ctx context.Context, msg *types.MsgApprove) error {
	msg, err := msg.Canonical()
	if err != nil {
		return err
	}
	a, err := k.examinable(ctx, msg.Examiner, msg.AssetId, types.ASSET_STATUS_PENDING)
	if err != nil {
		return err
	}
	if a.Kind == types.ASSET_KIND_VEHICLE {
		if err := k.checkNoApprovedAsset(ctx, a.Vin); err != nil {
			return errorsmod.Wrapf(err, "asset %d cannot be approved", a.Id)
		}
	}
	a.Valuations = append(a.Valuations, k.valuation(ctx, msg.Examiner, msg.Valuation, msg.EvidenceHash, msg.Comment))
	a.Status = types.ASSET_STATUS_ACTIVE
	if err := k.Assets.Set(ctx, a.Id, a); err != nil {
		return err
	}
	if err := k.anchorLastValuation(ctx, a); err != nil {
		return err
	}
	return emit(ctx, &types.EventAssetApproved{AssetId: a.Id, Examiner: msg.Examiner, Value: msg.Valuation})
}

// Reject refuses a pending asset with a reason. Examiner only. The
// rejection counts against the applicant's credit score, so applying for a
// car one does not own (or flooding examiners) is not free.
func (k Keeper) Reject(ctx context.Context, msg *types.MsgReject) error {
	msg, err := msg.Canonical()
	if err != nil {
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
	if err := k.credit.RecordRejection(ctx, sdk.MustAccAddressFromBech32(a.Owner)); err != nil {
		return err
	}
	return emit(ctx, &types.EventAssetRejected{AssetId: a.Id, Examiner: msg.Examiner, Reason: msg.Reason})
}

// Revalue appends a valuation to an active or pledged asset. Examiner only.
func (k Keeper) Revalue(ctx context.Context, msg *types.MsgRevalue) error {
	msg, err := msg.Canonical()
	if err != nil {
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
	if err := k.anchorLastValuation(ctx, a); err != nil {
		return err
	}
	return emit(ctx, &types.EventAssetRevalued{AssetId: a.Id, Examiner: msg.Examiner, OldValue: old, NewValue: msg.Valuation})
}

// checkSealed checks an optional envelope's structure and subject, and that
// every recipient key is registered in x/membership.
func (k Keeper) checkSealed(ctx context.Context, env *sealed.Envelope, subject string) error {
	if env == nil {
		return nil
	}
	if err := types.ValidateSealed(env, subject); err != nil {
		return err
	}
	if err := k.roles.CheckRecipients(ctx, env); err != nil {
		return errorsmod.Wrap(types.ErrInvalidSealed, err.Error())
	}
	return nil
}

// anchorApplication anchors the owner's evidence hashes of a new application.
func (k Keeper) anchorApplication(ctx context.Context, a types.Asset) error {
	if k.anchors == nil {
		return nil
	}
	for _, h := range a.EvidenceHashes {
		hash, err := hex.DecodeString(h)
		if err != nil {
			return errorsmod.Wrapf(types.ErrInvalidEvidence, "%q: %s", h, err)
		}
		if err := k.anchors.AnchorApplicationEvidence(ctx, hash, a.Vin, a.Owner, a.Id); err != nil {
			return fmt.Errorf("anchor evidence of asset %d: %w", a.Id, err)
		}
	}
	return nil
}

// anchorLastValuation anchors the evidence hash of the valuation just appended.
func (k Keeper) anchorLastValuation(ctx context.Context, a types.Asset) error {
	if k.anchors == nil {
		return nil
	}
	i := len(a.Valuations) - 1
	v := a.Valuations[i]
	hash, err := hex.DecodeString(v.EvidenceHash)
	if err != nil {
		return errorsmod.Wrapf(types.ErrInvalidEvidence, "%q: %s", v.EvidenceHash, err)
	}
	if err := k.anchors.AnchorValuationEvidence(ctx, hash, a.Vin, v.Examiner, a.Id, i); err != nil {
		return fmt.Errorf("anchor valuation %d of asset %d: %w", i, a.Id, err)
	}
	return nil
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
	if accaddr.Same(a.Owner, examiner) {
		return a, errorsmod.Wrapf(types.ErrSelfDealing, "examiner %s owns asset %d; another examiner must value it", examiner, id)
	}
	return a, nil
}

func (k Keeper) valuation(ctx context.Context, examiner string, value sdk.Coin, evidence, comment string) types.Valuation {
	return types.Valuation{Value: value, Examiner: examiner, ValuedAt: blockTime(ctx), Height: blockHeight(ctx), EvidenceHash: evidence, Note: comment}
}

// Freeze stops every movement of an asset (sale, transfer, pledge, redemption). Examiner or regulator.
func (k Keeper) Freeze(ctx context.Context, msg *types.MsgFreeze) error {
	msg, err := msg.Canonical()
	if err != nil {
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
	msg, err := msg.Canonical()
	if err != nil {
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
