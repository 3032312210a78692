package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/vinhub/vinhub/x/notary/types"
)

type queryServer struct{ k Keeper }

// NewQueryServerImpl returns the notary Query service.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k: k} }

var _ types.QueryServer = queryServer{}

// CurrentSet returns the current notary set.
func (q queryServer) CurrentSet(ctx context.Context, _ *types.QueryCurrentSetRequest) (*types.QuerySetResponse, error) {
	s, err := q.k.CurrentSet(ctx)
	if err != nil {
		return nil, notFoundOrInternal(err)
	}
	return &types.QuerySetResponse{Set: s}, nil
}

// Set returns one set version.
func (q queryServer) Set(ctx context.Context, req *types.QuerySetRequest) (*types.QuerySetResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	s, err := q.k.GetSet(ctx, req.Version)
	if err != nil {
		return nil, notFoundOrInternal(err)
	}
	return &types.QuerySetResponse{Set: s}, nil
}

// Attestation returns one attestation with its signatures.
func (q queryServer) Attestation(ctx context.Context, req *types.QueryAttestationRequest) (*types.QueryAttestationResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if err := types.ValidateAttestationID(req.Id); err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	a, err := q.k.GetAttestation(ctx, req.Id)
	if err != nil {
		return nil, notFoundOrInternal(err)
	}
	return &types.QueryAttestationResponse{Attestation: a}, nil
}

// AttestationsBySource lists every attestation of one source event (a
// notary asks it after a restart to learn what it signed).
func (q queryServer) AttestationsBySource(ctx context.Context, req *types.QueryAttestationsBySourceRequest) (*types.QueryAttestationsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	key := types.Observation{Platform: req.Platform, NetworkId: req.NetworkId, TxRef: req.TxRef, Index: req.Index}.SourceKey()
	all, err := q.k.AttestationsOf(ctx, key)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	for i := range all {
		if all[i], err = q.k.withSignatures(ctx, all[i]); err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
	}
	return &types.QueryAttestationsResponse{Attestations: all}, nil
}

// Attestations lists attestations, optionally in one status, paginated.
func (q queryServer) Attestations(ctx context.Context, req *types.QueryAttestationsRequest) (*types.QueryAttestationsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if _, ok := types.AttestationStatus_name[int32(req.Status)]; !ok {
		return nil, status.Errorf(codes.InvalidArgument, "unknown status %d", req.Status)
	}
	if req.Status == types.ATTESTATION_STATUS_UNSPECIFIED {
		list, page, err := query.CollectionPaginate(ctx, q.k.Attestations, req.Pagination,
			func(_ string, a types.Attestation) (types.Attestation, error) { return q.k.withSignatures(ctx, a) })
		if err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
		return &types.QueryAttestationsResponse{Attestations: list, Pagination: page}, nil
	}
	list, page, err := query.CollectionPaginate(ctx, q.k.ByStatus, req.Pagination,
		func(key collections.Pair[int32, string], _ collections.NoValue) (types.Attestation, error) {
			return q.k.GetAttestation(ctx, key.K2())
		},
		query.WithCollectionPaginationPairPrefix[int32, string](int32(req.Status)))
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryAttestationsResponse{Attestations: list, Pagination: page}, nil
}

// Sources lists accepted sources and what each asset used of its limit in
// the current window.
func (q queryServer) Sources(ctx context.Context, _ *types.QuerySourcesRequest) (*types.QuerySourcesResponse, error) {
	var out []types.SourceUse
	err := q.k.Sources.Walk(ctx, nil, func(id string, s types.Source) (bool, error) {
		use := types.SourceUse{Source: s}
		for _, l := range s.Limits {
			used, err := q.k.governorUsed(ctx, id, l.Asset)
			if err != nil {
				return true, err
			}
			use.Used = append(use.Used, types.AssetLimit{Asset: l.Asset, Limit: used})
		}
		out = append(out, use)
		return false, nil
	})
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QuerySourcesResponse{Sources: out}, nil
}

// LedgerBindings lists the ledger bindings.
func (q queryServer) LedgerBindings(ctx context.Context, _ *types.QueryLedgerBindingsRequest) (*types.QueryLedgerBindingsResponse, error) {
	var out []types.LedgerBinding
	err := q.k.Ledgers.Walk(ctx, nil, func(_ string, l types.LedgerBinding) (bool, error) {
		out = append(out, l)
		return false, nil
	})
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryLedgerBindingsResponse{Bindings: out}, nil
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
	if errorsmod.IsOf(err, types.ErrNotFound, types.ErrUnknownSet) || errors.Is(err, collections.ErrNotFound) {
		return status.Error(codes.NotFound, err.Error())
	}
	return status.Error(codes.Internal, err.Error())
}
