package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/internal/accaddr"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

type msgServer struct{ k Keeper }

var _ types.MsgServer = msgServer{}

// NewMsgServerImpl returns the vehicle Msg service over the keeper.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k: k} }

// RecordEvents appends a reporter's batch, all or nothing.
func (s msgServer) RecordEvents(ctx context.Context, msg *types.MsgRecordEvents) (*types.MsgRecordEventsResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	reporter, err := s.reporterAddress(msg.Reporter)
	if err != nil {
		return nil, err
	}
	results, err := s.k.RecordBatch(ctx, msg.DealerId, reporter, msg.Records)
	if err != nil {
		return nil, err
	}
	sequence, err := s.k.SendPendingIfRouted(sdk.UnwrapSDKContext(ctx))
	if err != nil {
		return nil, err
	}
	return &types.MsgRecordEventsResponse{Results: results, Sequence: sequence}, nil
}

// BindDealer lets a dealer's batches in over a route.
func (s msgServer) BindDealer(ctx context.Context, msg *types.MsgBindDealer) (*types.MsgBindDealerResponse, error) {
	if err := s.authorized(msg.Authority, msg); err != nil {
		return nil, err
	}
	binding, err := s.k.BindDealer(ctx, msg.DealerId, msg.Route)
	if err != nil {
		return nil, err
	}
	return &types.MsgBindDealerResponse{ChainId: binding.ChainId}, nil
}

// UnbindDealer removes a binding.
func (s msgServer) UnbindDealer(ctx context.Context, msg *types.MsgUnbindDealer) (*types.MsgUnbindDealerResponse, error) {
	if err := s.authorized(msg.Authority, msg); err != nil {
		return nil, err
	}
	return &types.MsgUnbindDealerResponse{}, s.k.UnbindDealer(ctx, msg.DealerId, msg.Route)
}

// SetHubRoute sets the dealer chain's route to the hub.
func (s msgServer) SetHubRoute(ctx context.Context, msg *types.MsgSetHubRoute) (*types.MsgSetHubRouteResponse, error) {
	if err := s.authorized(msg.Authority, msg); err != nil {
		return nil, err
	}
	return &types.MsgSetHubRouteResponse{}, s.k.SetHubRoute(ctx, msg.Route)
}

// ResendPending sends the oldest pending records in one packet.
func (s msgServer) ResendPending(ctx context.Context, msg *types.MsgResendPending) (*types.MsgResendPendingResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	sequence, ids, err := s.k.SendPending(sdk.UnwrapSDKContext(ctx))
	if err != nil {
		return nil, err
	}
	return &types.MsgResendPendingResponse{Sequence: sequence, Records: uint32(len(ids))}, nil
}

// RequestLien asks the hub for a lien and sends the request at once (dealer chain).
func (s msgServer) RequestLien(ctx context.Context, msg *types.MsgRequestLien) (*types.MsgRequestLienResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	signer, err := s.signerAddress(msg.Signer)
	if err != nil {
		return nil, err
	}
	lender, err := accaddr.Canonical(msg.Lender) // one spelling per lender, here and in the hub's registry
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidAddress, "lender %q: %v", msg.Lender, err)
	}
	req, err := s.k.RequestLien(sdk.UnwrapSDKContext(ctx), signer, msg.DealerId, msg.Vin, lender, msg.Reference)
	if err != nil {
		return nil, err
	}
	return &types.MsgRequestLienResponse{RequestId: req.Id, Sequence: req.Sequence}, nil
}

// ReleaseLien sends the release of a granted lien at once (dealer chain).
func (s msgServer) ReleaseLien(ctx context.Context, msg *types.MsgReleaseLien) (*types.MsgReleaseLienResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	signer, err := s.signerAddress(msg.Signer)
	if err != nil {
		return nil, err
	}
	req, err := s.k.ReleaseLienRequest(sdk.UnwrapSDKContext(ctx), signer, msg.DealerId, msg.RequestId, msg.Reason)
	if err != nil {
		return nil, err
	}
	return &types.MsgReleaseLienResponse{Sequence: req.Sequence}, nil
}

// ResolveDispute judges an open odometer dispute (an examiner or the authority).
func (s msgServer) ResolveDispute(ctx context.Context, msg *types.MsgResolveDispute) (*types.MsgResolveDisputeResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	closed, err := s.k.ResolveDispute(ctx, msg.Resolver, msg.DisputeId, msg.WrongRecordId, msg.Reason)
	if err != nil {
		return nil, err
	}
	return &types.MsgResolveDisputeResponse{ClosedDisputeIds: closed}, nil
}

// AuthorizeLien records a hub asset owner's consent to one dealer lien on its VIN (hub).
func (s msgServer) AuthorizeLien(ctx context.Context, msg *types.MsgAuthorizeLien) (*types.MsgAuthorizeLienResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	consent, err := s.k.AuthorizeLien(ctx, msg.Owner, msg.Vin, msg.ChainId, msg.DealerId, msg.ExpiresAt)
	if err != nil {
		return nil, err
	}
	return &types.MsgAuthorizeLienResponse{AssetId: consent.AssetId}, nil
}

// RevokeLienAuthorization withdraws an unused consent (hub).
func (s msgServer) RevokeLienAuthorization(ctx context.Context, msg *types.MsgRevokeLienAuthorization) (*types.MsgRevokeLienAuthorizationResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgRevokeLienAuthorizationResponse{}, s.k.RevokeLienAuthorization(ctx, msg.Owner, msg.Vin, msg.ChainId, msg.DealerId)
}

// ForceReleaseLien releases a dealer's lien without its holder. Authority only.
func (s msgServer) ForceReleaseLien(ctx context.Context, msg *types.MsgForceReleaseLien) (*types.MsgForceReleaseLienResponse, error) {
	if err := s.authorized(msg.Authority, msg); err != nil {
		return nil, err
	}
	_, err := s.k.ForceReleaseLien(ctx, msg.LienId, msg.Reason)
	if err != nil {
		return nil, err
	}
	return &types.MsgForceReleaseLienResponse{}, nil
}

// RegisterDealer registers or re-activates a dealer.
func (s msgServer) RegisterDealer(ctx context.Context, msg *types.MsgRegisterDealer) (*types.MsgRegisterDealerResponse, error) {
	if err := s.authorized(msg.Authority, msg); err != nil {
		return nil, err
	}
	return &types.MsgRegisterDealerResponse{}, s.k.RegisterDealerWithAccount(ctx, msg.DealerId, msg.Name, msg.Account)
}

// RevokeDealer deactivates a dealer.
func (s msgServer) RevokeDealer(ctx context.Context, msg *types.MsgRevokeDealer) (*types.MsgRevokeDealerResponse, error) {
	if err := s.authorized(msg.Authority, msg); err != nil {
		return nil, err
	}
	return &types.MsgRevokeDealerResponse{}, s.k.RevokeDealer(ctx, msg.DealerId)
}

// AdmitReporter admits a reporter for a dealer.
func (s msgServer) AdmitReporter(ctx context.Context, msg *types.MsgAdmitReporter) (*types.MsgAdmitReporterResponse, error) {
	reporter, err := s.authorizedReporter(msg.Authority, msg, msg.Reporter)
	if err != nil {
		return nil, err
	}
	return &types.MsgAdmitReporterResponse{}, s.k.AdmitReporter(ctx, msg.DealerId, reporter)
}

// RevokeReporter revokes a reporter.
func (s msgServer) RevokeReporter(ctx context.Context, msg *types.MsgRevokeReporter) (*types.MsgRevokeReporterResponse, error) {
	reporter, err := s.authorizedReporter(msg.Authority, msg, msg.Reporter)
	if err != nil {
		return nil, err
	}
	return &types.MsgRevokeReporterResponse{}, s.k.RevokeReporter(ctx, msg.DealerId, reporter)
}

// UpdateParams replaces the module parameters.
func (s msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if err := s.authorized(msg.Authority, msg); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, s.k.Params.Set(ctx, msg.Params)
}

// authorized checks the signer is the module authority, then the message itself.
func (s msgServer) authorized(signer string, msg sdk.HasValidateBasic) error {
	if err := s.k.checkAuthority(signer); err != nil {
		return err
	}
	return msg.ValidateBasic()
}

// authorizedReporter checks an authority message about a reporter and decodes the reporter.
func (s msgServer) authorizedReporter(signer string, msg sdk.HasValidateBasic, reporter string) (sdk.AccAddress, error) {
	if err := s.authorized(signer, msg); err != nil {
		return nil, err
	}
	return s.reporterAddress(reporter)
}

func (s msgServer) reporterAddress(reporter string) (sdk.AccAddress, error) {
	addr, err := s.k.addressCodec.StringToBytes(reporter)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidAddress, "reporter: %s", err)
	}
	return addr, nil
}

func (s msgServer) signerAddress(signer string) (sdk.AccAddress, error) {
	addr, err := s.k.addressCodec.StringToBytes(signer)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidAddress, "signer: %s", err)
	}
	return addr, nil
}
