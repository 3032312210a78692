package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	corestore "cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/credit/types"
	"github.com/vinhub/vinhub/x/internal/accaddr"
)

// Keeper holds the credit params and every account's credit profile.
type Keeper struct {
	addressCodec address.Codec
	authority    string

	Schema   collections.Schema
	Params   collections.Item[types.Params]
	Profiles collections.Map[sdk.AccAddress, types.CreditProfile]
}

// NewKeeper builds the keeper; authority is the gov module account.
func NewKeeper(cdc codec.BinaryCodec, storeService corestore.KVStoreService, addressCodec address.Codec, authority string) Keeper {
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		addressCodec: addressCodec,
		authority:    authority,
		Params:       collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Profiles:     collections.NewMap(sb, types.ProfilesKey, "profiles", sdk.AccAddressKey, codec.CollValue[types.CreditProfile](cdc)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// Authority returns the account allowed to update the params.
func (k Keeper) Authority() string { return k.authority }

// GetParams returns the module parameters.
func (k Keeper) GetParams(ctx context.Context) (types.Params, error) {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return p, fmt.Errorf("%s params: %w", types.ModuleName, err)
	}
	return p, nil
}

// SetParams validates and stores the module parameters.
func (k Keeper) SetParams(ctx context.Context, p types.Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return k.Params.Set(ctx, p)
}

func (k Keeper) checkAuthority(signer string) error {
	if !accaddr.Same(signer, k.authority) {
		return errorsmod.Wrapf(types.ErrInvalidAuthority, "expected %s (the governance module account), got %s", k.authority, signer)
	}
	return nil
}

// addressString checks addr and returns its bech32 form.
func (k Keeper) addressString(addr sdk.AccAddress) (string, error) {
	if err := sdk.VerifyAddressFormat(addr); err != nil {
		return "", errorsmod.Wrapf(types.ErrInvalidAddress, "account address %X: %s", []byte(addr), err)
	}
	s, err := k.addressCodec.BytesToString(addr)
	if err != nil {
		return "", errorsmod.Wrap(types.ErrInvalidAddress, err.Error())
	}
	return s, nil
}

// profile returns addr's stored profile, or a fresh one first seen now
// (not stored) when the account has none; found says which.
func (k Keeper) profile(ctx context.Context, addr sdk.AccAddress) (p types.CreditProfile, found bool, err error) {
	str, err := k.addressString(addr)
	if err != nil {
		return p, false, err
	}
	p, err = k.Profiles.Get(ctx, addr)
	switch {
	case err == nil:
		return p, true, nil
	case errors.Is(err, collections.ErrNotFound):
		now := sdk.UnwrapSDKContext(ctx).BlockTime()
		return types.CreditProfile{Address: str, FirstSeen: now, UpdatedAt: now}, false, nil
	default:
		return p, false, fmt.Errorf("credit profile of %s: %w", str, err)
	}
}
