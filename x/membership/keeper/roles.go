package keeper

import (
	"context"
	"fmt"
	"slices"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/membership/types"
)

// roleKey is where a grant is stored: by role first, so holders of a role
// are one prefix.
func roleKey(role types.Role, addr sdk.AccAddress) collections.Pair[int32, sdk.AccAddress] {
	return collections.Join(int32(role), addr)
}

// GrantRole gives addr the role.
func (k Keeper) GrantRole(ctx context.Context, addr sdk.AccAddress, role types.Role, note string) error {
	if err := role.Validate(); err != nil {
		return err
	}
	has, err := k.HasRole(ctx, addr, role)
	if err != nil {
		return err
	}
	if has {
		return errorsmod.Wrapf(types.ErrRoleHeld, "%s already holds %s", addr, role)
	}
	if role == types.ROLE_REGULATOR {
		if err := k.checkRegulatorRoom(ctx); err != nil {
			return err
		}
	}
	str, err := k.addressCodec.BytesToString(addr)
	if err != nil {
		return errorsmod.Wrap(types.ErrInvalidAddress, err.Error())
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	g := types.RoleGrant{Address: str, Role: role, Note: note, GrantedHeight: sdkCtx.BlockHeight()}
	if err := k.Roles.Set(ctx, roleKey(role, addr), g); err != nil {
		return err
	}
	if role == types.ROLE_REGULATOR {
		if err := k.endSelfRegisteredKey(ctx, addr); err != nil {
			return err
		}
	}
	return sdkCtx.EventManager().EmitTypedEvent(&types.EventRoleGranted{Address: str, Role: role})
}

// checkRegulatorRoom refuses a regulator beyond MaxRegulators: with more,
// no envelope could be sealed to all of them (sealed.MaxRecipients).
func (k Keeper) checkRegulatorRoom(ctx context.Context) error {
	holders, err := k.regulators(ctx)
	if err != nil {
		return err
	}
	if len(holders) >= types.MaxRegulators {
		return errorsmod.Wrapf(types.ErrTooManyRegulators, "%d regulators hold the role, at most %d: every sealed envelope is sealed to each", len(holders), types.MaxRegulators)
	}
	return nil
}

// regulators lists the regulator role's holders in address order.
func (k Keeper) regulators(ctx context.Context) ([]sdk.AccAddress, error) {
	iter, err := k.Roles.Iterate(ctx, collections.NewPrefixedPairRange[int32, sdk.AccAddress](int32(types.ROLE_REGULATOR)))
	if err != nil {
		return nil, err
	}
	keys, err := iter.Keys()
	holders := make([]sdk.AccAddress, len(keys))
	for i, key := range keys {
		holders[i] = key.K2()
	}
	return holders, err
}

// endSelfRegisteredKey supersedes a key the account registered itself, if
// that is its current one: a regulator's key is set by governance, and one
// chosen before the grant (while the proposal was public) must not become
// the key everything is sealed to. The version stays, so what was sealed to
// it stays readable; governance sets the next one (MsgSetEncryptionKey).
func (k Keeper) endSelfRegisteredKey(ctx context.Context, addr sdk.AccAddress) error {
	current, found, err := k.CurrentEncryptionKey(ctx, addr)
	if err != nil || !found || current.SetByGovernance {
		return err
	}
	current.SupersededHeight = sdk.UnwrapSDKContext(ctx).BlockHeight()
	if err := k.EncryptionKeys.Set(ctx, collections.Join(addr, current.Version), current); err != nil {
		return err
	}
	return k.CurrentKeys.Remove(ctx, addr)
}

// RevokeRole takes the role from addr; every check of the role fails from
// the next message on.
func (k Keeper) RevokeRole(ctx context.Context, addr sdk.AccAddress, role types.Role) error {
	if err := k.CheckRole(ctx, addr, role); err != nil {
		return err
	}
	if err := k.Roles.Remove(ctx, roleKey(role, addr)); err != nil {
		return err
	}
	str, err := k.addressCodec.BytesToString(addr)
	if err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventRoleRevoked{Address: str, Role: role})
}

// HasRole reports whether addr holds role.
func (k Keeper) HasRole(ctx context.Context, addr sdk.AccAddress, role types.Role) (bool, error) {
	has, err := k.Roles.Has(ctx, roleKey(role, addr))
	if err != nil {
		return false, fmt.Errorf("role %s of %s: %w", role, addr, err)
	}
	return has, nil
}

// CheckRole returns ErrMissingRole unless addr holds role: the check other
// modules call before an examiner, lender, regulator or notary acts.
func (k Keeper) CheckRole(ctx context.Context, addr sdk.AccAddress, role types.Role) error {
	has, err := k.HasRole(ctx, addr, role)
	if err != nil {
		return err
	}
	if !has {
		return errorsmod.Wrapf(types.ErrMissingRole, "%s does not hold %s: governance grants it (MsgGrantRole)", addr, role)
	}
	return nil
}

// RolesOf lists the roles addr holds, in role order.
func (k Keeper) RolesOf(ctx context.Context, addr sdk.AccAddress) ([]types.RoleGrant, error) {
	var out []types.RoleGrant
	for r := range types.Role_name {
		role := types.Role(r)
		if role == types.ROLE_UNSPECIFIED {
			continue
		}
		g, err := k.Roles.Get(ctx, roleKey(role, addr))
		if errorsmod.IsOf(err, collections.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b types.RoleGrant) int { return int(a.Role) - int(b.Role) })
	return out, nil
}
