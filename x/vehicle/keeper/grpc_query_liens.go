package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// Lien returns one lien by id.
func (q queryServer) Lien(ctx context.Context, req *types.QueryLienRequest) (*types.QueryLienResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	lien, err := q.k.Lien(ctx, req.Id)
	if err != nil {
		return nil, queryError(err, types.ErrLienNotFound)
	}
	return &types.QueryLienResponse{Lien: lien}, nil
}

// LienByVIN returns a VIN's active lien and pages through its lien history.
func (q queryServer) LienByVIN(ctx context.Context, req *types.QueryLienByVINRequest) (*types.QueryLienByVINResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	vin, err := queryVIN(req.Vin)
	if err != nil {
		return nil, err
	}
	res := &types.QueryLienByVINResponse{}
	active, found, err := q.k.activeLien(ctx, vin)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	if found {
		res.Active = &active
	}
	res.Liens, res.Pagination, err = query.CollectionPaginate(ctx, q.k.LiensByVIN, req.Pagination,
		func(key collections.Pair[string, uint64], _ collections.NoValue) (types.Lien, error) {
			return q.k.Liens.Get(ctx, key.K2())
		},
		query.WithCollectionPaginationPairPrefix[string, uint64](vin),
	)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return res, nil
}

// LienAuthorizations lists a VIN's unused consents, in (chain id, dealer id)
// order. A VIN has at most one per dealer, so the list is short and not paged.
func (q queryServer) LienAuthorizations(ctx context.Context, req *types.QueryLienAuthorizationsRequest) (*types.QueryLienAuthorizationsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	vin, err := queryVIN(req.Vin)
	if err != nil {
		return nil, err
	}
	iter, err := q.k.LienAuthorizations.Iterate(ctx, collections.NewPrefixedTripleRange[string, string, string](vin))
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	consents, err := iter.Values()
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryLienAuthorizationsResponse{Authorizations: consents}, nil
}

// Liens pages through liens matching every filter set. It walks the holder
// index when a dealer or module is named, the lender index when only a
// lender is, and every lien otherwise (a chain_id-only filter scans).
func (q queryServer) Liens(ctx context.Context, req *types.QueryLiensRequest) (*types.QueryLiensResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if req.DealerId != "" && req.Module != "" {
		return nil, status.Error(codes.InvalidArgument, "a lien is held by a dealer or by a hub module, not both: set dealer_id or module")
	}
	if req.Module != "" && req.ChainId != "" {
		return nil, status.Error(codes.InvalidArgument, "hub modules hold liens on the hub itself: chain_id does not apply with module")
	}
	lender := canonicalLender(req.Lender) // the index holds one spelling per lender
	match := func(l types.Lien) bool {
		h := l.Holder
		return (req.DealerId == "" || h.DealerId == req.DealerId) &&
			(req.ChainId == "" || h.ChainId == req.ChainId) &&
			(req.Module == "" || (h.IsHub() && h.Module == req.Module)) &&
			(lender == "" || h.Lender == lender) &&
			(!req.ActiveOnly || l.IsActive())
	}
	var (
		liens []types.Lien
		page  *query.PageResponse
		err   error
	)
	switch {
	case req.DealerId != "" || req.Module != "":
		party := types.HolderPartyDealer(req.DealerId)
		if req.Module != "" {
			party = types.HolderPartyModule(req.Module)
		}
		prefix := collections.TriplePrefix[string, string, uint64](party)
		if req.ChainId != "" {
			prefix = collections.TripleSuperPrefix[string, string, uint64](party, req.ChainId)
		}
		liens, page, err = filteredLiens(ctx, q.k, q.k.LiensByHolder, req.Pagination, match,
			func(key collections.Triple[string, string, uint64]) uint64 { return key.K3() },
			func(o *query.CollectionsPaginateOptions[collections.Triple[string, string, uint64]]) {
				o.Prefix = &prefix
			})
	case lender != "":
		liens, page, err = filteredLiens(ctx, q.k, q.k.LiensByLender, req.Pagination, match,
			func(key collections.Pair[string, uint64]) uint64 { return key.K2() },
			query.WithCollectionPaginationPairPrefix[string, uint64](lender))
	default:
		liens, page, err = query.CollectionFilteredPaginate(ctx, q.k.Liens, req.Pagination,
			func(_ uint64, l types.Lien) (bool, error) { return match(l), nil },
			func(_ uint64, l types.Lien) (types.Lien, error) { return l, nil })
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryLiensResponse{Liens: liens, Pagination: page}, nil
}

// filteredLiens pages through a lien index, keeping the liens that match.
func filteredLiens[K any](ctx context.Context, k Keeper, index collections.KeySet[K], page *query.PageRequest, match func(types.Lien) bool,
	lienID func(K) uint64, opts ...func(*query.CollectionsPaginateOptions[K]),
) ([]types.Lien, *query.PageResponse, error) {
	return query.CollectionFilteredPaginate(ctx, index, page,
		func(key K, _ collections.NoValue) (bool, error) {
			l, err := k.Liens.Get(ctx, lienID(key))
			return err == nil && match(l), err
		},
		func(key K, _ collections.NoValue) (types.Lien, error) { return k.Liens.Get(ctx, lienID(key)) },
		opts...,
	)
}

// FlaggedRecords pages through a dealer's records that carry flags, in id order.
func (q queryServer) FlaggedRecords(ctx context.Context, req *types.QueryFlaggedRecordsRequest) (*types.QueryFlaggedRecordsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if err := types.ValidateDealerID(req.DealerId); err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	records, page, err := query.CollectionPaginate(ctx, q.k.FlaggedRecords, req.Pagination,
		func(key collections.Pair[string, uint64], _ collections.NoValue) (types.Record, error) {
			return q.k.Records.Get(ctx, key.K2())
		},
		query.WithCollectionPaginationPairPrefix[string, uint64](req.DealerId),
	)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryFlaggedRecordsResponse{Records: records, Pagination: page}, nil
}

// LienRequest returns one of this dealer chain's lien requests.
func (q queryServer) LienRequest(ctx context.Context, req *types.QueryLienRequestRequest) (*types.QueryLienRequestResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	r, err := q.k.lienRequest(ctx, req.Id)
	if err != nil {
		return nil, queryError(err, types.ErrLienRequestNotFound)
	}
	return &types.QueryLienRequestResponse{Request: r}, nil
}

// LienRequests pages through this dealer chain's lien requests in id order.
func (q queryServer) LienRequests(ctx context.Context, req *types.QueryLienRequestsRequest) (*types.QueryLienRequestsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	requests, page, err := query.CollectionPaginate(ctx, q.k.LienRequests, req.Pagination,
		func(_ uint64, r types.LienRequest) (types.LienRequest, error) { return r, nil })
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryLienRequestsResponse{Requests: requests, Pagination: page}, nil
}

// queryError maps a keeper error to NotFound when it is notFound, else Internal.
func queryError(err, notFound error) error {
	if errors.Is(err, notFound) {
		return status.Error(codes.NotFound, err.Error())
	}
	return status.Error(codes.Internal, err.Error())
}
