package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/asset/types"
	"github.com/vinhub/vinhub/x/internal/accaddr"
	"github.com/vinhub/vinhub/x/internal/atomicmsg"
)

type msgServer struct{ k Keeper }

// NewMsgServerImpl returns the asset Msg service; each handler is one keeper step.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k: k} }

var _ types.MsgServer = msgServer{}

func (s msgServer) Apply(ctx context.Context, msg *types.MsgApply) (*types.MsgApplyResponse, error) {
	id, err := atomicmsg.Run(ctx, func(c context.Context) (uint64, error) { return s.k.Apply(c, msg) })
	if err != nil {
		return nil, err
	}
	return &types.MsgApplyResponse{AssetId: id}, nil
}

func (s msgServer) Approve(ctx context.Context, msg *types.MsgApprove) (*types.MsgApproveResponse, error) {
	return &types.MsgApproveResponse{}, atomicmsg.Do(ctx, func(c context.Context) error { return s.k.Approve(c, msg) })
}

func (s msgServer) Reject(ctx context.Context, msg *types.MsgReject) (*types.MsgRejectResponse, error) {
	return &types.MsgRejectResponse{}, atomicmsg.Do(ctx, func(c context.Context) error { return s.k.Reject(c, msg) })
}

func (s msgServer) Revalue(ctx context.Context, msg *types.MsgRevalue) (*types.MsgRevalueResponse, error) {
	return &types.MsgRevalueResponse{}, atomicmsg.Do(ctx, func(c context.Context) error { return s.k.Revalue(c, msg) })
}

func (s msgServer) Freeze(ctx context.Context, msg *types.MsgFreeze) (*types.MsgFreezeResponse, error) {
	return &types.MsgFreezeResponse{}, atomicmsg.Do(ctx, func(c context.Context) error { return s.k.Freeze(c, msg) })
}

func (s msgServer) Unfreeze(ctx context.Context, msg *types.MsgUnfreeze) (*types.MsgUnfreezeResponse, error) {
	return &types.MsgUnfreezeResponse{}, atomicmsg.Do(ctx, func(c context.Context) error { return s.k.Unfreeze(c, msg) })
}

func (s msgServer) List(ctx context.Context, msg *types.MsgList) (*types.MsgListResponse, error) {
	return &types.MsgListResponse{}, atomicmsg.Do(ctx, func(c context.Context) error { return s.k.List(c, msg) })
}

func (s msgServer) Unlist(ctx context.Context, msg *types.MsgUnlist) (*types.MsgUnlistResponse, error) {
	return &types.MsgUnlistResponse{}, atomicmsg.Do(ctx, func(c context.Context) error { return s.k.Unlist(c, msg) })
}

func (s msgServer) Buy(ctx context.Context, msg *types.MsgBuy) (*types.MsgBuyResponse, error) {
	return &types.MsgBuyResponse{}, atomicmsg.Do(ctx, func(c context.Context) error { return s.k.Buy(c, msg) })
}

func (s msgServer) Transfer(ctx context.Context, msg *types.MsgTransfer) (*types.MsgTransferResponse, error) {
	return &types.MsgTransferResponse{}, atomicmsg.Do(ctx, func(c context.Context) error { return s.k.Transfer(c, msg) })
}

func (s msgServer) OfferLoan(ctx context.Context, msg *types.MsgOfferLoan) (*types.MsgOfferLoanResponse, error) {
	id, err := atomicmsg.Run(ctx, func(c context.Context) (uint64, error) { return s.k.OfferLoan(c, msg) })
	if err != nil {
		return nil, err
	}
	return &types.MsgOfferLoanResponse{LoanId: id}, nil
}

func (s msgServer) CancelOffer(ctx context.Context, msg *types.MsgCancelOffer) (*types.MsgCancelOfferResponse, error) {
	return &types.MsgCancelOfferResponse{}, atomicmsg.Do(ctx, func(c context.Context) error { return s.k.CancelOffer(c, msg) })
}

func (s msgServer) Pledge(ctx context.Context, msg *types.MsgPledge) (*types.MsgPledgeResponse, error) {
	lienID, err := atomicmsg.Run(ctx, func(c context.Context) (uint64, error) { return s.k.Pledge(c, msg) })
	if err != nil {
		return nil, err
	}
	return &types.MsgPledgeResponse{LienId: lienID}, nil
}

func (s msgServer) Repay(ctx context.Context, msg *types.MsgRepay) (*types.MsgRepayResponse, error) {
	amount, err := atomicmsg.Run(ctx, func(c context.Context) (sdk.Coin, error) { return s.k.Repay(c, msg) })
	if err != nil {
		return nil, err
	}
	return &types.MsgRepayResponse{Amount: amount}, nil
}

func (s msgServer) DeclareDefault(ctx context.Context, msg *types.MsgDeclareDefault) (*types.MsgDeclareDefaultResponse, error) {
	return &types.MsgDeclareDefaultResponse{}, atomicmsg.Do(ctx, func(c context.Context) error { return s.k.DeclareDefault(c, msg) })
}

func (s msgServer) Redeem(ctx context.Context, msg *types.MsgRedeem) (*types.MsgRedeemResponse, error) {
	return &types.MsgRedeemResponse{}, atomicmsg.Do(ctx, func(c context.Context) error { return s.k.Redeem(c, msg) })
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
