package keeper_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/log/v2"
	sdkmath "cosmossdk.io/math"

	assettypes "github.com/vinhub/vinhub/x/asset/types"
	"github.com/vinhub/vinhub/x/htlc/types"
)

// TestEndBlockRefundsExpired: expired coins and titles go back to the
// sender; an HTLC that has not expired yet stays locked and queued.
func TestEndBlockRefundsExpired(t *testing.T) {
	f := setup(t)
	car := f.car(t)
	title := f.lockTitle(t, car, newSecret(t))
	coinsID := f.lock(t, f.lockMsg(newSecret(t)))
	later := f.lockMsg(newSecret(t))
	later.Expiry = start.Add(2 * time.Hour)
	laterID := f.lock(t, later)

	f.advance(time.Hour)
	f.freshEvents()
	require.NoError(t, f.k.EndBlocker(f.ctx))

	require.Equal(t, seller.String(), f.owner(t, car))
	require.Equal(t, sdkmath.NewInt(999_000), f.balance(seller), "only the later lock's coins stay escrowed")
	require.Equal(t, sdkmath.NewInt(1_000), f.balance(escrow))
	for _, id := range []string{title, coinsID} {
		h := f.htlc(t, id)
		require.Equal(t, types.HTLC_STATE_REFUNDED, h.State)
		require.Equal(t, f.ctx.BlockHeight(), h.ClosedHeight)
		require.Empty(t, h.ClosedBy)
	}
	require.Len(t, typedEvents[*types.EventRefunded](f), 2)
	require.Equal(t, types.HTLC_STATE_LOCKED, f.htlc(t, laterID).State)
	queued, err := f.k.Expiring.Has(f.ctx, collections.Join(later.Expiry, laterID))
	require.NoError(t, err)
	require.True(t, queued)
}

// TestEndBlockFailureIsReported: a title frozen in escrow cannot go back;
// the end block says so (event, error log, the HTLC records why), stops
// retrying it, and an explicit refund works once the freeze is lifted.
func TestEndBlockFailureIsReported(t *testing.T) {
	f := setup(t)
	var logs bytes.Buffer
	f.ctx = f.ctx.WithLogger(log.NewLogger(&logs))
	car := f.car(t)
	id := f.lockTitle(t, car, newSecret(t))
	_, err := f.assets.Freeze(f.ctx, &assettypes.MsgFreeze{Signer: regul.String(), AssetId: car, Reason: "court order 12"})
	require.NoError(t, err)

	f.advance(time.Hour)
	f.freshEvents()
	require.NoError(t, f.k.EndBlocker(f.ctx))
	failed := typedEvents[*types.EventAutoRefundFailed](f)
	require.Len(t, failed, 1)
	require.Equal(t, id, failed[0].Id)
	require.Contains(t, failed[0].Error, "court order 12")
	require.Contains(t, logs.String(), "htlc automatic refund failed")
	h := f.htlc(t, id)
	require.Equal(t, types.HTLC_STATE_LOCKED, h.State)
	require.Equal(t, failed[0].Error, h.AutoRefundError)
	require.Equal(t, escrow.String(), f.owner(t, car))

	f.advance(time.Second)
	f.freshEvents()
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Empty(t, typedEvents[*types.EventAutoRefundFailed](f), "a failed refund is not retried every block")

	_, err = f.msgs.Refund(f.ctx, &types.MsgRefund{Signer: stranger.String(), Id: id})
	require.True(t, errorsmod.IsOf(err, assettypes.ErrFrozen), "still frozen: %v", err)
	_, err = f.assets.Unfreeze(f.ctx, &assettypes.MsgUnfreeze{Signer: regul.String(), AssetId: car, Reason: "order lifted"})
	require.NoError(t, err)
	_, err = f.msgs.Refund(f.ctx, &types.MsgRefund{Signer: stranger.String(), Id: id})
	require.NoError(t, err)
	require.Equal(t, seller.String(), f.owner(t, car))
	require.Equal(t, types.HTLC_STATE_REFUNDED, f.htlc(t, id).State)
}

// TestEndBlockIsBounded: at most MaxAutoRefundsPerBlock refunds a block;
// the rest are refunded in the next block.
func TestEndBlockIsBounded(t *testing.T) {
	f := setup(t)
	n := types.MaxAutoRefundsPerBlock + 1
	for i := range n {
		m := f.lockMsg(newSecret(t))
		m.Amount = coins(int64(i + 1)) // distinct ids, same expiry
		f.lock(t, m)
	}
	f.advance(time.Hour)
	f.freshEvents()
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Len(t, typedEvents[*types.EventRefunded](f), types.MaxAutoRefundsPerBlock)

	f.advance(time.Second)
	f.freshEvents()
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Len(t, typedEvents[*types.EventRefunded](f), 1)
	require.True(t, f.balance(escrow).IsZero(), fmt.Sprintf("escrow holds %s", f.balance(escrow)))
}
