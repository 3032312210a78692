package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// CheckReporter returns nil only if dealerID is registered and active and
// reporter is an active reporter of that dealer.
func (k Keeper) CheckReporter(ctx context.Context, dealerID string, reporter sdk.AccAddress) error {
	dealer, err := k.getDealer(ctx, dealerID)
	if err != nil {
		return err
	}
	if !dealer.Active {
		return errorsmod.Wrapf(types.ErrDealerRevoked, "dealer %q was revoked; its records are no longer accepted", dealerID)
	}
	rep, err := k.Reporters.Get(ctx, collections.Join(dealerID, reporter))
	if errors.Is(err, collections.ErrNotFound) {
		return errorsmod.Wrapf(types.ErrUnauthorizedReporter, "%s is not a reporter of dealer %q; governance must admit it first", reporter, dealerID)
	}
	if err != nil {
		return fmt.Errorf("reporter %s of %q: %w", reporter, dealerID, err)
	}
	if !rep.Active {
		return errorsmod.Wrapf(types.ErrUnauthorizedReporter, "%s was revoked as reporter of dealer %q at height %d", reporter, dealerID, rep.RevokedHeight)
	}
	return nil
}

func (k Keeper) getDealer(ctx context.Context, dealerID string) (types.Dealer, error) {
	dealer, err := k.Dealers.Get(ctx, dealerID)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Dealer{}, errorsmod.Wrapf(types.ErrUnknownDealer, "dealer %q is not registered; governance registers dealers with MsgRegisterDealer", dealerID)
	}
	if err != nil {
		return types.Dealer{}, fmt.Errorf("dealer %q: %w", dealerID, err)
	}
	return dealer, nil
}

// RegisterDealer registers a dealer, or renames and re-activates an existing
// one; a stored hub account is kept.
func (k Keeper) RegisterDealer(ctx context.Context, dealerID, name string) error {
	return k.RegisterDealerWithAccount(ctx, dealerID, name, "")
}

// RegisterDealerWithAccount is RegisterDealer that also sets the dealer's hub
// account; an empty account keeps the stored one, so a rename does not
// unlink the dealer's credit.
func (k Keeper) RegisterDealerWithAccount(ctx context.Context, dealerID, name, account string) error {
	if account != "" {
		if _, err := k.addressCodec.StringToBytes(account); err != nil {
			return errorsmod.Wrapf(types.ErrInvalidAddress, "account %q of dealer %q: %s; give a hub account address", account, dealerID, err)
		}
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	dealer, err := k.Dealers.Get(ctx, dealerID)
	if errors.Is(err, collections.ErrNotFound) {
		dealer = types.Dealer{Id: dealerID, RegisteredHeight: sdkCtx.BlockHeight()}
	} else if err != nil {
		return fmt.Errorf("dealer %q: %w", dealerID, err)
	}
	dealer.Name, dealer.Active = name, true
	if account != "" {
		dealer.Account = account
	}
	if err := k.Dealers.Set(ctx, dealerID, dealer); err != nil {
		return err
	}
	return sdkCtx.EventManager().EmitTypedEvent(&types.EventDealerRegistered{DealerId: dealerID, Name: name, Account: dealer.Account})
}

// RevokeDealer deactivates a dealer: none of its reporters may write until it is registered again.
func (k Keeper) RevokeDealer(ctx context.Context, dealerID string) error {
	dealer, err := k.getDealer(ctx, dealerID)
	if err != nil {
		return err
	}
	dealer.Active = false
	if err := k.Dealers.Set(ctx, dealerID, dealer); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventDealerRevoked{DealerId: dealerID})
}

// AdmitReporter lets reporter write records for dealerID (again, if it was revoked).
func (k Keeper) AdmitReporter(ctx context.Context, dealerID string, reporter sdk.AccAddress) error {
	if _, err := k.getDealer(ctx, dealerID); err != nil {
		return err
	}
	addr, err := k.addressCodec.BytesToString(reporter)
	if err != nil {
		return errorsmod.Wrap(types.ErrInvalidAddress, err.Error())
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	rep := types.Reporter{DealerId: dealerID, Address: addr, Active: true, AdmittedHeight: sdkCtx.BlockHeight()}
	if err := k.Reporters.Set(ctx, collections.Join(dealerID, reporter), rep); err != nil {
		return err
	}
	return sdkCtx.EventManager().EmitTypedEvent(&types.EventReporterAdmitted{DealerId: dealerID, Reporter: addr})
}

// RevokeReporter stops reporter writing for dealerID from the next transaction on.
func (k Keeper) RevokeReporter(ctx context.Context, dealerID string, reporter sdk.AccAddress) error {
	key := collections.Join(dealerID, reporter)
	rep, err := k.Reporters.Get(ctx, key)
	if errors.Is(err, collections.ErrNotFound) {
		return errorsmod.Wrapf(types.ErrReporterNotFound, "%s is not a reporter of dealer %q", reporter, dealerID)
	}
	if err != nil {
		return err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	rep.Active, rep.RevokedHeight = false, sdkCtx.BlockHeight()
	if err := k.Reporters.Set(ctx, key, rep); err != nil {
		return err
	}
	return sdkCtx.EventManager().EmitTypedEvent(&types.EventReporterRevoked{DealerId: dealerID, Reporter: rep.Address})
}

// DealerReporters lists every reporter (active or revoked) of a dealer.
func (k Keeper) DealerReporters(ctx context.Context, dealerID string) ([]types.Reporter, error) {
	var out []types.Reporter
	err := k.Reporters.Walk(ctx, collections.NewPrefixedPairRange[string, sdk.AccAddress](dealerID), func(_ collections.Pair[string, sdk.AccAddress], r types.Reporter) (bool, error) {
		out = append(out, r)
		return false, nil
	})
	return out, err
}
