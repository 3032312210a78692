package keeper

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// chainIDer is a light client state that names its chain (07-tendermint does).
type chainIDer interface{ GetChainID() string }

// BindDealer lets dealerID's record batches in over route (hub side). The
// dealer must be registered and active, and the route must lead to a light
// client that names its chain: that chain id is what records are deduplicated
// and their origin recorded by.
func (k Keeper) BindDealer(ctx context.Context, dealerID string, route types.Route) (types.DealerBinding, error) {
	dealer, err := k.getDealer(ctx, dealerID)
	if err != nil {
		return types.DealerBinding{}, err
	}
	if !dealer.Active {
		return types.DealerBinding{}, errorsmod.Wrapf(types.ErrDealerRevoked, "dealer %q is revoked; register it again before binding", dealerID)
	}
	chainID, err := k.routeChainID(ctx, route)
	if err != nil {
		return types.DealerBinding{}, err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	binding := types.DealerBinding{DealerId: dealerID, Route: route, ChainId: chainID, BoundHeight: sdkCtx.BlockHeight()}
	if err := k.Bindings.Set(ctx, collections.Join(route.Key(), dealerID), binding); err != nil {
		return types.DealerBinding{}, fmt.Errorf("bind %q to %s: %w", dealerID, route.Key(), err)
	}
	return binding, sdkCtx.EventManager().EmitTypedEvent(&types.EventDealerBound{DealerId: dealerID, Route: route.Key(), ChainId: chainID})
}

// UnbindDealer removes a binding; batches already applied stay in history.
func (k Keeper) UnbindDealer(ctx context.Context, dealerID string, route types.Route) error {
	key := collections.Join(route.Key(), dealerID)
	found, err := k.Bindings.Has(ctx, key)
	if err != nil {
		return fmt.Errorf("binding %s of %q: %w", route.Key(), dealerID, err)
	}
	if !found {
		return errorsmod.Wrapf(types.ErrBindingNotFound, "dealer %q is not bound to %s", dealerID, route.Key())
	}
	if err := k.Bindings.Remove(ctx, key); err != nil {
		return fmt.Errorf("unbind %q from %s: %w", dealerID, route.Key(), err)
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventDealerUnbound{DealerId: dealerID, Route: route.Key()})
}

// binding returns the binding that lets dealerID in over route, or the error
// a refused packet is acknowledged with.
func (k Keeper) binding(ctx context.Context, route types.Route, dealerID string) (types.DealerBinding, error) {
	b, err := k.Bindings.Get(ctx, collections.Join(route.Key(), dealerID))
	if err == nil {
		return b, nil
	}
	if !errors.Is(err, collections.ErrNotFound) {
		return types.DealerBinding{}, fmt.Errorf("binding %s of %q: %w", route.Key(), dealerID, err)
	}
	bound, err := k.boundDealers(ctx, route)
	if err != nil {
		return types.DealerBinding{}, err
	}
	if len(bound) == 0 {
		return types.DealerBinding{}, errorsmod.Wrapf(types.ErrUnboundRoute, "%s carries no dealer's records; the hub's governance binds dealers with MsgBindDealer", route.Key())
	}
	return types.DealerBinding{}, errorsmod.Wrapf(types.ErrDealerNotBound, "%s is bound to %v, not to dealer %q", route.Key(), bound, dealerID)
}

func (k Keeper) boundDealers(ctx context.Context, route types.Route) ([]string, error) {
	var dealers []string
	err := k.Bindings.Walk(ctx, collections.NewPrefixedPairRange[string, string](route.Key()), func(key collections.Pair[string, string], _ types.DealerBinding) (bool, error) {
		dealers = append(dealers, key.K2())
		return false, nil
	})
	if err != nil {
		return nil, fmt.Errorf("bindings of %s: %w", route.Key(), err)
	}
	sort.Strings(dealers)
	return dealers, nil
}

// SetHubRoute sets the route this (dealer) chain sends its records on. A v2
// route needs a light client with a registered counterparty; a v1 route an
// open channel on port "vehicle".
func (k Keeper) SetHubRoute(ctx context.Context, route types.Route) error {
	if _, err := k.routeChainID(ctx, route); err != nil {
		return err
	}
	if route.IsV2() {
		if _, ok := k.ibc.ClientsV2.GetClientCounterparty(sdk.UnwrapSDKContext(ctx), route.ClientId); !ok {
			return errorsmod.Wrapf(types.ErrRouteNotFound, "client %s has no registered counterparty; register it (MsgRegisterCounterparty) first", route.ClientId)
		}
	}
	if err := k.HubRoute.Set(ctx, route); err != nil {
		return fmt.Errorf("hub route: %w", err)
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventHubRouteSet{Route: route.Key()})
}

// routeChainID checks that route exists on this chain and returns the chain
// id its light client tracks.
func (k Keeper) routeChainID(ctx context.Context, route types.Route) (string, error) {
	if err := route.Validate(); err != nil {
		return "", err
	}
	if k.ibc == nil {
		return "", errorsmod.Wrap(types.ErrRouteNotFound, "this chain runs the vehicle module without IBC")
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	if route.IsV2() {
		state, ok := k.ibc.Clients.GetClientState(sdkCtx, route.ClientId)
		if !ok {
			return "", errorsmod.Wrapf(types.ErrRouteNotFound, "no light client %s on this chain", route.ClientId)
		}
		return clientChainID(route, state)
	}
	channel, ok := k.ibc.Channel.GetChannel(sdkCtx, types.PortID, route.ChannelId)
	if !ok {
		return "", errorsmod.Wrapf(types.ErrRouteNotFound, "no channel %s on port %s", route.ChannelId, types.PortID)
	}
	if channel.State != channeltypes.OPEN {
		return "", errorsmod.Wrapf(types.ErrRouteNotFound, "channel %s on port %s is %s, not OPEN", route.ChannelId, types.PortID, channel.State)
	}
	if channel.Counterparty.PortId != types.PortID {
		return "", errorsmod.Wrapf(types.ErrInvalidRoute, "channel %s leads to port %q, not to the counterparty's %q", route.ChannelId, channel.Counterparty.PortId, types.PortID)
	}
	_, state, err := k.ibc.Channel.GetChannelClientState(sdkCtx, types.PortID, route.ChannelId)
	if err != nil {
		return "", errorsmod.Wrapf(types.ErrRouteNotFound, "light client of channel %s: %s", route.ChannelId, err)
	}
	return clientChainID(route, state)
}

func clientChainID(route types.Route, state any) (string, error) {
	named, ok := state.(chainIDer)
	if !ok || named.GetChainID() == "" {
		return "", errorsmod.Wrapf(types.ErrInvalidRoute, "the light client behind %s does not name its chain (use a 07-tendermint client)", route.Key())
	}
	return named.GetChainID(), nil
}
