package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/credit/types"
)

// Score returns addr's score as of the current block time with its
// breakdown. An account the hub has never seen scores as a new one.
func (k Keeper) Score(ctx context.Context, addr sdk.AccAddress) (types.Score, error) {
	p, _, err := k.profile(ctx, addr)
	if err != nil {
		return types.Score{}, err
	}
	params, err := k.GetParams(ctx)
	if err != nil {
		return types.Score{}, err
	}
	return types.ComputeScore(p, params.DecayHalfLife, sdk.UnwrapSDKContext(ctx).BlockTime()), nil
}

// CheckScore returns ErrScoreTooLow unless addr's score is at least the
// gate's minimum (a module param), and ErrInvalidGate for an unknown gate.
func (k Keeper) CheckScore(ctx context.Context, addr sdk.AccAddress, gate types.Gate) error {
	params, err := k.GetParams(ctx)
	if err != nil {
		return err
	}
	need, err := params.Minimum(gate)
	if err != nil {
		return err
	}
	s, err := k.Score(ctx, addr)
	if err != nil {
		return err
	}
	if s.Score < need.Min {
		return errorsmod.Wrapf(types.ErrScoreTooLow, "credit score %d of %s is below the minimum %d to %s (x/credit param %s)",
			s.Score, s.Address, need.Min, need.Action, need.Param)
	}
	return nil
}
