package keeper

import (
	"context"

	"github.com/vinhub/vinhub/x/anchor/types"
)

type msgServer struct{ k Keeper }

// NewMsgServerImpl returns the anchor Msg service.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k: k} }

// AnchorEvidence anchors a hash, or returns its first anchoring.
func (s msgServer) AnchorEvidence(ctx context.Context, msg *types.MsgAnchorEvidence) (*types.MsgAnchorEvidenceResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	a, existed, err := s.k.Anchor(ctx, types.Anchoring{Sha256: msg.Sha256, Kind: msg.Kind, Vin: msg.Vin, Submitter: msg.Submitter, SealedNote: msg.SealedNote})
	if err != nil {
		return nil, err
	}
	return &types.MsgAnchorEvidenceResponse{Anchoring: a, AlreadyAnchored: existed}, nil
}
