// Package atomicmsg runs one Msg handler's step on a cached store that is
// written only if the step succeeds, so a refused message changes nothing
// even when the refusal comes after the first write (a lien refused after
// a down payment, a title that cannot move after coins were escrowed).
package atomicmsg

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Run runs step on a cache of ctx and writes the cache (state and events)
// only if step returns no error.
func Run[T any](ctx context.Context, step func(context.Context) (T, error)) (T, error) {
	cache, write := sdk.UnwrapSDKContext(ctx).CacheContext()
	out, err := step(cache)
	if err != nil {
		var zero T
		return zero, err
	}
	write()
	return out, nil
}

// Do is Run for steps that return only an error.
func Do(ctx context.Context, step func(context.Context) error) error {
	_, err := Run(ctx, func(c context.Context) (struct{}, error) { return struct{}{}, step(c) })
	return err
}
