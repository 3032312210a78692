package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	collcodec "cosmossdk.io/collections/codec"
	"cosmossdk.io/core/address"
	corestore "cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/internal/accaddr"
	"github.com/vinhub/vinhub/x/membership/types"
)

// Keeper holds the admitted operators and the role grants.
type Keeper struct {
	addressCodec address.Codec
	authority    string
	// reporters is nil until WithReporters: then only roles and operators are members.
	reporters ReporterChecker

	Schema    collections.Schema
	Operators collections.Map[sdk.AccAddress, types.Operator]
	// Roles is keyed by (role, address).
	Roles collections.Map[collections.Pair[int32, sdk.AccAddress], types.RoleGrant]
	// EncryptionKeys holds every version of every account's key: (address, version).
	EncryptionKeys collections.Map[collections.Pair[sdk.AccAddress, uint32], types.EncryptionKey]
	// CurrentKeys maps an account to its current key version.
	CurrentKeys collections.Map[sdk.AccAddress, uint32]
	// KeyOwners maps every registered public key, of any version, to its
	// account: a key is registered once (no account claims another's key).
	KeyOwners collections.Map[[]byte, sdk.AccAddress]
}

// NewKeeper builds the keeper; authority is the gov module account.
func NewKeeper(cdc codec.BinaryCodec, storeService corestore.KVStoreService, addressCodec address.Codec, authority string) Keeper {
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		addressCodec: addressCodec,
		authority:    authority,
		Operators:    collections.NewMap(sb, types.OperatorsKey, "operators", sdk.AccAddressKey, codec.CollValue[types.Operator](cdc)),
		Roles: collections.NewMap(sb, types.RolesKey, "roles", collections.PairKeyCodec(collections.Int32Key, sdk.AccAddressKey),
			codec.CollValue[types.RoleGrant](cdc)),
		EncryptionKeys: collections.NewMap(sb, types.EncryptionKeysKey, "encryption_keys",
			collections.PairKeyCodec(sdk.AccAddressKey, collections.Uint32Key), codec.CollValue[types.EncryptionKey](cdc)),
		CurrentKeys: collections.NewMap(sb, types.CurrentKeysKey, "current_keys", sdk.AccAddressKey, collections.Uint32Value),
		KeyOwners:   collections.NewMap(sb, types.KeyOwnersKey, "key_owners", collections.BytesKey, collcodec.KeyToValueCodec(sdk.AccAddressKey)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// Admit records operator as allowed to create a validator.
func (k Keeper) Admit(ctx context.Context, operator sdk.AccAddress, note string) error {
	has, err := k.Operators.Has(ctx, operator)
	if err != nil {
		return err
	}
	if has {
		return errorsmod.Wrapf(types.ErrAlreadyAdmitted, "%s", operator)
	}
	addr, err := k.addressCodec.BytesToString(operator)
	if err != nil {
		return errorsmod.Wrap(types.ErrInvalidAddress, err.Error())
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	op := types.Operator{Address: addr, Note: note, AdmittedHeight: sdkCtx.BlockHeight()}
	if err := k.Operators.Set(ctx, operator, op); err != nil {
		return err
	}
	return sdkCtx.EventManager().EmitTypedEvent(&types.EventOperatorAdmitted{Address: op.Address})
}

// Revoke withdraws an admission. A validator the operator already runs is
// left to governance and slashing; only new validators are refused.
func (k Keeper) Revoke(ctx context.Context, operator sdk.AccAddress) error {
	if err := k.CheckAdmitted(ctx, operator); err != nil {
		return err
	}
	if err := k.Operators.Remove(ctx, operator); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventOperatorRevoked{Address: operator.String()})
}

// CheckAdmitted returns ErrNotAdmitted unless operator is admitted.
func (k Keeper) CheckAdmitted(ctx context.Context, operator sdk.AccAddress) error {
	has, err := k.Operators.Has(ctx, operator)
	if err != nil {
		return fmt.Errorf("operator %s: %w", operator, err)
	}
	if !has {
		return errorsmod.Wrapf(types.ErrNotAdmitted,
			"%s may not run a validator on this alliance chain until governance admits it (MsgAdmitOperator)", operator)
	}
	return nil
}

func (k Keeper) checkAuthority(signer string) error {
	if !accaddr.Same(signer, k.authority) {
		return errorsmod.Wrapf(types.ErrInvalidAuthority, "expected %s (the governance module account), got %s", k.authority, signer)
	}
	return nil
}

func (k Keeper) getOperator(ctx context.Context, addr sdk.AccAddress) (types.Operator, error) {
	op, err := k.Operators.Get(ctx, addr)
	if errors.Is(err, collections.ErrNotFound) {
		return op, errorsmod.Wrapf(types.ErrNotAdmitted, "%s", addr)
	}
	return op, err
}

// InitGenesis admits the founding operators and grants the founding roles.
func (k Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	for _, g := range gs.Roles {
		addr, err := k.addressCodec.StringToBytes(g.Address)
		if err != nil {
			return err
		}
		if err := k.Roles.Set(ctx, roleKey(g.Role, addr), g); err != nil {
			return err
		}
	}
	for _, op := range gs.Operators {
		addr, err := k.addressCodec.StringToBytes(op.Address)
		if err != nil {
			return err
		}
		if err := k.Operators.Set(ctx, addr, op); err != nil {
			return err
		}
	}
	for _, key := range gs.EncryptionKeys {
		addr, err := k.addressCodec.StringToBytes(key.Address)
		if err != nil {
			return err
		}
		if err := k.storeEncryptionKey(ctx, addr, key); err != nil {
			return err
		}
	}
	return nil
}

// ExportGenesis lists the admitted operators and the role grants.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	iter, err := k.Operators.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	ops, err := iter.Values()
	if err != nil {
		return nil, err
	}
	roleIter, err := k.Roles.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	roles, err := roleIter.Values()
	if err != nil {
		return nil, err
	}
	keyIter, err := k.EncryptionKeys.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	keys, err := keyIter.Values()
	return &types.GenesisState{Operators: ops, Roles: roles, EncryptionKeys: keys}, err
}
