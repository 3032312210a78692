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

type queryServer struct{ k Keeper }

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the vehicle Query service over the keeper.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k: k} }

// Params returns the module parameters.
func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

// History pages through a VIN's records in time order, optionally of one kind.
func (q queryServer) History(ctx context.Context, req *types.QueryHistoryRequest) (*types.QueryHistoryResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	vin, err := queryVIN(req.Vin)
	if err != nil {
		return nil, err
	}
	if _, ok := types.RecordKind_name[int32(req.Kind)]; !ok {
		return nil, status.Errorf(codes.InvalidArgument, "unknown record kind %d", req.Kind)
	}
	records, page, err := query.CollectionFilteredPaginate(ctx, q.k.History, req.Pagination,
		func(key collections.Pair[string, []byte], _ uint64) (bool, error) {
			if req.Kind == types.RECORD_KIND_UNSPECIFIED {
				return true, nil
			}
			rec, err := q.k.Records.Get(ctx, historyKeyID(key.K2()))
			return err == nil && rec.Input.Kind == req.Kind, err
		},
		func(key collections.Pair[string, []byte], _ uint64) (types.Record, error) {
			return q.k.Records.Get(ctx, historyKeyID(key.K2()))
		},
		query.WithCollectionPaginationPairPrefix[string, []byte](vin),
	)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	res := &types.QueryHistoryResponse{Records: records, Pagination: page}
	if req.Pagination == nil || len(req.Pagination.Key) == 0 {
		if res.Liens, err = q.k.liensOf(ctx, vin); err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
	}
	return res, nil
}

// Summary returns a VIN's summary.
func (q queryServer) Summary(ctx context.Context, req *types.QuerySummaryRequest) (*types.QuerySummaryResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	vin, err := queryVIN(req.Vin)
	if err != nil {
		return nil, err
	}
	s, err := q.k.Summaries.Get(ctx, vin)
	if errors.Is(err, collections.ErrNotFound) {
		return nil, status.Error(codes.NotFound, errorsmod.Wrapf(types.ErrVehicleNotFound, "no records for VIN %s", vin).Error())
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QuerySummaryResponse{Summary: s}, nil
}

// Record returns one record by its hub id.
func (q queryServer) Record(ctx context.Context, req *types.QueryRecordRequest) (*types.QueryRecordResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	rec, err := q.k.Records.Get(ctx, req.Id)
	if errors.Is(err, collections.ErrNotFound) {
		return nil, status.Error(codes.NotFound, errorsmod.Wrapf(types.ErrRecordNotFound, "no record with id %d", req.Id).Error())
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryRecordResponse{Record: rec}, nil
}

// Dealer returns a dealer and all its reporters.
func (q queryServer) Dealer(ctx context.Context, req *types.QueryDealerRequest) (*types.QueryDealerResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	dealer, err := q.k.getDealer(ctx, req.DealerId)
	if errors.Is(err, types.ErrUnknownDealer) {
		return nil, status.Error(codes.NotFound, err.Error())
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	reporters, err := q.k.DealerReporters(ctx, req.DealerId)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryDealerResponse{Dealer: dealer, Reporters: reporters}, nil
}

// Dealers pages through registered dealers.
func (q queryServer) Dealers(ctx context.Context, req *types.QueryDealersRequest) (*types.QueryDealersResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	dealers, page, err := query.CollectionPaginate(ctx, q.k.Dealers, req.Pagination,
		func(_ string, d types.Dealer) (types.Dealer, error) { return d, nil })
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryDealersResponse{Dealers: dealers, Pagination: page}, nil
}

// queryVIN accepts any well-formed VIN, including one whose check digit is
// wrong (such VINs may be on record with a flag).
func queryVIN(s string) (string, error) {
	v, err := types.ParseVIN(s)
	if errors.Is(err, types.ErrInvalidVIN) && len(s) == types.VINLength {
		return s, nil
	}
	if err != nil {
		return "", status.Error(codes.InvalidArgument, err.Error())
	}
	return v.Value, nil
}
