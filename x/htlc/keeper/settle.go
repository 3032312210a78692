package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/vinhub/vinhub/x/htlc/types"
)

// Claim pays a locked HTLC to its recipient against the secret, strictly
// before the expiry; whoever submits it, the escrow goes to the recipient.
func (k Keeper) Claim(ctx context.Context, msg *types.MsgClaim) error {
	msg, err := msg.Canonical()
	if err != nil {
		return err
	}
	h, err := k.lockedHTLC(ctx, msg.Id)
	if err != nil {
		return err
	}
	if now := blockTime(ctx); !now.Before(h.Expiry) {
		return errorsmod.Wrapf(types.ErrExpired, "htlc %s expired at %s; the block time is %s", h.Id, formatTime(h.Expiry), formatTime(now))
	}
	secret, err := types.ParseSecret(msg.Secret)
	if err != nil {
		return err
	}
	if err := types.VerifySecret(h.HashLock, secret); err != nil {
		return errorsmod.Wrapf(err, "htlc %s", h.Id)
	}
	if err := k.release(ctx, h, h.Recipient); err != nil {
		return errorsmod.Wrapf(err, "pay htlc %s to %s", h.Id, h.Recipient)
	}
	h.State, h.Secret = types.HTLC_STATE_CLAIMED, secret.String()
	h.ClosedHeight, h.ClosedBy = blockHeight(ctx), msg.Claimer
	if err := k.save(ctx, h); err != nil {
		return err
	}
	return emit(ctx, &types.EventClaimed{Id: h.Id, Claimer: msg.Claimer, Recipient: h.Recipient, HashLock: h.HashLock, Secret: h.Secret})
}

// Refund returns a locked HTLC's escrow to its sender at or after the
// expiry; by is who asked ("" for the end block).
func (k Keeper) Refund(ctx context.Context, id, by string) error {
	h, err := k.lockedHTLC(ctx, id)
	if err != nil {
		return err
	}
	if now := blockTime(ctx); now.Before(h.Expiry) {
		return errorsmod.Wrapf(types.ErrNotExpired, "htlc %s expires at %s; the block time is %s", h.Id, formatTime(h.Expiry), formatTime(now))
	}
	if err := k.release(ctx, h, h.Sender); err != nil {
		return errorsmod.Wrapf(err, "refund htlc %s to %s", h.Id, h.Sender)
	}
	h.State, h.ClosedHeight, h.ClosedBy = types.HTLC_STATE_REFUNDED, blockHeight(ctx), by
	if err := k.save(ctx, h); err != nil {
		return err
	}
	return emit(ctx, &types.EventRefunded{Id: h.Id, Sender: h.Sender, Automatic: by == ""})
}

// lockedHTLC loads an HTLC that may still be claimed or refunded.
func (k Keeper) lockedHTLC(ctx context.Context, id string) (types.HTLC, error) {
	h, err := k.GetHTLC(ctx, id)
	if err != nil {
		return h, err
	}
	switch h.State {
	case types.HTLC_STATE_LOCKED:
		return h, nil
	case types.HTLC_STATE_CLAIMED:
		return h, errorsmod.Wrapf(types.ErrAlreadyClaimed, "htlc %s was claimed by %s at height %d; it is final", h.Id, h.ClosedBy, h.ClosedHeight)
	case types.HTLC_STATE_REFUNDED:
		return h, errorsmod.Wrapf(types.ErrAlreadyRefunded, "htlc %s was refunded to %s at height %d; it is final", h.Id, h.Sender, h.ClosedHeight)
	}
	return h, errorsmod.Wrapf(types.ErrNotFound, "htlc %s has no valid state (%d)", h.Id, h.State)
}
