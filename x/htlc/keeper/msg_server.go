package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/vinhub/vinhub/x/htlc/types"
	"github.com/vinhub/vinhub/x/internal/accaddr"
	"github.com/vinhub/vinhub/x/internal/atomicmsg"
)

type msgServer struct{ k Keeper }

// NewMsgServerImpl returns the htlc Msg service; each handler runs atomically.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k: k} }

var _ types.MsgServer = msgServer{}

func (s msgServer) Lock(ctx context.Context, msg *types.MsgLock) (*types.MsgLockResponse, error) {
	id, err := atomicmsg.Run(ctx, func(c context.Context) (string, error) { return s.k.Lock(c, msg) })
	if err != nil {
		return nil, err
	}
	return &types.MsgLockResponse{Id: id}, nil
}

func (s msgServer) Claim(ctx context.Context, msg *types.MsgClaim) (*types.MsgClaimResponse, error) {
	return &types.MsgClaimResponse{}, atomicmsg.Do(ctx, func(c context.Context) error { return s.k.Claim(c, msg) })
}

func (s msgServer) Refund(ctx context.Context, msg *types.MsgRefund) (*types.MsgRefundResponse, error) {
	msg, err := msg.Canonical()
	if err != nil {
		return nil, err
	}
	return &types.MsgRefundResponse{}, atomicmsg.Do(ctx, func(c context.Context) error { return s.k.Refund(c, msg.Id, msg.Signer) })
}

// UpdateParams replaces the params. Authority (governance) only.
func (s msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if !accaddr.Same(msg.Authority, s.k.authority) {
		return nil, errorsmod.Wrapf(types.ErrInvalidAuthority, "expected %s (the governance module account), got %s; submit this message in a governance proposal", s.k.authority, msg.Authority)
	}
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, s.k.Params.Set(ctx, msg.Params)
}
