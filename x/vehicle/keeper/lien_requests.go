package keeper

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// The dealer side of the lien registry: a reporter asks for a lien, the
// request travels to the hub at once, and the hub's answer settles it:
//
//	REQUESTED -> GRANTED | REFUSED | TIMED_OUT
//	GRANTED   -> RELEASING -> RELEASED, or back to GRANTED (release refused or timed out)
//
// A request is only ever settled by the packet it is in flight in (route and
// sequence), as records are. The hub keeps the request id as the lien's
// reference; that is how an acknowledgement finds its request.

// RequestLien asks the hub for a lien on vin for dealerID, on behalf of
// signer (an active reporter of the dealer), and sends the request packet in
// the same transaction: if IBC cannot send it, the transaction fails and
// nothing is kept. A dealer has at most one open request per VIN.
func (k Keeper) RequestLien(ctx sdk.Context, signer sdk.AccAddress, dealerID, vin, lender, reference string) (types.LienRequest, error) {
	if err := k.checkDealerChain("lien requests"); err != nil {
		return types.LienRequest{}, err
	}
	if err := k.CheckReporter(ctx, dealerID, signer); err != nil {
		return types.LienRequest{}, err
	}
	parsed, err := types.ParseVIN(vin)
	if err != nil {
		return types.LienRequest{}, err
	}
	openID, err := k.OpenLienRequests.Get(ctx, collections.Join(dealerID, parsed.Value))
	switch {
	case err == nil:
		open, err := k.lienRequest(ctx, openID)
		if err != nil {
			return types.LienRequest{}, err
		}
		return types.LienRequest{}, errorsmod.Wrapf(types.ErrLienRequestOpen, "dealer %q already has lien request %d for VIN %s, %s; release it (or wait for the hub's answer) before asking again",
			dealerID, openID, parsed.Value, open.Status)
	case !errors.Is(err, collections.ErrNotFound):
		return types.LienRequest{}, fmt.Errorf("open lien request of %q for %s: %w", dealerID, parsed.Value, err)
	}
	requester, err := k.addressCodec.BytesToString(signer)
	if err != nil {
		return types.LienRequest{}, errorsmod.Wrap(types.ErrInvalidAddress, err.Error())
	}
	id, err := k.nextLienRequestID(ctx)
	if err != nil {
		return types.LienRequest{}, err
	}
	data := types.NewLienRequestPacketData(types.LienRequestPacket{
		DealerId: dealerID, Vin: parsed.Value, Lender: lender, Reference: strconv.FormatUint(id, 10),
	})
	route, sequence, err := k.sendToHub(ctx, data)
	if err != nil {
		return types.LienRequest{}, err
	}
	req := types.LienRequest{
		Id: id, DealerId: dealerID, Vin: parsed.Value, Lender: lender, Reference: reference, Requester: requester,
		Status: types.LIEN_REQUEST_STATUS_REQUESTED, Route: route, Sequence: sequence,
		RequestedHeight: ctx.BlockHeight(), UpdatedHeight: ctx.BlockHeight(),
	}
	if err := k.setLienRequest(ctx, nil, req); err != nil {
		return types.LienRequest{}, err
	}
	return req, ctx.EventManager().EmitTypedEvent(&types.EventLienRequested{
		RequestId: id, DealerId: dealerID, Vin: parsed.Value, Route: route.Key(), Sequence: sequence,
	})
}

// ReleaseLienRequest sends the release of the hub lien granted to request
// id, on behalf of signer (an active reporter of the dealer). Only a GRANTED
// request can be released; it is RELEASING until the hub answers.
func (k Keeper) ReleaseLienRequest(ctx sdk.Context, signer sdk.AccAddress, dealerID string, id uint64, reason string) (types.LienRequest, error) {
	if err := k.checkDealerChain("lien releases"); err != nil {
		return types.LienRequest{}, err
	}
	if err := k.CheckReporter(ctx, dealerID, signer); err != nil {
		return types.LienRequest{}, err
	}
	req, err := k.lienRequest(ctx, id)
	if err != nil {
		return types.LienRequest{}, err
	}
	if req.DealerId != dealerID {
		return types.LienRequest{}, errorsmod.Wrapf(types.ErrLienRequestNotFound, "lien request %d is dealer %q's, not %q's", id, req.DealerId, dealerID)
	}
	switch req.Status {
	case types.LIEN_REQUEST_STATUS_GRANTED:
	case types.LIEN_REQUEST_STATUS_RELEASING:
		return types.LienRequest{}, errorsmod.Wrapf(types.ErrLienRequestState, "lien request %d: its release is in packet %d over %s; wait for the hub's answer", id, req.Sequence, req.Route.Key())
	case types.LIEN_REQUEST_STATUS_REQUESTED:
		return types.LienRequest{}, errorsmod.Wrapf(types.ErrLienRequestState, "lien request %d has no answer from the hub yet; only a granted lien can be released", id)
	default:
		return types.LienRequest{}, errorsmod.Wrapf(types.ErrLienRequestState, "lien request %d is %s; only a granted lien can be released", id, req.Status)
	}
	data := types.NewLienReleasePacketData(types.LienReleasePacket{DealerId: dealerID, LienId: req.HubLienId, Reason: reason})
	route, sequence, err := k.sendToHub(ctx, data)
	if err != nil {
		return types.LienRequest{}, err
	}
	prev := req
	req.Status, req.Route, req.Sequence, req.Reason, req.UpdatedHeight = types.LIEN_REQUEST_STATUS_RELEASING, route, sequence, "", ctx.BlockHeight()
	if err := k.setLienRequest(ctx, &prev, req); err != nil {
		return types.LienRequest{}, err
	}
	return req, ctx.EventManager().EmitTypedEvent(&types.EventLienReleaseSent{
		RequestId: id, HubLienId: req.HubLienId, Route: route.Key(), Sequence: sequence,
	})
}

// checkDealerChain refuses dealer-side messages on the hub, where liens are
// granted directly (x/asset) rather than requested over IBC.
func (k Keeper) checkDealerChain(what string) error {
	if !k.forwardsToHub {
		return errorsmod.Wrapf(types.ErrNotDealerChain, "%s are sent from a dealer chain to the hub; this chain is the hub, where liens are taken through x/asset", what)
	}
	return nil
}

// sendToHub validates and sends one packet over the hub route.
func (k Keeper) sendToHub(ctx sdk.Context, data types.VehiclePacketData) (types.Route, uint64, error) {
	route, err := k.hubRoute(ctx)
	if err != nil {
		return types.Route{}, 0, err
	}
	if route.IsEmpty() {
		return types.Route{}, 0, errorsmod.Wrap(types.ErrNoHubRoute, "governance sets it with MsgSetHubRoute once the IBC link to the hub exists")
	}
	if err := data.ValidateBasic(); err != nil {
		return types.Route{}, 0, err
	}
	bz, err := data.Marshal()
	if err != nil {
		return types.Route{}, 0, fmt.Errorf("encode vehicle packet: %w", err)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return types.Route{}, 0, fmt.Errorf("vehicle params: %w", err)
	}
	sequence, err := k.sendPacket(ctx, route, bz, params)
	if err != nil {
		return types.Route{}, 0, err
	}
	return route, sequence, nil
}

// settleLienRequest applies the hub's answer to the request packet that carried it.
func (k Keeper) settleLienRequest(ctx sdk.Context, route types.Route, sequence uint64, pkt types.LienRequestPacket, ack types.VehicleAcknowledgement, failure string) error {
	return k.settleLienPacket(ctx, route, sequence, pkt.Reference, types.LIEN_REQUEST_STATUS_REQUESTED, func(r *types.LienRequest) {
		answer := ack.GetLienRequest()
		switch {
		case failure != "":
			r.Status, r.Refusal = types.LIEN_REQUEST_STATUS_REFUSED, &types.LienRefusal{Reason: failure, Code: ack.GetError().GetCode()}
		case answer.Granted:
			r.Status, r.HubLienId = types.LIEN_REQUEST_STATUS_GRANTED, answer.LienId
		default:
			r.Status = types.LIEN_REQUEST_STATUS_REFUSED
			r.Refusal = &types.LienRefusal{HeldLienId: answer.LienId, Holder: answer.Holder, Reason: answer.RefusedReason, Code: answer.Code}
		}
	})
}

// settleLienRelease applies the hub's answer to the release packet that carried it.
// A release the hub refused leaves the lien granted, with the reason.
func (k Keeper) settleLienRelease(ctx sdk.Context, route types.Route, sequence uint64, pkt types.LienReleasePacket, ack types.VehicleAcknowledgement, failure string) error {
	reference, err := k.hubLienReference(ctx, pkt.LienId)
	if err != nil || reference == "" {
		return err
	}
	return k.settleLienPacket(ctx, route, sequence, reference, types.LIEN_REQUEST_STATUS_RELEASING, func(r *types.LienRequest) {
		switch {
		case failure != "":
			r.Status, r.Reason = types.LIEN_REQUEST_STATUS_GRANTED, failure
		case ack.GetLienRelease().Released:
			r.Status, r.Reason = types.LIEN_REQUEST_STATUS_RELEASED, ""
		default:
			r.Status, r.Reason = types.LIEN_REQUEST_STATUS_GRANTED, fmt.Sprintf("hub did not release lien %d", pkt.LienId)
		}
	})
}

// timeOutLienPacket settles a lien packet that timed out: the hub never saw
// it. A request becomes TIMED_OUT (ask again with a new request); a release
// returns to GRANTED (send it again: releases are idempotent on the hub).
func (k Keeper) timeOutLienPacket(ctx sdk.Context, route types.Route, sequence uint64, packet types.VehiclePacketData) error {
	reason := fmt.Sprintf("packet %d over %s timed out; the hub never received it", sequence, route.Key())
	if req := packet.GetLienRequest(); req != nil {
		return k.settleLienPacket(ctx, route, sequence, req.Reference, types.LIEN_REQUEST_STATUS_REQUESTED, func(r *types.LienRequest) {
			r.Status, r.Reason = types.LIEN_REQUEST_STATUS_TIMED_OUT, reason
		})
	}
	rel := packet.GetLienRelease()
	reference, err := k.hubLienReference(ctx, rel.LienId)
	if err != nil || reference == "" {
		return err
	}
	return k.settleLienPacket(ctx, route, sequence, reference, types.LIEN_REQUEST_STATUS_RELEASING, func(r *types.LienRequest) {
		r.Status, r.Reason = types.LIEN_REQUEST_STATUS_GRANTED, reason
	})
}

// hubLienReference finds the request a hub lien was granted to, as the
// reference string request packets carry ("" if this chain has none).
func (k Keeper) hubLienReference(ctx context.Context, hubLienID uint64) (string, error) {
	id, err := k.LienRequestsByHubLien.Get(ctx, hubLienID)
	if errors.Is(err, collections.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("lien request of hub lien %d: %w", hubLienID, err)
	}
	return strconv.FormatUint(id, 10), nil
}

// settleLienPacket applies change to the request named by reference if it is
// in flight (status want) in this very packet; otherwise, like settle for
// records, it leaves it alone and returns nil: an acknowledgement or timeout
// must never fail, or the packet could not be settled at all.
func (k Keeper) settleLienPacket(ctx sdk.Context, route types.Route, sequence uint64, reference string, want types.LienRequestStatus, change func(*types.LienRequest)) error {
	id, err := strconv.ParseUint(reference, 10, 64)
	if err != nil {
		return nil
	}
	req, err := k.LienRequests.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("lien request %d: %w", id, err)
	}
	if req.Status != want || req.Sequence != sequence || req.Route.Key() != route.Key() {
		return nil
	}
	prev := req
	change(&req)
	req.UpdatedHeight = ctx.BlockHeight()
	if err := k.setLienRequest(ctx, &prev, req); err != nil {
		return err
	}
	reason := req.Reason
	if req.Refusal != nil && req.Status == types.LIEN_REQUEST_STATUS_REFUSED {
		reason = req.Refusal.Reason
	}
	return ctx.EventManager().EmitTypedEvent(&types.EventLienRequestUpdated{RequestId: id, Status: req.Status, HubLienId: req.HubLienId, Reason: reason})
}

// setLienRequest writes a request and keeps the open and hub-lien indexes in
// step; prev is the request it replaces (nil for a new one).
func (k Keeper) setLienRequest(ctx context.Context, prev *types.LienRequest, req types.LienRequest) error {
	if err := k.LienRequests.Set(ctx, req.Id, req); err != nil {
		return fmt.Errorf("lien request %d: %w", req.Id, err)
	}
	key := collections.Join(req.DealerId, req.Vin)
	switch {
	case req.IsOpen():
		if err := k.OpenLienRequests.Set(ctx, key, req.Id); err != nil {
			return fmt.Errorf("open lien request %d: %w", req.Id, err)
		}
	case prev != nil && prev.IsOpen():
		if err := k.OpenLienRequests.Remove(ctx, key); err != nil {
			return fmt.Errorf("open lien request %d: %w", req.Id, err)
		}
	}
	if req.HubLienId != 0 {
		if err := k.LienRequestsByHubLien.Set(ctx, req.HubLienId, req.Id); err != nil {
			return fmt.Errorf("hub lien %d of lien request %d: %w", req.HubLienId, req.Id, err)
		}
	}
	return nil
}

// lienRequest returns a lien request by id.
func (k Keeper) lienRequest(ctx context.Context, id uint64) (types.LienRequest, error) {
	req, err := k.LienRequests.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return types.LienRequest{}, errorsmod.Wrapf(types.ErrLienRequestNotFound, "no lien request with id %d on this chain", id)
	}
	if err != nil {
		return types.LienRequest{}, fmt.Errorf("lien request %d: %w", id, err)
	}
	return req, nil
}

// nextLienRequestID hands out request ids from 1, as nextLienID does for liens.
func (k Keeper) nextLienRequestID(ctx context.Context) (uint64, error) {
	id, err := k.NextLienRequestID.Next(ctx)
	if err == nil && id == 0 {
		id, err = k.NextLienRequestID.Next(ctx)
	}
	if err != nil {
		return 0, fmt.Errorf("next lien request id: %w", err)
	}
	return id, nil
}
