package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// RecordByOrigin finds the hub record a dealer chain's record became.
func (q queryServer) RecordByOrigin(ctx context.Context, req *types.QueryRecordByOriginRequest) (*types.QueryRecordResponse, error) {
	if req == nil || req.ChainId == "" {
		return nil, status.Error(codes.InvalidArgument, "chain_id is required")
	}
	id, err := q.k.Origins.Get(ctx, collections.Join(req.ChainId, req.DealerRecordId))
	if errors.Is(err, collections.ErrNotFound) {
		return nil, status.Error(codes.NotFound, errorsmod.Wrapf(types.ErrRecordNotFound, "no record from chain %s with dealer record id %d", req.ChainId, req.DealerRecordId).Error())
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return q.Record(ctx, &types.QueryRecordRequest{Id: id})
}

// Bindings pages through the hub's dealer bindings, by route then dealer.
func (q queryServer) Bindings(ctx context.Context, req *types.QueryBindingsRequest) (*types.QueryBindingsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	bindings, page, err := query.CollectionPaginate(ctx, q.k.Bindings, req.Pagination,
		func(_ collections.Pair[string, string], b types.DealerBinding) (types.DealerBinding, error) {
			return b, nil
		})
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryBindingsResponse{Bindings: bindings, Pagination: page}, nil
}

// HubRoute returns the dealer chain's route to the hub (empty if unset).
func (q queryServer) HubRoute(ctx context.Context, _ *types.QueryHubRouteRequest) (*types.QueryHubRouteResponse, error) {
	route, err := q.k.hubRoute(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryHubRouteResponse{Route: route}, nil
}

// SyncStatus returns one local record's delivery state.
func (q queryServer) SyncStatus(ctx context.Context, req *types.QuerySyncStatusRequest) (*types.QuerySyncStatusResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	state, err := q.k.SyncStates.Get(ctx, req.RecordId)
	if errors.Is(err, collections.ErrNotFound) {
		return nil, status.Error(codes.NotFound, errorsmod.Wrapf(types.ErrRecordNotFound, "record %d has no sync state (not a record of this dealer chain)", req.RecordId).Error())
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QuerySyncStatusResponse{State: state}, nil
}

// VehicleSyncStatus pages through the sync states of a VIN's local records in history order.
func (q queryServer) VehicleSyncStatus(ctx context.Context, req *types.QueryVehicleSyncStatusRequest) (*types.QueryVehicleSyncStatusResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	vin, err := queryVIN(req.Vin)
	if err != nil {
		return nil, err
	}
	states, page, err := query.CollectionFilteredPaginate(ctx, q.k.History, req.Pagination,
		func(key collections.Pair[string, []byte], _ uint64) (bool, error) {
			return q.k.SyncStates.Has(ctx, historyKeyID(key.K2()))
		},
		func(key collections.Pair[string, []byte], _ uint64) (types.SyncState, error) {
			return q.k.SyncStates.Get(ctx, historyKeyID(key.K2()))
		},
		query.WithCollectionPaginationPairPrefix[string, []byte](vin),
	)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryVehicleSyncStatusResponse{States: states, Pagination: page}, nil
}

// PendingCount counts pending and in-flight records. It walks the two
// status indexes, which hold only unsettled records.
func (q queryServer) PendingCount(ctx context.Context, _ *types.QueryPendingCountRequest) (*types.QueryPendingCountResponse, error) {
	pending, err := countKeys(ctx, q.k.Pending)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	inFlight, err := countKeys(ctx, q.k.InFlight)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryPendingCountResponse{Pending: pending, InFlight: inFlight}, nil
}

func countKeys[K any](ctx context.Context, set collections.KeySet[K]) (uint64, error) {
	var n uint64
	err := set.Walk(ctx, nil, func(K) (bool, error) {
		n++
		return false, nil
	})
	return n, err
}
