package keeper

import (
	"context"
	"time"

	"cosmossdk.io/collections"

	"github.com/vinhub/vinhub/x/notary/types"
)

// EndBlock executes delayed payments that now fit in the governor's window
// (oldest first; at most types.MaxReleasesPerBlock looked at per block)
// and forgets governor entries that left the window.
func (k Keeper) EndBlock(ctx context.Context) error {
	if err := k.releaseFitting(ctx); err != nil {
		return err
	}
	return k.pruneGovernor(ctx)
}

func (k Keeper) releaseFitting(ctx context.Context) error {
	it, err := k.Delayed.Iterate(ctx, nil)
	if err != nil {
		return err
	}
	var queue []string
	for ; it.Valid() && len(queue) < types.MaxReleasesPerBlock; it.Next() {
		key, err := it.Key()
		if err != nil {
			it.Close()
			return err
		}
		queue = append(queue, key.K2())
	}
	it.Close()
	for _, id := range queue {
		att, err := k.Attestations.Get(ctx, id)
		if err != nil {
			return err
		}
		p := att.Observation.GetPayment()
		room, err := k.governorRoom(ctx, att.Observation.SourceID(), p.Asset)
		if err != nil {
			return err
		}
		if p.Amount.GT(room) {
			continue
		}
		if err := k.release(ctx, &att); err != nil {
			return err
		}
	}
	return nil
}

// pruneGovernor removes entries older than the window, oldest first per
// source, at most types.MaxReleasesPerBlock per block (old entries only
// cost space: governorUsed never counts them).
func (k Keeper) pruneGovernor(ctx context.Context) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	cutoff := blockTime(ctx).Add(-params.GovernorWindow)
	var old []collections.Triple[string, time.Time, string]
	err = k.Sources.Walk(ctx, nil, func(id string, _ types.Source) (bool, error) {
		it, err := k.Governor.Iterate(ctx, collections.NewPrefixedTripleRange[string, time.Time, string](id))
		if err != nil {
			return true, err
		}
		defer it.Close()
		for ; it.Valid() && len(old) < types.MaxReleasesPerBlock; it.Next() {
			key, err := it.Key()
			if err != nil {
				return true, err
			}
			if key.K2().After(cutoff) {
				break
			}
			old = append(old, key)
		}
		return len(old) >= types.MaxReleasesPerBlock, nil
	})
	if err != nil {
		return err
	}
	for _, key := range old {
		if err := k.Governor.Remove(ctx, key); err != nil {
			return err
		}
	}
	return nil
}
