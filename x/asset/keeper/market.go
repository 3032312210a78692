package keeper

import (
	"context"
	"fmt"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/vinhub/vinhub/x/asset/types"
	credittypes "github.com/vinhub/vinhub/x/credit/types"
	"github.com/vinhub/vinhub/x/internal/accaddr"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// ownedMovable loads an asset its owner may move: active and not frozen.
func (k Keeper) ownedMovable(ctx context.Context, owner string, id uint64) (types.Asset, error) {
	a, err := k.GetAsset(ctx, id)
	if err != nil {
		return a, err
	}
	if !accaddr.Same(a.Owner, owner) {
		return a, errorsmod.Wrapf(types.ErrNotOwner, "asset %d belongs to %s, not %s", id, a.Owner, owner)
	}
	return a, checkMovable(a)
}

// checkMovable refuses assets that are not active (pending, pledged, retired) or are frozen.
func checkMovable(a types.Asset) error {
	if err := requireStatus(a, types.ASSET_STATUS_ACTIVE); err != nil {
		return err
	}
	if a.Frozen {
		return errorsmod.Wrapf(types.ErrFrozen, "asset %d is frozen by %s: %s", a.Id, a.FrozenBy, a.FreezeReason)
	}
	return nil
}

// checkNoForeignLien refuses to move a vehicle whose VIN carries a lien
// held by someone else (say, a dealer chain's lender): the lien follows the
// car, so it must be released before the car changes hands or leaves.
func (k Keeper) checkNoForeignLien(ctx context.Context, a types.Asset) error {
	if a.Kind != types.ASSET_KIND_VEHICLE {
		return nil
	}
	lien, held, err := k.vehicle.ActiveLien(ctx, a.Vin)
	if err != nil || !held {
		return err
	}
	return errorsmod.Wrapf(vehicletypes.ErrLienHeld, "asset %d cannot change hands or be redeemed: VIN %s has active lien %d held by %s",
		a.Id, a.Vin, lien.Id, lien.Holder.String())
}

// List offers an asset for sale at a price (listing again changes the price).
func (k Keeper) List(ctx context.Context, msg *types.MsgList) error {
	msg, err := msg.Canonical()
	if err != nil {
		return err
	}
	a, err := k.ownedMovable(ctx, msg.Owner, msg.AssetId)
	if err != nil {
		return err
	}
	price := msg.Price
	a.ListPrice = &price
	if err := k.Assets.Set(ctx, a.Id, a); err != nil {
		return err
	}
	return emit(ctx, &types.EventAssetListed{AssetId: a.Id, Owner: a.Owner, Price: &price})
}

// Unlist withdraws a listing.
func (k Keeper) Unlist(ctx context.Context, msg *types.MsgUnlist) error {
	msg, err := msg.Canonical()
	if err != nil {
		return err
	}
	a, err := k.GetAsset(ctx, msg.AssetId)
	if err != nil {
		return err
	}
	if !accaddr.Same(a.Owner, msg.Owner) {
		return errorsmod.Wrapf(types.ErrNotOwner, "asset %d belongs to %s, not %s", a.Id, a.Owner, msg.Owner)
	}
	if a.ListPrice == nil {
		return errorsmod.Wrapf(types.ErrNotListed, "asset %d is not listed", a.Id)
	}
	a.ListPrice = nil
	if err := k.Assets.Set(ctx, a.Id, a); err != nil {
		return err
	}
	return emit(ctx, &types.EventAssetListed{AssetId: a.Id, Owner: a.Owner})
}

// Buy pays the listed price to the seller and gives the buyer the title in
// one transaction: either both happen or neither. With a loan offer, the
// offer's escrowed principal pays part of the price, the buyer the rest,
// and the asset is pledged to the lender at once (buy on credit).
func (k Keeper) Buy(ctx context.Context, msg *types.MsgBuy) error {
	msg, err := msg.Canonical()
	if err != nil {
		return err
	}
	a, err := k.GetAsset(ctx, msg.AssetId)
	if err != nil {
		return err
	}
	if err := checkMovable(a); err != nil {
		return err
	}
	if a.ListPrice == nil {
		return errorsmod.Wrapf(types.ErrNotListed, "asset %d is not for sale", a.Id)
	}
	if !a.ListPrice.IsEqual(msg.Price) {
		return errorsmod.Wrapf(types.ErrPriceMismatch, "asset %d is listed at %s, you offered %s", a.Id, a.ListPrice, msg.Price)
	}
	if accaddr.Same(a.Owner, msg.Buyer) {
		return errorsmod.Wrapf(types.ErrSelfDealing, "%s already owns asset %d", msg.Buyer, a.Id)
	}
	if err := k.checkNoForeignLien(ctx, a); err != nil {
		return err
	}
	buyer, seller := sdk.MustAccAddressFromBech32(msg.Buyer), sdk.MustAccAddressFromBech32(a.Owner)
	if msg.LoanId == 0 {
		if err := k.pay(ctx, buyer, seller, msg.Price, "pay the price"); err != nil {
			return err
		}
		return k.completeSale(ctx, a, msg.Buyer, msg.Price, 0)
	}
	return k.buyOnCredit(ctx, a, buyer, seller, msg.Price, msg.LoanId)
}

// buyOnCredit pays the seller from the loan offer's escrow plus the buyer's
// own coins, then pledges the bought asset to the lender.
func (k Keeper) buyOnCredit(ctx context.Context, a types.Asset, buyer, seller sdk.AccAddress, price sdk.Coin, loanID uint64) error {
	if err := k.credit.CheckScore(ctx, buyer, credittypes.GATE_BUY_ON_CREDIT); err != nil {
		return err
	}
	loan, err := k.GetLoan(ctx, loanID)
	if err != nil {
		return err
	}
	if err := checkOffer(loan, buyer.String(), a.Id); err != nil {
		return err
	}
	if loan.Principal.Denom != price.Denom || loan.Principal.Amount.GT(price.Amount) {
		return errorsmod.Wrapf(types.ErrInvalidAmount, "loan %d lends %s; it must be in %s and at most the price %s", loan.Id, loan.Principal, price.Denom, price)
	}
	if down := price.Sub(loan.Principal); down.IsPositive() {
		if err := k.pay(ctx, buyer, seller, down, "pay the down payment"); err != nil {
			return err
		}
	}
	if err := k.completeSale(ctx, a, buyer.String(), price, loan.Id); err != nil {
		return err
	}
	a, err = k.GetAsset(ctx, a.Id)
	if err != nil {
		return err
	}
	_, err = k.startLoan(ctx, a, loan, seller)
	return err
}

// completeSale moves the title, closes the listing and feeds both parties' trade volume.
func (k Keeper) completeSale(ctx context.Context, a types.Asset, buyer string, price sdk.Coin, loanID uint64) error {
	seller := a.Owner
	if err := k.giveTitle(ctx, &a, buyer, saleMove(a.Id)); err != nil {
		return err
	}
	a.ListPrice = nil
	if err := k.Assets.Set(ctx, a.Id, a); err != nil {
		return err
	}
	for _, party := range []string{seller, buyer} {
		if err := k.credit.RecordTrade(ctx, sdk.MustAccAddressFromBech32(party)); err != nil {
			return err
		}
	}
	return emit(ctx, &types.EventAssetSold{AssetId: a.Id, Seller: seller, Buyer: buyer, Price: price, LoanId: loanID})
}

// pay moves coins between accounts, saying who could not pay what.
func (k Keeper) pay(ctx context.Context, from, to sdk.AccAddress, amt sdk.Coin, what string) error {
	if err := k.bank.SendCoins(ctx, from, to, sdk.NewCoins(amt)); err != nil {
		return errorsmod.Wrapf(types.ErrInsufficientFunds, "%s cannot %s of %s: %v", from, what, amt, err)
	}
	return nil
}

// Transfer gives the title to another account; a listing is withdrawn.
func (k Keeper) Transfer(ctx context.Context, msg *types.MsgTransfer) error {
	msg, err := msg.Canonical()
	if err != nil {
		return err
	}
	// x/htlc escrows titles in its module account through EscrowTitle; a
	// plain transfer there (or to any module) would strand the title.
	if to, err := sdk.AccAddressFromBech32(msg.Recipient); err == nil && k.bank.BlockedAddr(to) {
		return errorsmod.Wrapf(types.ErrInvalidAddress, "recipient %s is a module account: a title sent there could never move again", msg.Recipient)
	}
	return k.moveTitle(ctx, msg.AssetId, msg.Owner, msg.Recipient, titleMove{
		module: types.ModuleName, reference: fmt.Sprintf("asset/%d", msg.AssetId), cause: vehicletypes.TITLE_CAUSE_TRANSFER})
}

// moveTitle gives asset assetID's title from its owner from to to, under
// the rules of a transfer: active, not frozen, owned by from, no lien held
// elsewhere on its VIN; a listing is withdrawn. from and to are compared and
// stored by the account they name, whatever their case. move says who moved
// it and why, for the VIN's history.
func (k Keeper) moveTitle(ctx context.Context, assetID uint64, from, to string, move titleMove) error {
	recipient, err := accaddr.Canonical(to)
	if err != nil {
		return errorsmod.Wrapf(types.ErrInvalidAddress, "recipient %q: %v", to, err)
	}
	a, err := k.ownedMovable(ctx, from, assetID)
	if err != nil {
		return err
	}
	if err := k.checkNoForeignLien(ctx, a); err != nil {
		return err
	}
	previous := a.Owner
	if err := k.giveTitle(ctx, &a, recipient, move); err != nil {
		return err
	}
	a.ListPrice = nil
	if err := k.Assets.Set(ctx, a.Id, a); err != nil {
		return err
	}
	return emit(ctx, &types.EventAssetTransferred{AssetId: a.Id, From: previous, To: recipient})
}

// titleMove is who moves a title and why: the origin of the ownership
// record a vehicle's title move writes into its VIN's history.
type titleMove struct {
	module, reference string
	cause             vehicletypes.TitleCause
}

func saleMove(assetID uint64) titleMove {
	return titleMove{module: types.ModuleName, reference: fmt.Sprintf("asset/%d", assetID), cause: vehicletypes.TITLE_CAUSE_SALE}
}

// escrowMove is the title move of an escrow holder's lock (to the escrow),
// claim (to the holder's beneficiary) or refund (anywhere else).
func escrowMove(holder vehicletypes.LienHolder, escrow, to string) titleMove {
	move := titleMove{module: holder.Module, reference: holder.Reference, cause: vehicletypes.TITLE_CAUSE_SWAP_REFUND}
	switch {
	case accaddr.Same(to, escrow):
		move.cause = vehicletypes.TITLE_CAUSE_SWAP_ESCROW
	case accaddr.Same(to, holder.Lender):
		move.cause = vehicletypes.TITLE_CAUSE_SWAP_CLAIM
	}
	return move
}

// giveTitle makes to the asset's owner. Every change of owner goes through
// here, so it is where the change is noted: the height, after which a lien
// consent given before no longer counts (x/vehicle), even if the car comes
// back to the same owner; and, for a vehicle, an ownership record in its
// VIN's history. Giving the title to its owner (a loan repaid) changes
// nothing and writes nothing.
func (k Keeper) giveTitle(ctx context.Context, a *types.Asset, to string, move titleMove) error {
	if accaddr.Same(a.Owner, to) {
		a.Owner = to
		return nil
	}
	from := a.Owner
	a.TitleMovedHeight = sdk.UnwrapSDKContext(ctx).BlockHeight()
	a.Owner = to
	return k.recordTitleMove(ctx, *a, from, to, move)
}

// recordTitleMove appends a vehicle's title move (to is empty when the title
// leaves the hub) to its VIN's history; other assets have no history.
func (k Keeper) recordTitleMove(ctx context.Context, a types.Asset, from, to string, move titleMove) error {
	if a.Kind != types.ASSET_KIND_VEHICLE {
		return nil
	}
	_, err := k.vehicle.AppendOwnershipRecord(ctx, a.Vin, vehicletypes.TitleOrigin{
		Module: move.module, Reference: move.reference, AssetId: a.Id, From: from, To: to, Cause: move.cause})
	if err != nil {
		return fmt.Errorf("ownership record of asset %d: %w", a.Id, err)
	}
	return nil
}

// EscrowTitle moves a title into an escrow account (x/htlc's) under the
// transfer rules and, for a vehicle, takes its VIN's lien for holder: while
// the title waits in escrow no lender anywhere can pledge the car, so
// whoever the escrow pays out to receives it unencumbered.
func (k Keeper) EscrowTitle(ctx context.Context, assetID uint64, from, escrow string, holder vehicletypes.LienHolder) error {
	if err := k.moveTitle(ctx, assetID, from, escrow, escrowMove(holder, escrow, escrow)); err != nil {
		return err
	}
	a, err := k.GetAsset(ctx, assetID)
	if err != nil || a.Kind != types.ASSET_KIND_VEHICLE {
		return err
	}
	_, err = k.vehicle.GrantLien(ctx, a.Vin, holder)
	return err
}

// ReleaseTitle releases the escrow's lien taken by EscrowTitle and moves
// the title out of escrow to to.
func (k Keeper) ReleaseTitle(ctx context.Context, assetID uint64, escrow, to string, holder vehicletypes.LienHolder) error {
	a, err := k.GetAsset(ctx, assetID)
	if err != nil {
		return err
	}
	if a.Kind == types.ASSET_KIND_VEHICLE {
		lien, held, err := k.vehicle.ActiveLien(ctx, a.Vin)
		if err != nil {
			return err
		}
		if held && sameLienHolder(lien.Holder, holder) {
			if _, err := k.vehicle.ReleaseLien(ctx, lien.Id, holder, "escrow paid out"); err != nil {
				return err
			}
		}
	}
	return k.moveTitle(ctx, assetID, escrow, to, escrowMove(holder, escrow, to))
}

// sameLienHolder compares holders as the lien registry stores them: the
// registry keeps a lender's canonical (lower-case) spelling, whatever the
// caller passed to GrantLien.
func sameLienHolder(held, by vehicletypes.LienHolder) bool {
	if lender, err := accaddr.CanonicalBech32(by.Lender); err == nil {
		by.Lender = lender
	}
	return held == by
}

// Redeem retires an active asset: the owner pays the redemption fee to the
// fee collector and the offline asset is released to them.
func (k Keeper) Redeem(ctx context.Context, msg *types.MsgRedeem) error {
	msg, err := msg.Canonical()
	if err != nil {
		return err
	}
	a, err := k.ownedMovable(ctx, msg.Owner, msg.AssetId)
	if err != nil {
		return err
	}
	if err := k.checkNoForeignLien(ctx, a); err != nil {
		return err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if !params.RedemptionFee.IsZero() {
		owner := sdk.MustAccAddressFromBech32(a.Owner)
		if err := k.bank.SendCoinsFromAccountToModule(ctx, owner, authtypes.FeeCollectorName, params.RedemptionFee); err != nil {
			return errorsmod.Wrapf(types.ErrInsufficientFunds, "%s cannot pay the redemption fee %s: %v", owner, params.RedemptionFee, err)
		}
	}
	a.Status, a.ListPrice = types.ASSET_STATUS_REDEEMED, nil
	redemption := titleMove{module: types.ModuleName, reference: fmt.Sprintf("asset/%d", a.Id), cause: vehicletypes.TITLE_CAUSE_REDEMPTION}
	if err := k.recordTitleMove(ctx, a, a.Owner, "", redemption); err != nil {
		return err
	}
	if err := k.Assets.Set(ctx, a.Id, a); err != nil {
		return err
	}
	return emit(ctx, &types.EventAssetRedeemed{AssetId: a.Id, Owner: a.Owner, Fee: params.RedemptionFee})
}
