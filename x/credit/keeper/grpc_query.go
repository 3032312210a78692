package keeper

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/vinhub/vinhub/x/credit/types"
)

type queryServer struct{ k Keeper }

// NewQueryServerImpl returns the credit Query service.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k: k} }

// Params returns the module parameters.
func (q queryServer) Params(ctx context.Context, req *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	p, err := q.k.GetParams(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

// Score returns an account's score as of the current block with its breakdown.
func (q queryServer) Score(ctx context.Context, req *types.QueryScoreRequest) (*types.QueryScoreResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	addr, err := q.address(req.Address)
	if err != nil {
		return nil, err
	}
	s, err := q.k.Score(ctx, addr)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryScoreResponse{Score: s}, nil
}

// Profile returns an account's stored profile, as last updated.
func (q queryServer) Profile(ctx context.Context, req *types.QueryProfileRequest) (*types.QueryProfileResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	addr, err := q.address(req.Address)
	if err != nil {
		return nil, err
	}
	p, found, err := q.k.profile(ctx, addr)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	if !found {
		return nil, status.Errorf(codes.NotFound, "%s: %s has no credit activity on the hub yet", types.ErrProfileNotFound, p.Address)
	}
	return &types.QueryProfileResponse{Profile: p}, nil
}

// Profiles lists stored profiles in address-byte order.
func (q queryServer) Profiles(ctx context.Context, req *types.QueryProfilesRequest) (*types.QueryProfilesResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	profiles, page, err := query.CollectionPaginate(ctx, q.k.Profiles, req.Pagination,
		func(_ sdk.AccAddress, p types.CreditProfile) (types.CreditProfile, error) { return p, nil })
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryProfilesResponse{Profiles: profiles, Pagination: page}, nil
}

// address decodes the account address a request names.
func (q queryServer) address(address string) (sdk.AccAddress, error) {
	if address == "" {
		return nil, status.Error(codes.InvalidArgument, "address is empty: give the account's bech32 address")
	}
	addr, err := q.k.addressCodec.StringToBytes(address)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "address %q: %s; give the account's bech32 address", address, err)
	}
	return addr, nil
}
