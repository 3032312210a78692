package keeper

import (
	"context"
	"fmt"

	"github.com/vinhub/vinhub/x/asset/types"
)

// InitGenesis loads params, assets and loans; indexes are rebuilt as they are written.
func (k Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	if err := k.NextAssetID.Set(ctx, max(gs.NextAssetId, 1)); err != nil {
		return err
	}
	if err := k.NextLoanID.Set(ctx, max(gs.NextLoanId, 1)); err != nil {
		return err
	}
	for _, a := range gs.Assets {
		if err := k.Assets.Set(ctx, a.Id, a); err != nil {
			return fmt.Errorf("asset %d: %w", a.Id, err)
		}
	}
	for _, l := range gs.Loans {
		if err := k.saveLoan(ctx, l); err != nil {
			return err
		}
	}
	return nil
}

// ExportGenesis writes the whole state out.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params}
	if gs.NextAssetId, err = k.NextAssetID.Peek(ctx); err != nil {
		return nil, err
	}
	if gs.NextLoanId, err = k.NextLoanID.Peek(ctx); err != nil {
		return nil, err
	}
	if err := k.Assets.Walk(ctx, nil, func(_ uint64, a types.Asset) (bool, error) {
		gs.Assets = append(gs.Assets, a)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Loans.Walk(ctx, nil, func(_ uint64, l types.Loan) (bool, error) {
		gs.Loans = append(gs.Loans, l)
		return false, nil
	}); err != nil {
		return nil, err
	}
	return gs, nil
}
