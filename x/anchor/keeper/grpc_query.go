package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/vinhub/vinhub/x/anchor/types"
)

type queryServer struct{ k Keeper }

// NewQueryServerImpl returns the anchor Query service.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k: k} }

// Anchoring returns the first anchoring of a hex hash.
func (q queryServer) Anchoring(ctx context.Context, req *types.QueryAnchoringRequest) (*types.QueryAnchoringResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	h, err := types.ParseHexHash(req.Sha256)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	a, err := q.k.Get(ctx, h)
	if errorsmod.IsOf(err, types.ErrNotAnchored) {
		return nil, status.Error(codes.NotFound, err.Error())
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryAnchoringResponse{Anchoring: a}, nil
}

// AnchoringsByVIN lists the anchorings about a VIN, in hash order.
func (q queryServer) AnchoringsByVIN(ctx context.Context, req *types.QueryAnchoringsByVINRequest) (*types.QueryAnchoringsByVINResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	vin, err := types.CanonicalVIN(req.Vin)
	if err != nil || vin == "" {
		return nil, status.Errorf(codes.InvalidArgument, "vin %q: give a VIN", req.Vin)
	}
	out, page, err := query.CollectionPaginate(ctx, q.k.ByVIN, req.Pagination,
		func(key collections.Pair[string, []byte], _ collections.NoValue) (types.Anchoring, error) {
			return q.k.Anchorings.Get(ctx, key.K2())
		},
		query.WithCollectionPaginationPairPrefix[string, []byte](vin))
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryAnchoringsByVINResponse{Anchorings: out, Pagination: page}, nil
}
