package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/vinhub/vinhub/x/htlc/types"
)

type queryServer struct{ k Keeper }

// NewQueryServerImpl returns the htlc Query service.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k: k} }

var _ types.QueryServer = queryServer{}

// HTLC returns one HTLC by id.
func (q queryServer) HTLC(ctx context.Context, req *types.QueryHTLCRequest) (*types.QueryHTLCResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	h, err := q.k.GetHTLC(ctx, req.Id)
	if err != nil {
		return nil, notFoundOrInternal(err)
	}
	return &types.QueryHTLCResponse{Htlc: h}, nil
}

// HTLCsByHash lists every HTLC locked under a hash, by sender: the caller
// picks the one whose terms it expects (or asks HTLCByHashAndSender).
func (q queryServer) HTLCsByHash(ctx context.Context, req *types.QueryHTLCsByHashRequest) (*types.QueryHTLCsByHashResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	hash, err := types.ParseHashLock(req.HashLock)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	htlcs, page, err := query.CollectionPaginate(ctx, q.k.ByHashSender, req.Pagination,
		func(_ collections.Pair[string, sdk.AccAddress], id string) (types.HTLC, error) {
			return q.k.HTLCs.Get(ctx, id)
		},
		query.WithCollectionPaginationPairPrefix[string, sdk.AccAddress](hash.String()))
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryHTLCsByHashResponse{Htlcs: htlcs, Pagination: page}, nil
}

// HTLCByHashAndSender returns the one HTLC a sender locked under a hash.
func (q queryServer) HTLCByHashAndSender(ctx context.Context, req *types.QueryHTLCByHashAndSenderRequest) (*types.QueryHTLCByHashAndSenderResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	h, err := q.k.GetHTLCByHashAndSender(ctx, req.HashLock, req.Sender)
	switch {
	case errorsmod.IsOf(err, types.ErrInvalidHashLock, types.ErrInvalidAddress):
		return nil, status.Error(codes.InvalidArgument, err.Error())
	case err != nil:
		return nil, notFoundOrInternal(err)
	}
	return &types.QueryHTLCByHashAndSenderResponse{Htlc: h}, nil
}

// HTLCsByParticipant lists the HTLCs an address sends or receives, in one state if given.
func (q queryServer) HTLCsByParticipant(ctx context.Context, req *types.QueryHTLCsByParticipantRequest) (*types.QueryHTLCsByParticipantResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	addr, err := sdk.AccAddressFromBech32(req.Address)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "address %q: %s", req.Address, err)
	}
	if _, ok := types.HTLCState_name[int32(req.State)]; !ok {
		return nil, status.Errorf(codes.InvalidArgument, "unknown htlc state %d (locked, claimed, refunded)", req.State)
	}
	htlcs, page, err := query.CollectionFilteredPaginate(ctx, q.k.ByParticipant, req.Pagination,
		func(key collections.Pair[sdk.AccAddress, string], _ collections.NoValue) (bool, error) {
			if req.State == types.HTLC_STATE_UNSPECIFIED {
				return true, nil
			}
			h, err := q.k.HTLCs.Get(ctx, key.K2())
			return err == nil && h.State == req.State, err
		},
		func(key collections.Pair[sdk.AccAddress, string], _ collections.NoValue) (types.HTLC, error) {
			return q.k.HTLCs.Get(ctx, key.K2())
		},
		query.WithCollectionPaginationPairPrefix[sdk.AccAddress, string](addr))
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryHTLCsByParticipantResponse{Htlcs: htlcs, Pagination: page}, nil
}

// PublishedSecret returns the secret of a hash lock published from another rail.
func (q queryServer) PublishedSecret(ctx context.Context, req *types.QueryPublishedSecretRequest) (*types.QueryPublishedSecretResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	pub, err := q.k.GetPublishedSecret(ctx, req.HashLock)
	switch {
	case errorsmod.IsOf(err, types.ErrInvalidHashLock):
		return nil, status.Error(codes.InvalidArgument, err.Error())
	case err != nil:
		return nil, notFoundOrInternal(err)
	}
	return &types.QueryPublishedSecretResponse{PublishedSecret: pub}, nil
}

// Params returns the module params.
func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

func notFoundOrInternal(err error) error {
	if errorsmod.IsOf(err, types.ErrNotFound) {
		return status.Error(codes.NotFound, err.Error())
	}
	return status.Error(codes.Internal, err.Error())
}
