package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/htlc/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// Lock escrows the sender's coins or title in the module account for the
// recipient under the hash lock until the expiry, and returns the new id.
func (k Keeper) Lock(ctx context.Context, msg *types.MsgLock) (string, error) {
	msg, err := msg.Canonical()
	if err != nil {
		return "", err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return "", err
	}
	if err := params.CheckExpiry(blockTime(ctx), msg.Expiry); err != nil {
		return "", err
	}
	hash, err := types.ParseHashLock(msg.HashLock)
	if err != nil {
		return "", err
	}
	hashLock := hash.String() // lower-case hex: one spelling per hash
	if err := k.checkHashUnused(ctx, hashLock, msg.Sender); err != nil {
		return "", err
	}
	if err := k.checkSecretNotPublic(ctx, hashLock); err != nil {
		return "", err
	}
	chainID := sdk.UnwrapSDKContext(ctx).ChainID()
	h := types.HTLC{
		Id:     types.ComputeID(chainID, msg.Sender, msg.Recipient, types.Escrow(msg.Amount, msg.AssetId), hashLock),
		Sender: msg.Sender, Recipient: msg.Recipient, Amount: msg.Amount, AssetId: msg.AssetId,
		HashLock: hashLock, Expiry: msg.Expiry.UTC(), State: types.HTLC_STATE_LOCKED,
		CreatedHeight: blockHeight(ctx), ChainId: chainID,
	}
	if err := k.escrow(ctx, h); err != nil {
		return "", err
	}
	if err := k.save(ctx, h); err != nil {
		return "", err
	}
	return h.Id, emit(ctx, &types.EventLocked{Id: h.Id, Sender: h.Sender, Recipient: h.Recipient,
		Amount: h.Amount, AssetId: h.AssetId, HashLock: h.HashLock, Expiry: h.Expiry})
}

// checkHashUnused refuses a hash lock the same sender ever used, whatever
// that HTLC's state: after a refund the secret may still be known to a
// counterparty watching another rail, and after a claim it is public, so a
// second lock would be claimable by anyone. Other senders' HTLCs under the
// same hash do not count: the hash is public once a swap's first leg is
// locked, and anyone could otherwise burn it for the party who must lock
// under it next (docs/spec/htlc.md, "Threat model").
func (k Keeper) checkHashUnused(ctx context.Context, hashLock, sender string) error {
	addr, err := sdk.AccAddressFromBech32(sender)
	if err != nil {
		return errorsmod.Wrapf(types.ErrInvalidAddress, "sender %q: %v", sender, err)
	}
	id, err := k.ByHashSender.Get(ctx, collections.Join(hashLock, addr))
	if err == nil {
		return errorsmod.Wrapf(types.ErrHashUsed, "hash lock %s is used by htlc %s of the same sender %s", hashLock, id, sender)
	}
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return nil
	}
	return err
}

// escrow moves the coins or the title from the sender to the module account.
func (k Keeper) escrow(ctx context.Context, h types.HTLC) error {
	if h.AssetId != 0 {
		return k.asset.EscrowTitle(ctx, h.AssetId, h.Sender, ModuleAddress().String(), lienHolder(h))
	}
	sender := sdk.MustAccAddressFromBech32(h.Sender)
	if err := k.bank.SendCoinsFromAccountToModule(ctx, sender, types.ModuleName, h.Amount); err != nil {
		return errorsmod.Wrapf(types.ErrInsufficientFunds, "%s cannot lock %s: %s", h.Sender, h.Amount, err.Error())
	}
	return nil
}

// lienHolder is how the VIN lien of an escrowed vehicle title names this
// HTLC: the htlc module, for the recipient, by id.
func lienHolder(h types.HTLC) vehicletypes.LienHolder {
	return vehicletypes.LienHolder{Module: types.ModuleName, Lender: h.Recipient, Reference: "htlc/" + h.Id}
}

// release pays the escrow out of the module account to the recipient (claim) or the sender (refund).
func (k Keeper) release(ctx context.Context, h types.HTLC, to string) error {
	if h.AssetId != 0 {
		return k.asset.ReleaseTitle(ctx, h.AssetId, ModuleAddress().String(), to, lienHolder(h))
	}
	return k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, sdk.MustAccAddressFromBech32(to), h.Amount)
}
