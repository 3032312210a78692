package keeper

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// OnRecvPacket applies a vehicle packet that arrived over route (this chain's
// end of the link: the v2 destination client or the v1 destination channel)
// with the given sequence. It is the one receive path for IBC v1 and v2.
//
// A packet is either applied and answered with a per-record result, or refused
// as a whole with an error acknowledgement. A refusal writes no state: the
// batch runs in a cache context that is only written when it is applied. That
// holds on IBC v2 too, where the refusal travels in a successful payload
// result so that the dealer chain learns why (the v2 universal error
// acknowledgement carries no reason).
func (k Keeper) OnRecvPacket(ctx sdk.Context, route types.Route, sequence uint64, data []byte) *types.VehicleAcknowledgement {
	packet, err := types.DecodePacketData(data)
	if err != nil {
		return k.RefusePacket(ctx, route, sequence, err)
	}
	cacheCtx, write := ctx.CacheContext()
	var ack *types.VehicleAcknowledgement
	switch p := packet.Packet.(type) {
	case *types.VehiclePacketData_RecordBatch:
		var results []types.PacketRecordResult
		if results, err = k.receiveRecordBatch(cacheCtx, route, sequence, *p.RecordBatch); err == nil {
			ack = types.NewBatchAck(results)
		}
	case *types.VehiclePacketData_LienRequest:
		ack, err = k.receiveLienRequest(cacheCtx, route, *p.LienRequest)
	case *types.VehiclePacketData_LienRelease:
		ack, err = k.receiveLienRelease(cacheCtx, route, *p.LienRelease)
	default: // DecodePacketData lets no other type through
		err = errorsmod.Wrapf(types.ErrUnknownPacketType, "%T", p)
	}
	if err != nil {
		return k.RefusePacket(ctx, route, sequence, err)
	}
	write()
	return ack
}

// receiveLienRequest grants the bound, active dealer a lien, or answers with
// the refusal. A refusal because the VIN is held (naming the current holder)
// or because the VIN backs a hub asset whose owner has not consented is an
// answer (the VIN's state is what the dealer asked about), so it is not an
// error acknowledgement; its code says which. An error here refuses the packet.
func (k Keeper) receiveLienRequest(ctx sdk.Context, route types.Route, req types.LienRequestPacket) (*types.VehicleAcknowledgement, error) {
	binding, err := k.activeBinding(ctx, route, req.DealerId)
	if err != nil {
		return nil, err
	}
	// The chain id is the light client's (from the binding), never the packet's.
	holder := types.LienHolder{ChainId: binding.ChainId, DealerId: req.DealerId, Lender: req.Lender, Reference: req.Reference}
	lien, err := k.grantLien(ctx, req.Vin, holder, &route)
	switch {
	case errors.Is(err, types.ErrLienHeld):
		held, found, lookupErr := k.ActiveLien(ctx, req.Vin)
		if lookupErr != nil || !found {
			return nil, fmt.Errorf("active lien of %s after a refusal: found %t: %w", req.Vin, found, lookupErr)
		}
		return types.NewLienRequestAck(types.LienRequestAck{
			LienId: held.Id, RefusedReason: err.Error(), Holder: held.Holder, Code: types.ErrLienHeld.ABCICode(),
		}), nil
	case errors.Is(err, types.ErrLienNotAuthorized):
		return types.NewLienRequestAck(types.LienRequestAck{RefusedReason: err.Error(), Code: types.ErrLienNotAuthorized.ABCICode()}), nil
	case err != nil:
		return nil, err
	}
	return types.NewLienRequestAck(types.LienRequestAck{Granted: true, LienId: lien.Id, Holder: lien.Holder}), nil
}

// receiveLienRelease releases a lien for the dealer the packet speaks for,
// which must hold it; a lien already released is answered as released again,
// so a dealer chain may retry a release whose answer it never got.
func (k Keeper) receiveLienRelease(ctx sdk.Context, route types.Route, rel types.LienReleasePacket) (*types.VehicleAcknowledgement, error) {
	before, err := k.Lien(ctx, rel.LienId)
	if err != nil {
		return nil, err
	}
	by, err := k.releasingDealer(ctx, route, rel.DealerId, before)
	if err != nil {
		return nil, err
	}
	if _, err := k.ReleaseLien(ctx, rel.LienId, by, rel.Reason); err != nil {
		return nil, err
	}
	return types.NewLienReleaseAck(types.LienReleaseAck{LienId: rel.LienId, Released: true, AlreadyReleased: !before.IsActive()}), nil
}

// releasingDealer is the holder a release packet over route speaks for. Over
// the route the lien was granted through, that route identifies the dealer's
// chain (its light client's, recorded on the lien) whether or not the dealer
// is still bound or active: unbinding or revoking a dealer must not lock its
// liens in. Over any other route the dealer must be bound to it (a revoked
// dealer may still release), and the binding names the chain.
func (k Keeper) releasingDealer(ctx sdk.Context, route types.Route, dealerID string, lien types.Lien) (types.LienHolder, error) {
	if lien.GrantedRoute != nil && lien.GrantedRoute.Key() == route.Key() {
		return types.LienHolder{ChainId: lien.Holder.ChainId, DealerId: dealerID}, nil
	}
	binding, err := k.binding(ctx, route, dealerID)
	if err != nil {
		return types.LienHolder{}, err
	}
	return types.LienHolder{ChainId: binding.ChainId, DealerId: dealerID}, nil
}

// activeBinding is the binding of a dealer to the route, which must also be
// active on the hub: the checks every packet that adds to the hub's state passes.
func (k Keeper) activeBinding(ctx sdk.Context, route types.Route, dealerID string) (types.DealerBinding, error) {
	binding, err := k.binding(ctx, route, dealerID)
	if err != nil {
		return types.DealerBinding{}, err
	}
	dealer, err := k.getDealer(ctx, dealerID)
	if err != nil {
		return types.DealerBinding{}, err
	}
	if !dealer.Active {
		return types.DealerBinding{}, errorsmod.Wrapf(types.ErrDealerRevoked, "dealer %q was revoked on the hub; its packets are no longer accepted", dealerID)
	}
	return binding, nil
}

// RefusePacket logs and reports a refused packet and builds its error acknowledgement.
func (k Keeper) RefusePacket(ctx sdk.Context, route types.Route, sequence uint64, err error) *types.VehicleAcknowledgement {
	ctx.Logger().Info("vehicle packet refused", "route", route.Key(), "sequence", sequence, "error", err)
	ack := types.NewErrorAck(err)
	if emitErr := ctx.EventManager().EmitTypedEvent(&types.EventBatchRefused{Route: route.Key(), Sequence: sequence, Reason: err.Error()}); emitErr != nil {
		return types.NewErrorAck(emitErr)
	}
	return ack
}

// receiveRecordBatch checks that the batch's dealer is bound to the route and
// still active and that the batch fits the hub's limit, then settles each
// record on its own: a record that fails validation is rejected with its
// reason while the others are appended. An error means the whole packet is
// refused.
func (k Keeper) receiveRecordBatch(ctx sdk.Context, route types.Route, sequence uint64, batch types.RecordBatchPacket) ([]types.PacketRecordResult, error) {
	binding, err := k.activeBinding(ctx, route, batch.DealerId)
	if err != nil {
		return nil, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, fmt.Errorf("vehicle params: %w", err)
	}
	if len(batch.Records) > int(params.MaxRecordsPerBatch) {
		return nil, errorsmod.Wrapf(types.ErrBatchTooLarge, "%d records; the hub accepts at most %d per packet", len(batch.Records), params.MaxRecordsPerBatch)
	}
	event := types.EventBatchReceived{ChainId: binding.ChainId, Route: route.Key(), Sequence: sequence, DealerId: batch.DealerId}
	results := make([]types.PacketRecordResult, len(batch.Records))
	for i, rec := range batch.Records {
		origin := types.Origin{ChainId: binding.ChainId, Route: route, Sequence: sequence, DealerRecordId: rec.DealerRecordId, Reporter: rec.Reporter}
		if results[i], err = k.receiveRecord(ctx, batch.DealerId, origin, rec.Input, params); err != nil {
			return nil, errorsmod.Wrapf(err, "record %d", rec.DealerRecordId)
		}
		countOutcome(&event, results[i])
	}
	return results, ctx.EventManager().EmitTypedEvent(&event)
}

// receiveRecord settles one record. A record the hub already holds from the
// same dealer chain (a resend) is answered with the hub's earlier result and
// not appended again. An error here is a store failure, never bad input.
func (k Keeper) receiveRecord(ctx sdk.Context, dealerID string, origin types.Origin, in types.RecordInput, params types.Params) (types.PacketRecordResult, error) {
	hubID, err := k.Origins.Get(ctx, collections.Join(origin.ChainId, origin.DealerRecordId))
	switch {
	case err == nil:
		rec, err := k.Records.Get(ctx, hubID)
		if err != nil {
			return types.PacketRecordResult{}, fmt.Errorf("hub record %d: %w", hubID, err)
		}
		if !sameRecord(rec, dealerID, in) {
			// Same chain id and record id, different record: a dealer chain
			// relaunched under an old chain id. Answering "duplicate" would
			// mark a record synced that the hub never received.
			return rejectedResult(origin.DealerRecordId, errorsmod.Wrapf(types.ErrInvalidRecord,
				"origin collision: record %d of chain %s is already hub record %d with other content; a dealer chain must not reuse a chain id",
				origin.DealerRecordId, origin.ChainId, hubID)), nil
		}
		res := appendedResult(origin.DealerRecordId, rec)
		res.Duplicate = true
		return res, nil
	case !errors.Is(err, collections.ErrNotFound):
		return types.PacketRecordResult{}, fmt.Errorf("origin %s/%d: %w", origin.ChainId, origin.DealerRecordId, err)
	}
	vin, err := k.ValidateRecord(in, dealerID, ctx.BlockTime(), params)
	if err == nil {
		err = k.CheckSealedRecipients(ctx, in, true)
	}
	if err != nil {
		return rejectedResult(origin.DealerRecordId, err), nil
	}
	rec, err := k.AppendRecord(ctx, types.Record{DealerId: dealerID, Input: in, Origin: &origin}, vin, params)
	if err != nil {
		return types.PacketRecordResult{}, err
	}
	return appendedResult(origin.DealerRecordId, rec), nil
}

// sameRecord reports whether a stored record is the one re-sent: same dealer
// and the same input, byte for byte once the VIN is in its canonical form.
func sameRecord(rec types.Record, dealerID string, in types.RecordInput) bool {
	if rec.DealerId != dealerID {
		return false
	}
	if vin, err := types.ParseVIN(in.Vin); err == nil {
		in.Vin = vin.Value
	}
	stored, errStored := rec.Input.Marshal()
	sent, errSent := in.Marshal()
	return errStored == nil && errSent == nil && bytes.Equal(stored, sent)
}

func appendedResult(dealerRecordID uint64, rec types.Record) types.PacketRecordResult {
	res := types.PacketRecordResult{DealerRecordId: dealerRecordID, Outcome: types.RECORD_OUTCOME_ACCEPTED, HubRecordId: rec.Id}
	if len(rec.Flags) > 0 {
		res.Outcome, res.Flags = types.RECORD_OUTCOME_FLAGGED, rec.Flags
	}
	return res
}

func rejectedResult(dealerRecordID uint64, err error) types.PacketRecordResult {
	_, code, _ := errorsmod.ABCIInfo(err, false)
	return types.PacketRecordResult{DealerRecordId: dealerRecordID, Outcome: types.RECORD_OUTCOME_REJECTED, Reason: err.Error(), Code: code}
}

func countOutcome(e *types.EventBatchReceived, res types.PacketRecordResult) {
	switch res.Outcome {
	case types.RECORD_OUTCOME_ACCEPTED:
		e.Accepted++
	case types.RECORD_OUTCOME_FLAGGED:
		e.Flagged++
	case types.RECORD_OUTCOME_REJECTED:
		e.Rejected++
	}
	if res.Duplicate {
		e.Duplicates++
	}
}

// packetTimeout is when a packet sent now times out.
func packetTimeout(ctx sdk.Context, params types.Params) time.Time {
	return ctx.BlockTime().Add(params.PacketTimeout)
}
