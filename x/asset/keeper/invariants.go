package keeper

import (
	"context"
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/asset/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// The invariants are plain functions (x/crisis is gone in SDK v0.54): tests
// call CheckInvariants after every step, and operators can call it from a
// debugging tool. Each returns an error naming the first broken fact.

// CheckInvariants runs every invariant.
func (k Keeper) CheckInvariants(ctx context.Context) error {
	for _, inv := range []func(context.Context) error{k.OneLienPerAsset, k.EscrowMatchesOffers, k.PledgedAssetsHaveLiens, k.OneApprovedAssetPerVIN} {
		if err := inv(ctx); err != nil {
			return err
		}
	}
	return nil
}

// OneLienPerAsset: an asset has at most one active loan (and so at most one
// lien), and only a pledged asset has one.
func (k Keeper) OneLienPerAsset(ctx context.Context) error {
	active := map[uint64]uint64{}
	return k.Loans.Walk(ctx, nil, func(id uint64, l types.Loan) (bool, error) {
		if l.Status != types.LOAN_STATUS_ACTIVE {
			return false, nil
		}
		if other, dup := active[l.AssetId]; dup {
			return true, fmt.Errorf("invariant one-lien-per-asset: asset %d has two active loans (%d, %d)", l.AssetId, other, id)
		}
		active[l.AssetId] = id
		a, err := k.Assets.Get(ctx, l.AssetId)
		if err != nil {
			return true, fmt.Errorf("invariant one-lien-per-asset: active loan %d is against missing asset %d", id, l.AssetId)
		}
		if a.Status != types.ASSET_STATUS_PLEDGED || a.LoanId != id {
			return true, fmt.Errorf("invariant one-lien-per-asset: active loan %d is against asset %d, which is %s with loan %d", id, a.Id, a.Status, a.LoanId)
		}
		return false, nil
	})
}

// EscrowMatchesOffers: the module account holds exactly the principal of the
// loans whose principal it escrows — the offers not yet taken (an active
// loan's principal has been paid out to the borrower or seller).
func (k Keeper) EscrowMatchesOffers(ctx context.Context) error {
	owed := sdk.NewCoins()
	if err := k.Loans.Walk(ctx, nil, func(_ uint64, l types.Loan) (bool, error) {
		if l.Status == types.LOAN_STATUS_OFFERED {
			owed = owed.Add(l.Principal)
		}
		return false, nil
	}); err != nil {
		return err
	}
	held := k.bank.GetAllBalances(ctx, ModuleAddress())
	if !held.Equal(owed) {
		return fmt.Errorf("invariant escrow-matches-offers: module account holds %s, open offers escrow %s", held, owed)
	}
	return nil
}

// PledgedAssetsHaveLiens: every pledged asset has an active loan, and a
// pledged vehicle has the active lien on its VIN, held by this module for that loan.
func (k Keeper) PledgedAssetsHaveLiens(ctx context.Context) error {
	return k.Assets.Walk(ctx, nil, func(id uint64, a types.Asset) (bool, error) {
		if a.Status != types.ASSET_STATUS_PLEDGED {
			return false, nil
		}
		l, err := k.Loans.Get(ctx, a.LoanId)
		if err != nil || l.Status != types.LOAN_STATUS_ACTIVE || l.AssetId != id {
			return true, fmt.Errorf("invariant pledged-assets-have-liens: pledged asset %d has no active loan %d", id, a.LoanId)
		}
		if a.Kind != types.ASSET_KIND_VEHICLE {
			return false, nil
		}
		lien, err := k.vehicle.Lien(ctx, l.LienId)
		want := lienHolder(l)
		if err != nil || lien.Status != vehicletypes.LIEN_STATUS_ACTIVE || lien.Vin != a.Vin || lien.Holder != want {
			return true, fmt.Errorf("invariant pledged-assets-have-liens: pledged vehicle asset %d (VIN %s, loan %d) lacks active lien %d held by %s", id, a.Vin, l.Id, l.LienId, want.String())
		}
		return false, nil
	})
}

// OneApprovedAssetPerVIN: a VIN backs at most one approved (active or
// pledged) asset, however many applications for it are pending or were
// rejected or redeemed.
func (k Keeper) OneApprovedAssetPerVIN(ctx context.Context) error {
	approved := map[string]uint64{}
	return k.Assets.Walk(ctx, nil, func(id uint64, a types.Asset) (bool, error) {
		if a.Vin == "" || !a.Approved() {
			return false, nil
		}
		if other, dup := approved[a.Vin]; dup {
			return true, fmt.Errorf("invariant one-approved-asset-per-vin: VIN %s backs approved assets %d and %d", a.Vin, other, id)
		}
		approved[a.Vin] = id
		return false, nil
	})
}
