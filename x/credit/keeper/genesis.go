package keeper

import (
	"context"

	"github.com/vinhub/vinhub/x/credit/types"
)

// InitGenesis validates gs and stores the params and profiles (addresses
// in their canonical form).
func (k Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, p := range gs.Profiles {
		addr, err := k.addressCodec.StringToBytes(p.Address)
		if err != nil {
			return err
		}
		if p.Address, err = k.addressString(addr); err != nil {
			return err
		}
		if err := k.Profiles.Set(ctx, addr, p); err != nil {
			return err
		}
	}
	return nil
}

// ExportGenesis returns the params and every stored profile as stored (not
// decayed to the export time), so an import continues exactly.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.GetParams(ctx)
	if err != nil {
		return nil, err
	}
	iter, err := k.Profiles.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	profiles, err := iter.Values()
	if err != nil {
		return nil, err
	}
	return &types.GenesisState{Params: params, Profiles: profiles}, nil
}
