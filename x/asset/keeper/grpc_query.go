package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"cosmossdk.io/collections/indexes"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/vinhub/vinhub/x/asset/types"
)

type queryServer struct{ k Keeper }

// NewQueryServerImpl returns the asset Query service, regulator views included.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k: k} }

var _ types.QueryServer = queryServer{}

// Params returns the module parameters.
func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

// Asset returns one asset.
func (q queryServer) Asset(ctx context.Context, req *types.QueryAssetRequest) (*types.QueryAssetResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	a, err := q.k.GetAsset(ctx, req.Id)
	if err != nil {
		return nil, status.Error(codes.NotFound, err.Error())
	}
	return &types.QueryAssetResponse{Asset: a}, nil
}

// Assets lists assets, by owner and/or status when given.
func (q queryServer) Assets(ctx context.Context, req *types.QueryAssetsRequest) (*types.QueryAssetsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if _, ok := types.AssetStatus_name[int32(req.Status)]; !ok {
		return nil, status.Errorf(codes.InvalidArgument, "unknown asset status %d", req.Status)
	}
	var (
		assets []types.Asset
		page   *query.PageResponse
		err    error
	)
	switch {
	case req.Owner != "":
		owner, aerr := sdk.AccAddressFromBech32(req.Owner)
		if aerr != nil {
			return nil, status.Errorf(codes.InvalidArgument, "owner %q: %s", req.Owner, aerr)
		}
		assets, page, err = paginateIndex(ctx, q.k, q.k.Assets.Indexes.Owner, owner, req.Pagination, func(a types.Asset) bool {
			return req.Status == types.ASSET_STATUS_UNSPECIFIED || a.Status == req.Status
		})
	case req.Status != types.ASSET_STATUS_UNSPECIFIED:
		assets, page, err = paginateIndex(ctx, q.k, q.k.Assets.Indexes.Status, int32(req.Status), req.Pagination, nil)
	default:
		assets, page, err = query.CollectionPaginate(ctx, q.k.Assets, req.Pagination,
			func(_ uint64, a types.Asset) (types.Asset, error) { return a, nil })
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryAssetsResponse{Assets: assets, Pagination: page}, nil
}

// FrozenAssets lists frozen assets.
func (q queryServer) FrozenAssets(ctx context.Context, req *types.QueryFrozenAssetsRequest) (*types.QueryAssetsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	assets, page, err := paginateIndex(ctx, q.k, q.k.Assets.Indexes.Frozen, true, req.Pagination, nil)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryAssetsResponse{Assets: assets, Pagination: page}, nil
}

// paginateIndex pages through the assets an index holds under ref, keeping those keep accepts (nil keeps all).
func paginateIndex[R any](ctx context.Context, k Keeper, idx *indexes.Multi[R, uint64, types.Asset], ref R,
	page *query.PageRequest, keep func(types.Asset) bool,
) ([]types.Asset, *query.PageResponse, error) {
	return query.CollectionFilteredPaginate(ctx, idx, page,
		func(key collections.Pair[R, uint64], _ collections.NoValue) (bool, error) {
			if keep == nil {
				return true, nil
			}
			a, err := k.Assets.Get(ctx, key.K2())
			return err == nil && keep(a), err
		},
		func(key collections.Pair[R, uint64], _ collections.NoValue) (types.Asset, error) {
			return k.Assets.Get(ctx, key.K2())
		},
		query.WithCollectionPaginationPairPrefix[R, uint64](ref))
}

// Loan returns one loan and what repaying it costs at the current block time.
func (q queryServer) Loan(ctx context.Context, req *types.QueryLoanRequest) (*types.QueryLoanResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	l, err := q.k.GetLoan(ctx, req.Id)
	if err != nil {
		return nil, status.Error(codes.NotFound, err.Error())
	}
	resp := &types.QueryLoanResponse{Loan: l}
	if l.Status == types.LOAN_STATUS_ACTIVE {
		due, err := l.Outstanding(blockTime(ctx))
		if err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
		resp.AmountDue = &due
	}
	return resp, nil
}

// Loans lists the loans in one status.
func (q queryServer) Loans(ctx context.Context, req *types.QueryLoansRequest) (*types.QueryLoansResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if _, ok := types.LoanStatus_name[int32(req.Status)]; !ok || req.Status == types.LOAN_STATUS_UNSPECIFIED {
		return nil, status.Errorf(codes.InvalidArgument, "give a loan status (offered, active, repaid, defaulted, cancelled), got %d", req.Status)
	}
	return q.loansIn(ctx, req.Status, req.Pagination)
}

// OpenLoans lists active loans.
func (q queryServer) OpenLoans(ctx context.Context, req *types.QueryOpenLoansRequest) (*types.QueryLoansResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	return q.loansIn(ctx, types.LOAN_STATUS_ACTIVE, req.Pagination)
}

// Defaults lists defaulted loans.
func (q queryServer) Defaults(ctx context.Context, req *types.QueryDefaultsRequest) (*types.QueryLoansResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	return q.loansIn(ctx, types.LOAN_STATUS_DEFAULTED, req.Pagination)
}

func (q queryServer) loansIn(ctx context.Context, s types.LoanStatus, page *query.PageRequest) (*types.QueryLoansResponse, error) {
	loans, resp, err := query.CollectionPaginate(ctx, q.k.Loans.Indexes.Status, page,
		func(key collections.Pair[int32, uint64], _ collections.NoValue) (types.Loan, error) {
			return q.k.Loans.Get(ctx, key.K2())
		},
		query.WithCollectionPaginationPairPrefix[int32, uint64](int32(s)))
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryLoansResponse{Loans: loans, Pagination: resp}, nil
}

// AccountLoans lists the loans an account lends or borrows.
func (q queryServer) AccountLoans(ctx context.Context, req *types.QueryAccountLoansRequest) (*types.QueryLoansResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	addr, err := sdk.AccAddressFromBech32(req.Address)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "address %q: %s", req.Address, err)
	}
	loans, page, err := query.CollectionPaginate(ctx, q.k.AccountLoans, req.Pagination,
		func(key collections.Pair[sdk.AccAddress, uint64], _ collections.NoValue) (types.Loan, error) {
			return q.k.Loans.Get(ctx, key.K2())
		},
		query.WithCollectionPaginationPairPrefix[sdk.AccAddress, uint64](addr))
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryLoansResponse{Loans: loans, Pagination: page}, nil
}
