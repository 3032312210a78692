package keeper

import (
	"context"

	"github.com/vinhub/vinhub/x/htlc/types"
)

// InitGenesis loads the params, every HTLC (rebuilding the indexes) and
// every published secret.
func (k Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, h := range gs.Htlcs {
		if err := k.save(ctx, h); err != nil {
			return err
		}
	}
	for _, p := range gs.PublishedSecrets {
		if err := k.Published.Set(ctx, p.HashLock, p); err != nil {
			return err
		}
	}
	return nil
}

// ExportGenesis writes the params, every HTLC and every published secret out.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params}
	err = k.HTLCs.Walk(ctx, nil, func(_ string, h types.HTLC) (bool, error) {
		gs.Htlcs = append(gs.Htlcs, h)
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	err = k.Published.Walk(ctx, nil, func(_ string, p types.PublishedSecret) (bool, error) {
		gs.PublishedSecrets = append(gs.PublishedSecrets, p)
		return false, nil
	})
	return gs, err
}
