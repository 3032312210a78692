package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/internal/accaddr"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// The hub's lien registry: at most one active lien per VIN, whoever asks — a
// hub module (x/asset, for a loan on the hub) or a dealer over IBC. Checking
// ActiveLiens and setting it happen in one transaction, which is what stops
// a car being pledged to two lenders. Released liens stay as history.

// GrantLien grants holder a lien on vin, unless the VIN already has an active
// lien (ErrLienHeld, naming where it is held) or, for a dealer holder, the VIN
// backs a live hub asset whose owner has not consented (ErrLienNotAuthorized).
// The VIN must pass the record VIN rules; it is stored in canonical
// (upper-case) form. Hub modules take their liens in a transaction their
// owner signed (a pledge, an escrow), so they need no separate consent.
func (k Keeper) GrantLien(ctx context.Context, vin string, holder types.LienHolder) (types.Lien, error) {
	return k.grantLien(ctx, vin, holder, nil)
}

// grantLien is GrantLien for a lien requested over route (the hub's end of
// it; nil for a hub module), which the lien keeps so that its holder can
// release it over that route even after being unbound.
func (k Keeper) grantLien(ctx context.Context, vin string, holder types.LienHolder, route *types.Route) (types.Lien, error) {
	holder.Lender = canonicalLender(holder.Lender)
	if err := holder.Validate(); err != nil {
		return types.Lien{}, err
	}
	parsed, err := types.ParseVIN(vin)
	if err != nil {
		return types.Lien{}, err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	held, found, err := k.activeLien(ctx, parsed.Value)
	if err != nil {
		return types.Lien{}, err
	}
	if found {
		// The refusal is an answer, not a failure, for a caller that commits it
		// (the IBC receive path); the event records who asked and who holds it.
		if err := sdkCtx.EventManager().EmitTypedEvent(&types.EventLienRefused{
			Vin: parsed.Value, RequestedBy: holder, HeldLienId: held.Id, Holder: held.Holder, Code: types.ErrLienHeld.ABCICode(),
		}); err != nil {
			return types.Lien{}, err
		}
		return types.Lien{}, lienHeldError(held)
	}
	consent, consented, err := k.lienConsent(ctx, parsed.Value, holder)
	if err != nil {
		return types.Lien{}, err
	}
	id, err := k.nextLienID(ctx)
	if err != nil {
		return types.Lien{}, err
	}
	lien := types.Lien{
		Id:            id,
		Vin:           parsed.Value,
		Holder:        holder,
		Status:        types.LIEN_STATUS_ACTIVE,
		GrantedHeight: sdkCtx.BlockHeight(),
		GrantedAt:     sdkCtx.BlockTime().UTC(),
		AuthorizedBy:  consent.Owner,
		GrantedRoute:  route,
	}
	if err := k.storeLien(ctx, lien); err != nil {
		return types.Lien{}, err
	}
	if consented {
		// A consent is good for one lien: the next one needs the owner again.
		if err := k.LienAuthorizations.Remove(ctx, consentKey(consent.Vin, consent.ChainId, consent.DealerId)); err != nil {
			return types.Lien{}, fmt.Errorf("use up lien authorization of %s: %w", consent.Vin, err)
		}
	}
	return lien, sdkCtx.EventManager().EmitTypedEvent(&types.EventLienGranted{LienId: id, Vin: lien.Vin, Holder: holder, AuthorizedBy: consent.Owner})
}

// canonicalLender is the one (lower-case) spelling of a lender's bech32
// address, so the by-lender index has one key per lender; a lender that does
// not decode is returned as given, for validation to refuse.
func canonicalLender(lender string) string {
	if c, err := accaddr.CanonicalBech32(lender); err == nil {
		return c
	}
	return lender
}

// lienHeldError is the refusal of a lien on a VIN that has the active lien held.
func lienHeldError(held types.Lien) error {
	return errorsmod.Wrapf(types.ErrLienHeld, "VIN %s already has active lien %d held by %s; its holder must release it first",
		held.Vin, held.Id, held.Holder)
}

// ReleaseLien releases lien id on behalf of by, which must be its holder (same
// chain_id, dealer_id and module; lender and reference are not compared).
// Releasing a lien already released returns it unchanged and no error, so a
// holder may retry a release whose answer it did not get.
func (k Keeper) ReleaseLien(ctx context.Context, id uint64, by types.LienHolder, reason string) (types.Lien, error) {
	lien, err := k.Lien(ctx, id)
	if err != nil {
		return types.Lien{}, err
	}
	// The holder check comes first: a stranger learns nothing and changes
	// nothing, whether the lien is active or not.
	if !lien.Holder.SameParty(by) {
		return types.Lien{}, errorsmod.Wrapf(types.ErrNotLienHolder, "lien %d on VIN %s is held by %s, not by %s; only its holder may release it",
			id, lien.Vin, lien.Holder, by)
	}
	if !lien.IsActive() {
		return lien, nil
	}
	if err := types.ValidateLienReason(reason); err != nil {
		return types.Lien{}, err
	}
	if lien, err = k.markReleased(ctx, lien, reason, ""); err != nil {
		return types.Lien{}, err
	}
	return lien, sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventLienReleased{LienId: id, Vin: lien.Vin, Holder: lien.Holder, Reason: reason})
}

// markReleased releases an active lien at this block: releasedBy is the
// governance authority for a forced release, "" for its holder's own.
func (k Keeper) markReleased(ctx context.Context, lien types.Lien, reason, releasedBy string) (types.Lien, error) {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	releasedAt := sdkCtx.BlockTime().UTC()
	lien.Status, lien.ReleasedHeight, lien.ReleasedAt = types.LIEN_STATUS_RELEASED, sdkCtx.BlockHeight(), &releasedAt
	lien.ReleaseReason, lien.ReleasedBy = reason, releasedBy
	if err := k.Liens.Set(ctx, lien.Id, lien); err != nil {
		return types.Lien{}, fmt.Errorf("store lien %d: %w", lien.Id, err)
	}
	if err := k.ActiveLiens.Remove(ctx, lien.Vin); err != nil {
		return types.Lien{}, fmt.Errorf("active lien of %s: %w", lien.Vin, err)
	}
	return lien, nil
}

// ActiveLien returns the VIN's active lien, if it has one.
func (k Keeper) ActiveLien(ctx context.Context, vin string) (types.Lien, bool, error) {
	parsed, err := types.ParseVIN(vin)
	if err != nil {
		return types.Lien{}, false, err
	}
	return k.activeLien(ctx, parsed.Value)
}

// activeLien looks up a canonical VIN's active lien.
func (k Keeper) activeLien(ctx context.Context, vin string) (types.Lien, bool, error) {
	id, err := k.ActiveLiens.Get(ctx, vin)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Lien{}, false, nil
	}
	if err != nil {
		return types.Lien{}, false, fmt.Errorf("active lien of %s: %w", vin, err)
	}
	lien, err := k.Lien(ctx, id)
	if err != nil {
		return types.Lien{}, false, err
	}
	return lien, true, nil
}

// Lien returns a lien, active or released, by id.
func (k Keeper) Lien(ctx context.Context, id uint64) (types.Lien, error) {
	lien, err := k.Liens.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Lien{}, errorsmod.Wrapf(types.ErrLienNotFound, "no lien with id %d", id)
	}
	if err != nil {
		return types.Lien{}, fmt.Errorf("lien %d: %w", id, err)
	}
	return lien, nil
}

// HasVehicle reports whether the VIN has a history (at least one record) on this chain.
func (k Keeper) HasVehicle(ctx context.Context, vin string) (bool, error) {
	parsed, err := types.ParseVIN(vin)
	if err != nil {
		return false, err
	}
	found, err := k.Summaries.Has(ctx, parsed.Value)
	if err != nil {
		return false, fmt.Errorf("summary of %s: %w", parsed.Value, err)
	}
	return found, nil
}

// nextLienID hands out lien ids from 1. A chain whose genesis predates the
// lien registry has no sequence stored (it reads 0), hence the skip.
func (k Keeper) nextLienID(ctx context.Context) (uint64, error) {
	id, err := k.NextLienID.Next(ctx)
	if err == nil && id == 0 {
		id, err = k.NextLienID.Next(ctx)
	}
	if err != nil {
		return 0, fmt.Errorf("next lien id: %w", err)
	}
	return id, nil
}

// storeLien writes a lien and every index entry of it. Genesis import goes
// through it too, so the indexes are always derived the same way.
func (k Keeper) storeLien(ctx context.Context, lien types.Lien) error {
	if err := k.Liens.Set(ctx, lien.Id, lien); err != nil {
		return fmt.Errorf("store lien %d: %w", lien.Id, err)
	}
	if err := k.LiensByVIN.Set(ctx, collections.Join(lien.Vin, lien.Id)); err != nil {
		return fmt.Errorf("index lien %d by VIN: %w", lien.Id, err)
	}
	party, chainID := lien.Holder.IndexKey()
	if err := k.LiensByHolder.Set(ctx, collections.Join3(party, chainID, lien.Id)); err != nil {
		return fmt.Errorf("index lien %d by holder: %w", lien.Id, err)
	}
	if err := k.LiensByLender.Set(ctx, collections.Join(lien.Holder.Lender, lien.Id)); err != nil {
		return fmt.Errorf("index lien %d by lender: %w", lien.Id, err)
	}
	if lien.IsActive() {
		if err := k.ActiveLiens.Set(ctx, lien.Vin, lien.Id); err != nil {
			return fmt.Errorf("active lien of %s: %w", lien.Vin, err)
		}
	}
	return nil
}

// liensOf returns every lien of a VIN, active and released, in id order: the
// lien part of the VIN's history, which the history query joins in.
func (k Keeper) liensOf(ctx context.Context, vin string) ([]types.Lien, error) {
	var liens []types.Lien
	err := k.LiensByVIN.Walk(ctx, collections.NewPrefixedPairRange[string, uint64](vin), func(key collections.Pair[string, uint64]) (bool, error) {
		lien, err := k.Liens.Get(ctx, key.K2())
		if err != nil {
			return true, fmt.Errorf("lien %d of %s: %w", key.K2(), vin, err)
		}
		liens = append(liens, lien)
		return false, nil
	})
	if err != nil {
		return nil, fmt.Errorf("liens of %s: %w", vin, err)
	}
	return liens, nil
}
