package keeper

import (
	"context"
	"time"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/htlc/types"
)

// EndBlocker refunds the LOCKED HTLCs whose expiry is at or before the
// block time, at most MaxAutoRefundsPerBlock of them (the rest in the next
// blocks). Each refund is written only if it succeeds; a failed one is
// logged, reported by EventAutoRefundFailed and recorded on the HTLC, and
// leaves the auto-refund queue so it is not retried every block: an
// explicit MsgRefund still works once the cause is gone. Only store
// failures are returned (they would halt the chain).
func (k Keeper) EndBlocker(ctx context.Context) error {
	due, err := k.dueForRefund(ctx, blockTime(ctx), types.MaxAutoRefundsPerBlock)
	if err != nil {
		return err
	}
	for _, id := range due {
		if err := k.autoRefund(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// dueForRefund lists up to limit queued HTLC ids with expiry <= now, oldest first.
func (k Keeper) dueForRefund(ctx context.Context, now time.Time, limit int) ([]string, error) {
	var due []string
	err := k.Expiring.Walk(ctx, nil, func(key collections.Pair[time.Time, string]) (bool, error) {
		if key.K1().After(now) || len(due) == limit {
			return true, nil
		}
		due = append(due, key.K2())
		return false, nil
	})
	return due, err
}

// autoRefund refunds one HTLC on a cached store, or reports why it cannot.
func (k Keeper) autoRefund(ctx context.Context, id string) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	cache, write := sdkCtx.CacheContext()
	refundErr := k.Refund(cache, id, "")
	if refundErr == nil {
		write()
		return nil
	}
	sdkCtx.Logger().Error("htlc automatic refund failed; an explicit refund can retry it",
		"module", "x/"+types.ModuleName, "id", id, "err", refundErr)
	h, err := k.GetHTLC(ctx, id)
	if err != nil {
		return err
	}
	h.AutoRefundError = refundErr.Error()
	if err := k.save(ctx, h); err != nil {
		return err
	}
	return emit(ctx, &types.EventAutoRefundFailed{Id: id, Error: h.AutoRefundError})
}
