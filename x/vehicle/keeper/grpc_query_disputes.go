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

// Dispute returns one odometer dispute by id.
func (q queryServer) Dispute(ctx context.Context, req *types.QueryDisputeRequest) (*types.QueryDisputeResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	d, err := q.k.Disputes.Get(ctx, req.Id)
	if errors.Is(err, collections.ErrNotFound) {
		return nil, status.Error(codes.NotFound, errorsmod.Wrapf(types.ErrDisputeNotFound, "no dispute %d", req.Id).Error())
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryDisputeResponse{Dispute: d}, nil
}

// OpenDisputes pages through the disputes waiting for a verdict, in id order.
func (q queryServer) OpenDisputes(ctx context.Context, req *types.QueryOpenDisputesRequest) (*types.QueryOpenDisputesResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	disputes, page, err := query.CollectionPaginate(ctx, q.k.OpenDisputes, req.Pagination,
		func(id uint64, _ collections.NoValue) (types.Dispute, error) { return q.k.Disputes.Get(ctx, id) })
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryOpenDisputesResponse{Disputes: disputes, Pagination: page}, nil
}
