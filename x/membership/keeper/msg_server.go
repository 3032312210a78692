package keeper

import (
	"context"

	"cosmossdk.io/collections"

	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/vinhub/vinhub/x/membership/types"
)

type msgServer struct{ k Keeper }

// NewMsgServerImpl returns the membership Msg service.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k: k} }

// AdmitOperator admits an operator. Authority only.
func (s msgServer) AdmitOperator(ctx context.Context, msg *types.MsgAdmitOperator) (*types.MsgAdmitOperatorResponse, error) {
	op, err := s.authorizedOperator(msg.Authority, msg, msg.Operator)
	if err != nil {
		return nil, err
	}
	return &types.MsgAdmitOperatorResponse{}, s.k.Admit(ctx, op, msg.Note)
}

// RevokeOperator revokes an admission. Authority only.
func (s msgServer) RevokeOperator(ctx context.Context, msg *types.MsgRevokeOperator) (*types.MsgRevokeOperatorResponse, error) {
	op, err := s.authorizedOperator(msg.Authority, msg, msg.Operator)
	if err != nil {
		return nil, err
	}
	return &types.MsgRevokeOperatorResponse{}, s.k.Revoke(ctx, op)
}

// GrantRole grants a role. Authority only.
func (s msgServer) GrantRole(ctx context.Context, msg *types.MsgGrantRole) (*types.MsgGrantRoleResponse, error) {
	addr, err := s.authorizedOperator(msg.Authority, msg, msg.Address)
	if err != nil {
		return nil, err
	}
	return &types.MsgGrantRoleResponse{}, s.k.GrantRole(ctx, addr, msg.Role, msg.Note)
}

// RevokeRole revokes a role. Authority only.
func (s msgServer) RevokeRole(ctx context.Context, msg *types.MsgRevokeRole) (*types.MsgRevokeRoleResponse, error) {
	addr, err := s.authorizedOperator(msg.Authority, msg, msg.Address)
	if err != nil {
		return nil, err
	}
	return &types.MsgRevokeRoleResponse{}, s.k.RevokeRole(ctx, addr, msg.Role)
}

// RegisterEncryptionKey registers or rotates the signer's own key.
func (s msgServer) RegisterEncryptionKey(ctx context.Context, msg *types.MsgRegisterEncryptionKey) (*types.MsgRegisterEncryptionKeyResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	owner, err := s.k.addressCodec.StringToBytes(msg.Owner)
	if err != nil {
		return nil, errorsmod.Wrap(types.ErrInvalidAddress, err.Error())
	}
	v, err := s.k.RegisterEncryptionKey(ctx, owner, msg.PublicKey, msg.DealerId)
	if err != nil {
		return nil, err
	}
	return &types.MsgRegisterEncryptionKeyResponse{Version: v}, nil
}

// SetEncryptionKey sets or rotates a member's key. Authority only.
func (s msgServer) SetEncryptionKey(ctx context.Context, msg *types.MsgSetEncryptionKey) (*types.MsgSetEncryptionKeyResponse, error) {
	addr, err := s.authorizedOperator(msg.Authority, msg, msg.Address)
	if err != nil {
		return nil, err
	}
	v, err := s.k.SetEncryptionKey(ctx, addr, msg.PublicKey)
	if err != nil {
		return nil, err
	}
	return &types.MsgSetEncryptionKeyResponse{Version: v}, nil
}

// authorizedOperator checks the signer is the authority and the message is
// well formed, and decodes the account address it is about.
func (s msgServer) authorizedOperator(signer string, msg sdk.HasValidateBasic, operator string) (sdk.AccAddress, error) {
	if err := s.k.checkAuthority(signer); err != nil {
		return nil, err
	}
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	op, err := s.k.addressCodec.StringToBytes(operator)
	if err != nil {
		return nil, errorsmod.Wrap(types.ErrInvalidAddress, err.Error())
	}
	return op, nil
}

type queryServer struct{ k Keeper }

// NewQueryServerImpl returns the membership Query service.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k: k} }

// Operator returns one admitted operator.
func (q queryServer) Operator(ctx context.Context, req *types.QueryOperatorRequest) (*types.QueryOperatorResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	addr, err := q.k.addressCodec.StringToBytes(req.Address)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "address %q: %s", req.Address, err)
	}
	op, err := q.k.getOperator(ctx, addr)
	if err != nil {
		return nil, status.Error(codes.NotFound, err.Error())
	}
	return &types.QueryOperatorResponse{Operator: op}, nil
}

// Operators lists admitted operators.
func (q queryServer) Operators(ctx context.Context, req *types.QueryOperatorsRequest) (*types.QueryOperatorsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	ops, page, err := query.CollectionPaginate(ctx, q.k.Operators, req.Pagination,
		func(_ sdk.AccAddress, op types.Operator) (types.Operator, error) { return op, nil })
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryOperatorsResponse{Operators: ops, Pagination: page}, nil
}

// Roles lists the roles one account holds.
func (q queryServer) Roles(ctx context.Context, req *types.QueryRolesRequest) (*types.QueryRolesResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	addr, err := q.k.addressCodec.StringToBytes(req.Address)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "address %q: %s", req.Address, err)
	}
	roles, err := q.k.RolesOf(ctx, addr)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryRolesResponse{Roles: roles}, nil
}

// RoleHolders lists the accounts holding a role.
func (q queryServer) RoleHolders(ctx context.Context, req *types.QueryRoleHoldersRequest) (*types.QueryRoleHoldersResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if err := req.Role.Validate(); err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	holders, page, err := query.CollectionPaginate(ctx, q.k.Roles, req.Pagination,
		func(_ collections.Pair[int32, sdk.AccAddress], g types.RoleGrant) (types.RoleGrant, error) {
			return g, nil
		},
		query.WithCollectionPaginationPairPrefix[int32, sdk.AccAddress](int32(req.Role)))
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryRoleHoldersResponse{Holders: holders, Pagination: page}, nil
}

// EncryptionKey returns one version of an account's key (0: current).
func (q queryServer) EncryptionKey(ctx context.Context, req *types.QueryEncryptionKeyRequest) (*types.QueryEncryptionKeyResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	addr, err := q.k.addressCodec.StringToBytes(req.Address)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "address %q: %s", req.Address, err)
	}
	key, err := q.k.EncryptionKey(ctx, addr, req.Version)
	if errorsmod.IsOf(err, types.ErrKeyNotFound) {
		return nil, status.Error(codes.NotFound, err.Error())
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryEncryptionKeyResponse{Key: key}, nil
}

// EncryptionKeys lists every version of an account's key, oldest first.
func (q queryServer) EncryptionKeys(ctx context.Context, req *types.QueryEncryptionKeysRequest) (*types.QueryEncryptionKeysResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	addr, err := q.k.addressCodec.StringToBytes(req.Address)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "address %q: %s", req.Address, err)
	}
	iter, err := q.k.EncryptionKeys.Iterate(ctx, collections.NewPrefixedPairRange[sdk.AccAddress, uint32](addr))
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	keys, err := iter.Values()
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryEncryptionKeysResponse{Keys: keys}, nil
}

// RegulatorKeys lists the regulators' current keys and the regulators without one.
func (q queryServer) RegulatorKeys(ctx context.Context, req *types.QueryRegulatorKeysRequest) (*types.QueryRegulatorKeysResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	keys, missing, err := q.k.RegulatorKeys(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryRegulatorKeysResponse{Keys: keys, Missing: missing}, nil
}
