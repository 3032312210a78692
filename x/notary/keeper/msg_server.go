package keeper

import (
	"context"

	"github.com/vinhub/vinhub/x/internal/atomicmsg"
	"github.com/vinhub/vinhub/x/notary/types"
)

type msgServer struct{ k Keeper }

// NewMsgServerImpl returns the notary Msg service; each handler runs atomically.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k: k} }

var _ types.MsgServer = msgServer{}

func (s msgServer) Attest(ctx context.Context, msg *types.MsgAttest) (*types.MsgAttestResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	return atomicmsg.Run(ctx, func(c context.Context) (*types.MsgAttestResponse, error) { return s.k.Attest(c, msg) })
}

// governed runs a governance step: authority first, then the message's own checks.
func (s msgServer) governed(ctx context.Context, authority string, msg interface{ ValidateBasic() error }, step func(context.Context) error) error {
	if err := s.k.checkAuthority(authority); err != nil {
		return err
	}
	if err := msg.ValidateBasic(); err != nil {
		return err
	}
	return atomicmsg.Do(ctx, step)
}

func (s msgServer) UpdateNotarySet(ctx context.Context, msg *types.MsgUpdateNotarySet) (*types.MsgUpdateNotarySetResponse, error) {
	var version uint64
	err := s.governed(ctx, msg.Authority, msg, func(c context.Context) error {
		set, err := s.k.UpdateNotarySet(c, msg.Members, msg.Threshold)
		version = set.Version
		return err
	})
	return &types.MsgUpdateNotarySetResponse{Version: version}, err
}

func (s msgServer) SetSource(ctx context.Context, msg *types.MsgSetSource) (*types.MsgSetSourceResponse, error) {
	return &types.MsgSetSourceResponse{}, s.governed(ctx, msg.Authority, msg, func(c context.Context) error {
		return s.k.Sources.Set(c, msg.Source.ID(), msg.Source)
	})
}

func (s msgServer) RemoveSource(ctx context.Context, msg *types.MsgRemoveSource) (*types.MsgRemoveSourceResponse, error) {
	return &types.MsgRemoveSourceResponse{}, s.governed(ctx, msg.Authority, msg, func(c context.Context) error {
		return s.k.RemoveSource(c, types.SourceID(msg.Platform, msg.NetworkId))
	})
}

func (s msgServer) BindLedger(ctx context.Context, msg *types.MsgBindLedger) (*types.MsgBindLedgerResponse, error) {
	return &types.MsgBindLedgerResponse{}, s.governed(ctx, msg.Authority, msg, func(c context.Context) error {
		return s.k.BindLedger(c, msg.LedgerId, msg.DealerId)
	})
}

func (s msgServer) UnbindLedger(ctx context.Context, msg *types.MsgUnbindLedger) (*types.MsgUnbindLedgerResponse, error) {
	return &types.MsgUnbindLedgerResponse{}, s.governed(ctx, msg.Authority, msg, func(c context.Context) error {
		return s.k.UnbindLedger(c, msg.LedgerId)
	})
}

func (s msgServer) ReleaseDelayed(ctx context.Context, msg *types.MsgReleaseDelayed) (*types.MsgReleaseDelayedResponse, error) {
	var att types.Attestation
	err := s.governed(ctx, msg.Authority, msg, func(c context.Context) (err error) {
		att, err = s.k.ReleaseDelayed(c, msg.Id)
		return err
	})
	return &types.MsgReleaseDelayedResponse{Status: att.Status, Result: att.Result}, err
}

func (s msgServer) ResolveEquivocation(ctx context.Context, msg *types.MsgResolveEquivocation) (*types.MsgResolveEquivocationResponse, error) {
	var att types.Attestation
	err := s.governed(ctx, msg.Authority, msg, func(c context.Context) (err error) {
		att, err = s.k.ResolveEquivocation(c, msg.SourceKey, msg.ExecuteId)
		return err
	})
	return &types.MsgResolveEquivocationResponse{Status: att.Status, Result: att.Result}, err
}

// UpdateParams replaces the params. Authority (governance) only.
func (s msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	return &types.MsgUpdateParamsResponse{}, s.governed(ctx, msg.Authority, msg, func(c context.Context) error {
		return s.k.Params.Set(c, msg.Params)
	})
}
