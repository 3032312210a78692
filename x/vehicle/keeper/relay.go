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
	batch := packet.GetRecordBatch()
	if batch == nil {
		return k.RefusePacket(ctx, route, sequence, errorsmod.Wrap(types.ErrUnknownPacketType, "only record_batch packets travel to the hub"))
	}
	cacheCtx, write := ctx.CacheContext()
	results, err := k.receiveRecordBatch(cacheCtx, route, sequence, *batch)
	if err != nil {
		return k.RefusePacket(ctx, route, sequence, err)
	}
	write()
	return types.NewBatchAck(results)
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
	binding, err := k.binding(ctx, route, batch.DealerId)
	if err != nil {
		return nil, err
	}
	dealer, err := k.getDealer(ctx, batch.DealerId)
	if err != nil {
		return nil, err
	}
	if !dealer.Active {
		return nil, errorsmod.Wrapf(types.ErrDealerRevoked, "dealer %q was revoked on the hub; its records are no longer accepted", batch.DealerId)
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
	vin, err := k.ValidateRecord(in, ctx.BlockTime(), params)
	if err != nil {
		return rejectedResult(origin.DealerRecordId, err), nil
	}
	rec, err := k.AppendRecord(ctx, types.Record{DealerId: dealerID, Input: in, Origin: &origin}, vin)
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
