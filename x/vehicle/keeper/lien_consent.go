package keeper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// The remedies against lien squatting (docs/spec/vehicle-packet.md, threat
// model). A car registered and owned on the hub cannot be liened by a dealer
// without its owner's consent, given on the hub (MsgAuthorizeLien) and used
// up by the lien it lets in; and governance can release a dealer's lien
// without its holder (MsgForceReleaseLien) when the holder will not or cannot.

// consentKey is the LienAuthorizations key of a consent.
func consentKey(vin, chainID, dealerID string) collections.Triple[string, string, string] {
	return collections.Join3(vin, chainID, dealerID)
}

// lienConsent finds the consent a dealer lien on the canonical vin needs:
// none for hub modules, on chains without an asset registry, or when the VIN
// backs no live hub asset (found false, no error). When one is needed it must
// be the current owner's and not expired; otherwise the lien is refused with
// ErrLienNotAuthorized and EventLienRefused, and nothing is written.
func (k Keeper) lienConsent(ctx context.Context, vin string, holder types.LienHolder) (types.LienAuthorization, bool, error) {
	if holder.IsHub() || k.hub.assets == nil {
		return types.LienAuthorization{}, false, nil
	}
	asset, live, err := k.hub.assets.LiveVehicleAsset(ctx, vin)
	if err != nil {
		return types.LienAuthorization{}, false, fmt.Errorf("hub asset of %s: %w", vin, err)
	}
	if !live {
		return types.LienAuthorization{}, false, nil
	}
	assetID, owner := asset.ID, asset.Owner
	consent, err := k.LienAuthorizations.Get(ctx, consentKey(vin, holder.ChainId, holder.DealerId))
	switch {
	case errors.Is(err, collections.ErrNotFound):
		return k.refuseUnauthorized(ctx, vin, holder, assetID, errorsmod.Wrapf(types.ErrLienNotAuthorized,
			"VIN %s backs hub asset %d, owned by %s, who has not authorized a lien by %s; the owner consents with MsgAuthorizeLien",
			vin, assetID, owner, holder.String()))
	case err != nil:
		return types.LienAuthorization{}, false, fmt.Errorf("lien authorization of %s: %w", vin, err)
	}
	if !k.sameAccount(consent.Owner, owner) {
		return k.refuseUnauthorized(ctx, vin, holder, assetID, errorsmod.Wrapf(types.ErrLienNotAuthorized,
			"VIN %s backs hub asset %d, now owned by %s; the consent to %s was given by %s, a former owner, and no longer counts",
			vin, assetID, owner, holder.String(), consent.Owner))
	}
	// The same owner is not enough: a consent to a former asset of the VIN
	// (redeemed, applied for again) or given before the title last moved
	// (sold and bought back) belongs to an ownership that has ended. A
	// consent given in the block the title moved counts: heights cannot
	// order the two (docs/spec/vehicle-packet.md, what remains).
	if consent.AssetId != assetID {
		return k.refuseUnauthorized(ctx, vin, holder, assetID, errorsmod.Wrapf(types.ErrLienNotAuthorized,
			"VIN %s backs hub asset %d; the consent to %s was given for hub asset %d, which no longer backs it; the owner consents again with MsgAuthorizeLien",
			vin, assetID, holder.String(), consent.AssetId))
	}
	if consent.AuthorizedHeight < asset.TitleMovedHeight {
		return k.refuseUnauthorized(ctx, vin, holder, assetID, errorsmod.Wrapf(types.ErrLienNotAuthorized,
			"VIN %s backs hub asset %d, whose title changed hands at height %d; the consent to %s was given at height %d, before that, and no longer counts; the owner consents again with MsgAuthorizeLien",
			vin, assetID, asset.TitleMovedHeight, holder.String(), consent.AuthorizedHeight))
	}
	if now := sdk.UnwrapSDKContext(ctx).BlockTime(); !consent.Usable(now) {
		return k.refuseUnauthorized(ctx, vin, holder, assetID, errorsmod.Wrapf(types.ErrLienNotAuthorized,
			"VIN %s backs hub asset %d; its owner's consent to %s expired at %s",
			vin, assetID, holder.String(), consent.ExpiresAt.UTC().Format(time.RFC3339)))
	}
	return consent, true, nil
}

// refuseUnauthorized reports a lien refused for want of the owner's consent.
// The event is kept by callers that commit refusals (the IBC receive path).
func (k Keeper) refuseUnauthorized(ctx context.Context, vin string, holder types.LienHolder, assetID uint64, refusal error) (types.LienAuthorization, bool, error) {
	if err := sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventLienRefused{
		Vin: vin, RequestedBy: holder, Code: types.ErrLienNotAuthorized.ABCICode(), AssetId: assetID,
	}); err != nil {
		return types.LienAuthorization{}, false, err
	}
	return types.LienAuthorization{}, false, refusal
}

// AuthorizeLien records owner's consent that the dealer dealerID on chain
// chainID may take one lien on vin, which must back a live hub asset owned by
// owner. A consent given again for the same dealer replaces the earlier one.
// expiresAt, if set, must be after the block time.
func (k Keeper) AuthorizeLien(ctx context.Context, owner, vin, chainID, dealerID string, expiresAt *time.Time) (types.LienAuthorization, error) {
	parsed, err := types.ParseVIN(vin)
	if err != nil {
		return types.LienAuthorization{}, err
	}
	assetID, err := k.ownedAsset(ctx, owner, parsed.Value)
	if err != nil {
		return types.LienAuthorization{}, err
	}
	if _, err := k.getDealer(ctx, dealerID); err != nil {
		return types.LienAuthorization{}, err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	if expiresAt != nil {
		if !expiresAt.After(sdkCtx.BlockTime()) {
			return types.LienAuthorization{}, errorsmod.Wrapf(types.ErrInvalidLien, "expires_at %s is not after the block time %s",
				expiresAt.UTC().Format(time.RFC3339), sdkCtx.BlockTime().UTC().Format(time.RFC3339))
		}
		utc := expiresAt.UTC()
		expiresAt = &utc
	}
	canonical, err := k.canonicalAccount(owner)
	if err != nil {
		return types.LienAuthorization{}, err
	}
	consent := types.LienAuthorization{
		Vin: parsed.Value, ChainId: chainID, DealerId: dealerID, Owner: canonical, AssetId: assetID,
		ExpiresAt: expiresAt, AuthorizedHeight: sdkCtx.BlockHeight(),
	}
	if err := k.LienAuthorizations.Set(ctx, consentKey(consent.Vin, chainID, dealerID), consent); err != nil {
		return types.LienAuthorization{}, fmt.Errorf("lien authorization of %s: %w", consent.Vin, err)
	}
	return consent, sdkCtx.EventManager().EmitTypedEvent(&types.EventLienAuthorized{
		Vin: consent.Vin, ChainId: chainID, DealerId: dealerID, Owner: canonical, AssetId: assetID, ExpiresAt: expiresAt,
	})
}

// RevokeLienAuthorization withdraws an unused consent. The owner who gave it
// may, and so may the asset's current owner (to clear a former owner's).
func (k Keeper) RevokeLienAuthorization(ctx context.Context, signer, vin, chainID, dealerID string) error {
	parsed, err := types.ParseVIN(vin)
	if err != nil {
		return err
	}
	key := consentKey(parsed.Value, chainID, dealerID)
	consent, err := k.LienAuthorizations.Get(ctx, key)
	if errors.Is(err, collections.ErrNotFound) {
		return errorsmod.Wrapf(types.ErrLienAuthorizationNotFound, "VIN %s has no unused consent for dealer %q on chain %s", parsed.Value, dealerID, chainID)
	}
	if err != nil {
		return fmt.Errorf("lien authorization of %s: %w", parsed.Value, err)
	}
	if !k.sameAccount(consent.Owner, signer) {
		if _, err := k.ownedAsset(ctx, signer, parsed.Value); err != nil {
			return errorsmod.Wrapf(err, "the consent was given by %s; only it or the asset's current owner may withdraw it", consent.Owner)
		}
	}
	if err := k.LienAuthorizations.Remove(ctx, key); err != nil {
		return fmt.Errorf("lien authorization of %s: %w", parsed.Value, err)
	}
	revokedBy, err := k.canonicalAccount(signer)
	if err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventLienAuthorizationRevoked{
		Vin: parsed.Value, ChainId: chainID, DealerId: dealerID, Owner: consent.Owner, RevokedBy: revokedBy,
	})
}

// ownedAsset returns the live hub asset the canonical vin backs, which
// account must own (ErrNotVehicleOwner otherwise, and on chains without assets).
func (k Keeper) ownedAsset(ctx context.Context, account, vin string) (uint64, error) {
	if k.hub.assets == nil {
		return 0, errorsmod.Wrap(types.ErrNotVehicleOwner, "this chain keeps no hub assets; owners consent to liens on the hub")
	}
	asset, live, err := k.hub.assets.LiveVehicleAsset(ctx, vin)
	if err != nil {
		return 0, fmt.Errorf("hub asset of %s: %w", vin, err)
	}
	if !live {
		return 0, errorsmod.Wrapf(types.ErrNotVehicleOwner, "VIN %s backs no live hub asset; a dealer lien on it needs no consent", vin)
	}
	if !k.sameAccount(asset.Owner, account) {
		return 0, errorsmod.Wrapf(types.ErrNotVehicleOwner, "VIN %s backs hub asset %d, owned by %s, not by %s", vin, asset.ID, asset.Owner, account)
	}
	return asset.ID, nil
}

// ForceReleaseLien releases an active dealer lien without its holder, for
// governance: the remedy for a lien taken in bad faith, held by a dealer that
// was unbound before it released, or by a dealer chain that halted. The
// reason and the authority stay on the lien. Liens of hub modules are refused
// (ErrLienHeldByModule): a loan or an escrow stands behind each, and their
// own module ends them (repay, default, claim, refund).
func (k Keeper) ForceReleaseLien(ctx context.Context, id uint64, reason string) (types.Lien, error) {
	lien, err := k.Lien(ctx, id)
	if err != nil {
		return types.Lien{}, err
	}
	if lien.Holder.IsHub() {
		return types.Lien{}, errorsmod.Wrapf(types.ErrLienHeldByModule, "lien %d on VIN %s is held by %s; the module that holds it releases it when its loan or escrow ends",
			id, lien.Vin, lien.Holder)
	}
	if !lien.IsActive() {
		return types.Lien{}, errorsmod.Wrapf(types.ErrLienNotActive, "lien %d on VIN %s was released at height %d (%s)", id, lien.Vin, lien.ReleasedHeight, lien.ReleaseReason)
	}
	if err := types.ValidateForceReleaseReason(reason); err != nil {
		return types.Lien{}, err
	}
	if lien, err = k.markReleased(ctx, lien, reason, k.authority); err != nil {
		return types.Lien{}, err
	}
	return lien, sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventLienForceReleased{
		LienId: id, Vin: lien.Vin, Holder: lien.Holder, Reason: reason, Authority: k.authority,
	})
}

// sameAccount reports whether two bech32 strings name one account (the
// spelling may differ in case).
func (k Keeper) sameAccount(a, b string) bool {
	ab, errA := k.addressCodec.StringToBytes(a)
	bb, errB := k.addressCodec.StringToBytes(b)
	return errA == nil && errB == nil && bytes.Equal(ab, bb)
}

// canonicalAccount is the one spelling of an account this chain writes.
func (k Keeper) canonicalAccount(addr string) (string, error) {
	bz, err := k.addressCodec.StringToBytes(addr)
	if err != nil {
		return "", errorsmod.Wrapf(types.ErrInvalidAddress, "%q: %s", addr, err)
	}
	s, err := k.addressCodec.BytesToString(bz)
	if err != nil {
		return "", errorsmod.Wrapf(types.ErrInvalidAddress, "%q: %s", addr, err)
	}
	return s, nil
}
