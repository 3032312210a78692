package keeper

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	channeltypesv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// The dealer side of the vehicle application: every local record gets a
// SyncState that moves PENDING -> IN_FLIGHT -> SYNCED | FLAGGED | REJECTED,
// and back to PENDING when its packet times out or the hub refuses the whole
// packet. A record is in at most one unsettled packet at a time, so the hub
// never has to choose between two copies; its dedupe index covers the rest.

// queueForHub marks a freshly appended local record pending on a dealer chain.
func (k Keeper) queueForHub(ctx context.Context, rec types.Record) error {
	if !k.forwardsToHub {
		return nil
	}
	state := types.SyncState{RecordId: rec.Id, Vin: rec.Input.Vin, Status: types.SYNC_STATUS_PENDING, UpdatedHeight: sdk.UnwrapSDKContext(ctx).BlockHeight()}
	return k.setSyncState(ctx, nil, state)
}

// setSyncState writes a record's sync state and keeps the status indexes in
// step; prev is the state it replaces (nil for a record that had none), whose
// pending-index key is dropped.
func (k Keeper) setSyncState(ctx context.Context, prev *types.SyncState, state types.SyncState) error {
	id := state.RecordId
	if prev != nil {
		if err := k.Pending.Remove(ctx, collections.Join(prev.Attempts, id)); err != nil {
			return fmt.Errorf("pending index of record %d: %w", id, err)
		}
	}
	if err := k.SyncStates.Set(ctx, id, state); err != nil {
		return fmt.Errorf("sync state of record %d: %w", id, err)
	}
	if state.Status == types.SYNC_STATUS_PENDING {
		if err := k.Pending.Set(ctx, collections.Join(state.Attempts, id)); err != nil {
			return fmt.Errorf("pending index of record %d: %w", id, err)
		}
	}
	if state.Status == types.SYNC_STATUS_IN_FLIGHT {
		return k.InFlight.Set(ctx, id)
	}
	return k.InFlight.Remove(ctx, id)
}

// changeSyncState applies change to a state just read and writes it back.
func (k Keeper) changeSyncState(ctx sdk.Context, state types.SyncState, change func(*types.SyncState)) error {
	prev := state
	change(&state)
	state.UpdatedHeight = ctx.BlockHeight()
	return k.setSyncState(ctx, &prev, state)
}

// SendPendingIfRouted sends pending records after a local batch. Without a
// hub route, or if IBC refuses the send (say, an expired light client), the
// records stay pending with the reason and the local batch still succeeds:
// a record accepted locally is never lost to a delivery problem.
func (k Keeper) SendPendingIfRouted(ctx sdk.Context) (uint64, error) {
	if !k.forwardsToHub {
		return 0, nil
	}
	route, err := k.hubRoute(ctx)
	if err != nil || route.IsEmpty() {
		return 0, err
	}
	cacheCtx, write := ctx.CacheContext()
	sequence, _, sendErr := k.SendPending(cacheCtx)
	if sendErr == nil {
		write() // also passes the cache context's events on to ctx
		return sequence, nil
	}
	ctx.Logger().Error("vehicle records stay pending: send to hub failed", "route", route.Key(), "error", sendErr)
	return 0, k.notePendingFailure(ctx, "send to hub failed: "+sendErr.Error())
}

// notePendingFailure writes why the pending records were not sent on the
// records next in line (at most one batch, so a long backlog behind a broken
// route does not make every local tx dearer).
func (k Keeper) notePendingFailure(ctx context.Context, reason string) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return fmt.Errorf("vehicle params: %w", err)
	}
	ids, err := k.pendingIDs(ctx, int(params.MaxRecordsPerBatch))
	if err != nil {
		return err
	}
	for _, id := range ids {
		state, err := k.SyncStates.Get(ctx, id)
		if err != nil {
			return fmt.Errorf("sync state of record %d: %w", id, err)
		}
		state.Reason = reason
		if err := k.SyncStates.Set(ctx, id, state); err != nil {
			return fmt.Errorf("sync state of record %d: %w", id, err)
		}
	}
	return nil
}

// SendPending sends pending records to the hub in one packet: those tried
// least, oldest first, up to max_records_per_batch, all of the dealer that
// owns the first (a packet speaks for one dealer). It returns the packet
// sequence and the record ids.
func (k Keeper) SendPending(ctx sdk.Context) (uint64, []uint64, error) {
	route, err := k.hubRoute(ctx)
	if err != nil {
		return 0, nil, err
	}
	if route.IsEmpty() {
		return 0, nil, errorsmod.Wrap(types.ErrNoHubRoute, "governance sets it with MsgSetHubRoute once the IBC link to the hub exists")
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, nil, fmt.Errorf("vehicle params: %w", err)
	}
	records, err := k.oldestPendingBatch(ctx, int(params.MaxRecordsPerBatch))
	if err != nil {
		return 0, nil, err
	}
	dealerID := records[0].DealerId
	packetRecords := make([]types.PacketRecord, len(records))
	ids := make([]uint64, len(records))
	for i, rec := range records {
		packetRecords[i] = types.PacketRecord{DealerRecordId: rec.Id, Reporter: rec.Reporter, Input: rec.Input}
		ids[i] = rec.Id
	}
	data := types.NewRecordBatchPacketData(dealerID, packetRecords)
	if err := data.ValidateBasic(); err != nil {
		return 0, nil, errorsmod.Wrap(err, "pending records do not form a valid packet")
	}
	bz, err := data.Marshal()
	if err != nil {
		return 0, nil, fmt.Errorf("encode record batch: %w", err)
	}
	sequence, err := k.sendPacket(ctx, route, bz, params)
	if err != nil {
		return 0, nil, err
	}
	for _, id := range ids {
		if err := k.updateSyncState(ctx, id, func(s *types.SyncState) {
			s.Status, s.Route, s.Sequence, s.Reason = types.SYNC_STATUS_IN_FLIGHT, route, sequence, ""
			s.Attempts++
		}); err != nil {
			return 0, nil, err
		}
	}
	return sequence, ids, ctx.EventManager().EmitTypedEvent(&types.EventRecordsSent{Route: route.Key(), Sequence: sequence, RecordIds: ids})
}

// oldestPendingBatch loads up to limit pending records, in pending-index
// order, of the dealer that owns the first. It looks at no more than
// 2*limit index entries, so a long backlog of another dealer's records
// never makes a send (and so a local record tx) dearer.
func (k Keeper) oldestPendingBatch(ctx context.Context, limit int) ([]types.Record, error) {
	var records []types.Record
	scanned := 0
	err := k.Pending.Walk(ctx, nil, func(key collections.Pair[uint32, uint64]) (bool, error) {
		id := key.K2()
		scanned++
		rec, err := k.Records.Get(ctx, id)
		if err != nil {
			return true, fmt.Errorf("pending record %d: %w", id, err)
		}
		if len(records) == 0 || rec.DealerId == records[0].DealerId {
			records = append(records, rec)
		}
		return len(records) >= limit || scanned >= 2*limit, nil
	})
	if err != nil {
		return nil, err
	}
	if len(records) == 0 {
		return nil, errorsmod.Wrap(types.ErrNothingPending, "every local record is in flight or settled with the hub")
	}
	return records, nil
}

// sendPacket sends data over route through IBC v2 or v1 core.
func (k Keeper) sendPacket(ctx sdk.Context, route types.Route, data []byte, params types.Params) (uint64, error) {
	timeout := packetTimeout(ctx, params)
	if route.IsV2() {
		payload := channeltypesv2.NewPayload(types.PortID, types.PortID, types.Version, types.EncodingProtobuf, data)
		msg := channeltypesv2.NewMsgSendPacket(route.ClientId, uint64(timeout.Unix()), ModuleAddress().String(), payload)
		res, err := k.ibc.PacketsV2.SendPacket(ctx, msg)
		if err != nil {
			return 0, errorsmod.Wrapf(err, "send over %s", route.Key())
		}
		return res.Sequence, nil
	}
	sequence, err := k.ibc.Channel.SendPacket(ctx, types.PortID, route.ChannelId, clienttypes.ZeroHeight(), uint64(timeout.UnixNano()), data)
	if err != nil {
		return 0, errorsmod.Wrapf(err, "send over %s", route.Key())
	}
	return sequence, nil
}

// OnAcknowledgementPacket settles the records of a packet this chain sent over
// route. Records become SYNCED, FLAGGED or REJECTED as the hub says; if the
// hub refused the whole packet (or its acknowledgement cannot be read) they
// go back to PENDING with the reason, so that nothing the dealer accepted is
// lost. The acknowledgement is never refused: failing here would leave the
// packet unacknowledged forever.
//
// Lien packets settle their lien request instead (lien_requests.go); an
// unreadable acknowledgement or a refusal is a failure with the reason.
func (k Keeper) OnAcknowledgementPacket(ctx sdk.Context, route types.Route, sequence uint64, data, acknowledgement []byte) error {
	packet, err := decodeSentPacket(data)
	if err != nil {
		return err
	}
	ack, err := decodeHubAck(acknowledgement, packet)
	var failure string
	if err != nil {
		failure = "hub acknowledgement unreadable: " + err.Error()
	} else if refusal := ack.GetError(); refusal != nil {
		failure = fmt.Sprintf("hub refused the %s (%s %d): %s", packetKind(packet), refusal.Codespace, refusal.Code, refusal.Message)
	}
	switch p := packet.Packet.(type) {
	case *types.VehiclePacketData_LienRequest:
		return k.settleLienRequest(ctx, route, sequence, *p.LienRequest, ack, failure)
	case *types.VehiclePacketData_LienRelease:
		return k.settleLienRelease(ctx, route, sequence, *p.LienRelease, ack, failure)
	}
	batch := packet.GetRecordBatch()
	if failure != "" {
		return k.returnToPending(ctx, route, sequence, *batch, failure)
	}
	event := types.EventSyncUpdated{Route: route.Key(), Sequence: sequence}
	for _, res := range ack.GetRecordBatch().Results {
		if err := k.settle(ctx, route, sequence, res.DealerRecordId, func(s *types.SyncState) { applyResult(s, res) }); err != nil {
			return err
		}
		countSettled(&event, res.Outcome)
	}
	return ctx.EventManager().EmitTypedEvent(&event)
}

// decodeHubAck reads an acknowledgement, mapping IBC v2's universal error
// acknowledgement (written when a receive callback fails) to a refusal.
func decodeHubAck(acknowledgement []byte, packet types.VehiclePacketData) (types.VehicleAcknowledgement, error) {
	if bytes.Equal(acknowledgement, channeltypesv2.ErrorAcknowledgement[:]) {
		return *types.NewErrorAck(errorsmod.Wrap(types.ErrInvalidAcknowledgement, "IBC v2 universal error acknowledgement: the hub failed to process the packet")), nil
	}
	return types.DecodeAcknowledgement(acknowledgement, packet)
}

// OnTimeoutPacket returns the records of a packet that timed out to PENDING;
// MsgResendPending or the next local batch sends them again.
// Lien packets that time out settle their lien request (timeOutLienPacket).
func (k Keeper) OnTimeoutPacket(ctx sdk.Context, route types.Route, sequence uint64, data []byte) error {
	packet, err := decodeSentPacket(data)
	if err != nil {
		return err
	}
	batch := packet.GetRecordBatch()
	if batch == nil {
		return k.timeOutLienPacket(ctx, route, sequence, packet)
	}
	return k.returnToPending(ctx, route, sequence, *batch, fmt.Sprintf("packet %d over %s timed out", sequence, route.Key()))
}

// decodeSentPacket decodes a packet this chain sent without re-validating it:
// rules that tightened since (an upgrade) must not leave the packet unable
// to settle. Only data that sets no known packet type at all is an error.
func decodeSentPacket(data []byte) (types.VehiclePacketData, error) {
	var packet types.VehiclePacketData
	if err := packet.Unmarshal(data); err != nil {
		return packet, errorsmod.Wrapf(types.ErrInvalidPacketData, "packet this chain sent: %s", err)
	}
	switch p := packet.Packet.(type) {
	case *types.VehiclePacketData_RecordBatch:
		if p.RecordBatch != nil {
			return packet, nil
		}
	case *types.VehiclePacketData_LienRequest:
		if p.LienRequest != nil {
			return packet, nil
		}
	case *types.VehiclePacketData_LienRelease:
		if p.LienRelease != nil {
			return packet, nil
		}
	}
	return packet, errorsmod.Wrap(types.ErrUnknownPacketType, "packet this chain sent sets no known packet type")
}

// packetKind names a packet's type in reasons.
func packetKind(packet types.VehiclePacketData) string {
	switch packet.Packet.(type) {
	case *types.VehiclePacketData_LienRequest:
		return "lien request"
	case *types.VehiclePacketData_LienRelease:
		return "lien release"
	default:
		return "batch"
	}
}

func (k Keeper) returnToPending(ctx sdk.Context, route types.Route, sequence uint64, batch types.RecordBatchPacket, reason string) error {
	for _, rec := range batch.Records {
		if err := k.settle(ctx, route, sequence, rec.DealerRecordId, func(s *types.SyncState) {
			s.Status, s.Reason = types.SYNC_STATUS_PENDING, reason
		}); err != nil {
			return err
		}
	}
	return ctx.EventManager().EmitTypedEvent(&types.EventSyncUpdated{Route: route.Key(), Sequence: sequence, Pending: uint32(len(batch.Records)), Reason: reason})
}

// settle applies change to a record that is in flight in this very packet.
// A record that is not (its state was replaced, say by a genesis import) is
// left alone: a packet only ever settles its own records.
func (k Keeper) settle(ctx sdk.Context, route types.Route, sequence, recordID uint64, change func(*types.SyncState)) error {
	state, err := k.SyncStates.Get(ctx, recordID)
	if errors.Is(err, collections.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sync state of record %d: %w", recordID, err)
	}
	if state.Status != types.SYNC_STATUS_IN_FLIGHT || state.Sequence != sequence || state.Route.Key() != route.Key() {
		return nil
	}
	return k.changeSyncState(ctx, state, change)
}

func (k Keeper) updateSyncState(ctx sdk.Context, recordID uint64, change func(*types.SyncState)) error {
	state, err := k.SyncStates.Get(ctx, recordID)
	if err != nil {
		return fmt.Errorf("sync state of record %d: %w", recordID, err)
	}
	return k.changeSyncState(ctx, state, change)
}

func applyResult(s *types.SyncState, res types.PacketRecordResult) {
	s.HubRecordId, s.Flags, s.Reason = res.HubRecordId, res.Flags, res.Reason
	switch res.Outcome {
	case types.RECORD_OUTCOME_ACCEPTED:
		s.Status = types.SYNC_STATUS_SYNCED
	case types.RECORD_OUTCOME_FLAGGED:
		s.Status = types.SYNC_STATUS_FLAGGED
	case types.RECORD_OUTCOME_REJECTED:
		s.Status = types.SYNC_STATUS_REJECTED
	default:
		s.Status, s.Reason = types.SYNC_STATUS_PENDING, fmt.Sprintf("hub answered with unknown outcome %d", res.Outcome)
	}
}

func countSettled(e *types.EventSyncUpdated, outcome types.RecordOutcome) {
	switch outcome {
	case types.RECORD_OUTCOME_ACCEPTED:
		e.Synced++
	case types.RECORD_OUTCOME_FLAGGED:
		e.Flagged++
	case types.RECORD_OUTCOME_REJECTED:
		e.Rejected++
	default:
		e.Pending++
	}
}

// hubRoute returns the configured route to the hub, empty if none.
func (k Keeper) hubRoute(ctx context.Context) (types.Route, error) {
	route, err := k.HubRoute.Get(ctx)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Route{}, nil
	}
	if err != nil {
		return types.Route{}, fmt.Errorf("hub route: %w", err)
	}
	return route, nil
}

// pendingIDs lists up to limit pending record ids in pending-index order.
func (k Keeper) pendingIDs(ctx context.Context, limit int) ([]uint64, error) {
	var ids []uint64
	err := k.Pending.Walk(ctx, nil, func(key collections.Pair[uint32, uint64]) (bool, error) {
		ids = append(ids, key.K2())
		return len(ids) >= limit, nil
	})
	if err != nil {
		return nil, fmt.Errorf("pending records: %w", err)
	}
	return ids, nil
}
