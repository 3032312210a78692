package htlc

import (
	"context"
	"time"
)

// Wait pauses d between two polls of a rail, or returns ctx's error as
// soon as ctx ends.
func Wait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
