package keeper

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// RecordBatch validates a whole batch of records written by reporter for
// dealerID and, only if every record passes, appends them all. A suspicious
// record (odometer rollback, a non-mandatory check digit that does not match)
// is kept and flagged, never dropped.
func (k Keeper) RecordBatch(ctx context.Context, dealerID string, reporter sdk.AccAddress, inputs []types.RecordInput) ([]types.RecordResult, error) {
	params, err := k.admitBatch(ctx, dealerID, reporter, len(inputs))
	if err != nil {
		return nil, err
	}
	blockTime := sdk.UnwrapSDKContext(ctx).BlockTime()
	vins := make([]types.VIN, len(inputs))
	for i, in := range inputs {
		if vins[i], err = k.ValidateRecord(in, dealerID, blockTime, params); err != nil {
			return nil, errorsmod.Wrapf(err, "record %d", i)
		}
		if err := k.CheckSealedRecipients(ctx, in, false); err != nil {
			return nil, errorsmod.Wrapf(err, "record %d", i)
		}
	}
	reporterStr, err := k.addressCodec.BytesToString(reporter)
	if err != nil {
		return nil, errorsmod.Wrap(types.ErrInvalidAddress, err.Error())
	}
	results := make([]types.RecordResult, 0, len(inputs))
	for i, in := range inputs {
		rec, err := k.AppendRecord(ctx, types.Record{DealerId: dealerID, Reporter: reporterStr, Input: in}, vins[i], params)
		if err != nil {
			return nil, errorsmod.Wrapf(err, "record %d", i)
		}
		if err := k.queueForHub(ctx, rec); err != nil {
			return nil, err
		}
		results = append(results, types.RecordResult{Id: rec.Id, Flags: rec.Flags})
	}
	return results, nil
}

// admitBatch refuses a batch of n records before any record is read: an
// empty batch, one over the batch limit, or one whose reporter is not an
// active reporter of an active dealer. It returns the params the batch is
// then judged by.
func (k Keeper) admitBatch(ctx context.Context, dealerID string, reporter sdk.AccAddress, n int) (types.Params, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return types.Params{}, fmt.Errorf("vehicle params: %w", err)
	}
	if n == 0 {
		return types.Params{}, errorsmod.Wrap(types.ErrEmptyBatch, "a batch needs at least one record")
	}
	if n > int(params.MaxRecordsPerBatch) {
		return types.Params{}, errorsmod.Wrapf(types.ErrBatchTooLarge, "%d records; split the batch into parts of at most %d", n, params.MaxRecordsPerBatch)
	}
	if err := k.CheckReporter(ctx, dealerID, reporter); err != nil {
		return types.Params{}, err
	}
	return params, nil
}

// ValidateRecord runs every check on one record of dealerID that does not
// depend on the VIN's history: the stateless rules and the clock-skew bound.
func (k Keeper) ValidateRecord(in types.RecordInput, dealerID string, blockTime time.Time, params types.Params) (types.VIN, error) {
	vin, err := in.Validate(dealerID)
	if err != nil {
		return types.VIN{}, err
	}
	return vin, in.CheckClock(blockTime, params.MaxClockSkew)
}

// CheckSealedRecipients wants every recipient key of a record's sealed
// envelope registered on this chain, where it has a key registry (the hub),
// and every regulator among them; relayed: the record was sealed elsewhere
// before it got here (IBC, notarised ledger).
func (k Keeper) CheckSealedRecipients(ctx context.Context, in types.RecordInput, relayed bool) error {
	if in.Sealed == nil || k.hub.keys == nil {
		return nil
	}
	check := k.hub.keys.CheckRecipients
	if relayed {
		check = k.hub.keys.CheckRelayedRecipients
	}
	if err := check(ctx, in.Sealed); err != nil {
		return errorsmod.Wrapf(types.ErrInvalidSealed, "VIN %s: %s", in.Vin, err)
	}
	return nil
}

// AppendRecord appends one validated record to its VIN's history, flagging it
// against the history so far, and updates the VIN's summary. draft names the
// dealer, reporter, input and origin (IBC or attested ledger); the keeper
// assigns the id, flags and block. An odometer flag against another dealer's
// record opens a dispute instead of penalising the dealer at once.
func (k Keeper) AppendRecord(ctx context.Context, draft types.Record, vin types.VIN, params types.Params) (types.Record, error) {
	in := draft.Input
	in.Vin = vin.Value
	var flags []types.RecordFlag
	if !vin.CheckDigitValid {
		want, _ := types.CheckDigit(vin.Value)
		flags = append(flags, types.RecordFlag{
			Code:   types.FLAG_CODE_VIN_CHECK_DIGIT,
			Detail: fmt.Sprintf("position 9 is %c, ISO 3779 computes %c", vin.Value[8], want),
		})
	}
	summary, err := k.summary(ctx, vin.Value)
	if err != nil {
		return types.Record{}, err
	}
	odometerFlag, conflicting, err := k.odometerFlag(ctx, summary, in, params)
	if err != nil {
		return types.Record{}, err
	}
	if odometerFlag != nil {
		flags = append(flags, *odometerFlag)
	}
	id, err := k.NextRecordID.Next(ctx)
	if err != nil {
		return types.Record{}, fmt.Errorf("next record id: %w", err)
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	rec := types.Record{
		Id:             id,
		DealerId:       draft.DealerId,
		Reporter:       draft.Reporter,
		Input:          in,
		Flags:          flags,
		RecordedHeight: sdkCtx.BlockHeight(),
		RecordedAt:     sdkCtx.BlockTime().UTC(),
		Origin:         draft.Origin,
		LedgerOrigin:   draft.LedgerOrigin,
		TitleOrigin:    draft.TitleOrigin,
	}
	disputed := odometerFlag != nil && odometerFlag.Disputes(rec.DealerId)
	if disputed {
		// Beyond the cap the flag stays but opens no dispute (and, like a
		// dispute, penalises nobody): a planted reading cannot grow the
		// conflicting record's review without end.
		if disputed, err = k.hasDisputeRoom(ctx, conflicting); err != nil {
			return types.Record{}, err
		}
	}
	if disputed {
		rec.Review = &types.RecordReview{Status: types.REVIEW_STATUS_DISPUTED, DisputeIds: []uint64{id}}
	}
	// A record just appended is never upheld, so no verdict clears its flags.
	if err := k.storeRecord(ctx, rec, summary, nil); err != nil {
		return types.Record{}, err
	}
	if err := k.anchorEvidence(ctx, rec); err != nil {
		return types.Record{}, err
	}
	appended := types.EventRecordAppended{
		Id:         rec.Id,
		Vin:        in.Vin,
		DealerId:   rec.DealerId,
		Kind:       in.Kind,
		OdometerKm: in.OdometerKm,
		Flags:      flagCodes(flags),
	}
	sdkCtx.EventManager().EmitEvent(appended.Event())
	if disputed {
		if err := k.openDispute(sdkCtx, rec, *odometerFlag, conflicting); err != nil {
			return types.Record{}, err
		}
	}
	if !rec.PenalisedOnAppend() {
		return rec, nil
	}
	return rec, k.penalise(sdkCtx, rec.DealerId, rec.Id)
}

// anchorEvidence anchors an appended record's evidence hash on the hub, so
// the document's existence is provable from the record's block on (or from
// an earlier anchoring of the same hash, which stays the first).
func (k Keeper) anchorEvidence(ctx context.Context, rec types.Record) error {
	anchors := k.hub.anchors
	if anchors == nil || len(rec.Input.EvidenceHash) == 0 {
		return nil
	}
	if err := anchors.AnchorRecordEvidence(ctx, rec.Input.EvidenceHash, rec.Input.Vin, recordSubmitter(rec), rec.Id); err != nil {
		return fmt.Errorf("anchor evidence of record %d: %w", rec.Id, err)
	}
	return nil
}

// recordSubmitter names who submitted a record: its hub reporter, the
// dealer chain's reporter of a record that came over IBC (it has no hub
// reporter), the ledger of a notary-attested record, else its dealer.
func recordSubmitter(rec types.Record) string {
	switch {
	case rec.Reporter != "":
		return rec.Reporter
	case rec.Origin != nil && rec.Origin.Reporter != "":
		return rec.Origin.Reporter
	case rec.LedgerOrigin != nil:
		return "ledger/" + rec.LedgerOrigin.LedgerId
	default:
		return "dealer/" + rec.DealerId
	}
}

// penalise tells the credit hooks that a record of a dealer counts against
// it: flagged without dispute, or judged wrong. Dealers without a hub account
// are not reported. The hook runs in a cache context: when it fails, what it
// wrote is dropped and the failure is logged and emitted, but the record (or
// verdict) stays — a credit problem must never lose a vehicle record or
// refuse a packet.
func (k Keeper) penalise(ctx sdk.Context, dealerID string, recordID uint64) error {
	hooks := k.hub.hooks
	if hooks == nil || dealerID == "" {
		// The hub's own ownership records name no dealer to penalise.
		return nil
	}
	dealer, err := k.getDealer(ctx, dealerID)
	if err != nil {
		return err
	}
	if dealer.Account == "" {
		return nil
	}
	hookErr := func() error {
		account, err := k.addressCodec.StringToBytes(dealer.Account)
		if err != nil {
			return errorsmod.Wrapf(types.ErrInvalidAddress, "account %q of dealer %q: %s", dealer.Account, dealer.Id, err)
		}
		cacheCtx, write := ctx.CacheContext()
		if err := hooks.AfterDealerRecordFlagged(cacheCtx, account, dealer.Id, recordID); err != nil {
			return err
		}
		write()
		return nil
	}()
	if hookErr == nil {
		return nil
	}
	ctx.Logger().Error("vehicle: credit hook failed on a flagged record; the record is kept", "dealer", dealer.Id, "record", recordID, "error", hookErr)
	return ctx.EventManager().EmitTypedEvent(&types.EventCreditHookFailed{DealerId: dealer.Id, RecordId: recordID, Error: hookErr.Error()})
}

// storeRecord writes a record, its history, origin, flag and wrong-reading
// index entries and its VIN's summary (summary is the VIN's summary before
// this record; judgedWrong the ids of records judged wrong, see
// ApplyToSummary). Genesis import replays records through it, so summaries
// are always derived the same way.
func (k Keeper) storeRecord(ctx context.Context, rec types.Record, summary types.VehicleSummary, judgedWrong map[uint64]bool) error {
	vin := rec.Input.Vin
	if err := k.Records.Set(ctx, rec.Id, rec); err != nil {
		return fmt.Errorf("store record %d: %w", rec.Id, err)
	}
	if err := k.History.Set(ctx, collections.Join(vin, HistoryKey(rec.Input.OccurredAt, rec.Id)), rec.Input.OdometerKm); err != nil {
		return fmt.Errorf("index record %d: %w", rec.Id, err)
	}
	if o := rec.Origin; o != nil {
		if err := k.Origins.Set(ctx, collections.Join(o.ChainId, o.DealerRecordId), rec.Id); err != nil {
			return fmt.Errorf("origin of record %d: %w", rec.Id, err)
		}
	}
	if len(rec.Flags) > 0 {
		if err := k.FlaggedRecords.Set(ctx, collections.Join(rec.DealerId, rec.Id)); err != nil {
			return fmt.Errorf("flag index of record %d: %w", rec.Id, err)
		}
	}
	if rec.JudgedWrong() {
		if err := k.WrongReadings.Set(ctx, collections.Join(vin, rec.Id)); err != nil {
			return fmt.Errorf("wrong-reading index of record %d: %w", rec.Id, err)
		}
	}
	return k.Summaries.Set(ctx, vin, ApplyToSummary(summary, rec, judgedWrong))
}

// summary returns a VIN's summary, or an empty one if the VIN has no records yet.
func (k Keeper) summary(ctx context.Context, vin string) (types.VehicleSummary, error) {
	summary, err := k.Summaries.Get(ctx, vin)
	if errors.Is(err, collections.ErrNotFound) {
		return types.VehicleSummary{Vin: vin}, nil
	}
	if err != nil {
		return types.VehicleSummary{}, fmt.Errorf("summary of %s: %w", vin, err)
	}
	return summary, nil
}

// reading is one odometer reading of a VIN's history.
type reading struct {
	km       uint64
	at       time.Time
	recordID uint64
}

// odometerFlag compares a reading with the readings dated around it, leaving
// out readings judged wrong, and returns the flag, if any, with the record it
// conflicts with. Records usually arrive in time order, which the summary
// answers in O(1); a back-dated record is compared with the VIN's indexed
// readings.
func (k Keeper) odometerFlag(ctx context.Context, summary types.VehicleSummary, in types.RecordInput, params types.Params) (*types.RecordFlag, types.Record, error) {
	if in.OdometerKm == 0 || summary.MaxOdometerKm == 0 {
		return nil, types.Record{}, nil
	}
	var (
		flag *types.RecordFlag
		err  error
	)
	// Only a reading dated no earlier than every reading on record may take the
	// O(1) path; one dated before any of them is back-dated, even if it is
	// dated after the maximum.
	if !in.OccurredAt.Before(summary.LatestOdometerAt) {
		highest := reading{km: summary.MaxOdometerKm, at: summary.MaxOdometerAt, recordID: summary.MaxOdometerRecordId}
		if flag = checkAgainstHighest(in, highest, params); flag != nil && highest.recordID == 0 {
			flag.ConflictingRecordId, err = k.maxOdometerRecord(ctx, summary)
		}
	} else {
		flag, err = k.backdatedOdometerFlag(ctx, summary.Vin, in, params)
	}
	if err != nil || flag == nil {
		return nil, types.Record{}, err
	}
	conflicting, err := k.Records.Get(ctx, flag.ConflictingRecordId)
	if err != nil {
		return nil, types.Record{}, fmt.Errorf("record %d read %d km of %s: %w", flag.ConflictingRecordId, flag.PreviousOdometerKm, summary.Vin, err)
	}
	flag.ConflictingDealerId = conflicting.DealerId
	return flag, conflicting, nil
}

// maxOdometerRecord finds the record holding a summary's maximum when the
// summary predates max_odometer_record_id: the lowest id with that reading,
// as replaying records in id order would have picked.
func (k Keeper) maxOdometerRecord(ctx context.Context, summary types.VehicleSummary) (uint64, error) {
	var id uint64
	err := k.History.Walk(ctx, collections.NewPrefixedPairRange[string, []byte](summary.Vin), func(key collections.Pair[string, []byte], km uint64) (bool, error) {
		if rid := historyKeyID(key.K2()); km == summary.MaxOdometerKm && (id == 0 || rid < id) {
			id = rid
		}
		return false, nil
	})
	if err != nil {
		return 0, fmt.Errorf("history of %s: %w", summary.Vin, err)
	}
	return id, nil
}

// backdatedOdometerFlag compares a back-dated reading with the highest reading
// dated before it and the lowest dated after it, skipping readings judged wrong.
func (k Keeper) backdatedOdometerFlag(ctx context.Context, vin string, in types.RecordInput, params types.Params) (*types.RecordFlag, error) {
	wrong, err := k.wrongReadings(ctx, vin)
	if err != nil {
		return nil, err
	}
	var highestBefore, lowestAfter reading
	at := in.OccurredAt.UnixNano()
	err = k.History.Walk(ctx, collections.NewPrefixedPairRange[string, []byte](vin), func(key collections.Pair[string, []byte], km uint64) (bool, error) {
		id := historyKeyID(key.K2())
		if km == 0 || wrong[id] {
			return false, nil
		}
		when := historyKeyTime(key.K2())
		if when.UnixNano() <= at {
			if km > highestBefore.km {
				highestBefore = reading{km: km, at: when, recordID: id}
			}
			return false, nil
		}
		if lowestAfter.km == 0 || km < lowestAfter.km {
			lowestAfter = reading{km: km, at: when, recordID: id}
		}
		return false, nil
	})
	if err != nil {
		return nil, fmt.Errorf("history of %s: %w", vin, err)
	}
	if highestBefore.km != 0 && in.OdometerKm < highestBefore.km {
		return rollbackFlag(in.OdometerKm, highestBefore), nil
	}
	if lowestAfter.km != 0 && in.OdometerKm > lowestAfter.km {
		return &types.RecordFlag{
			Code:                types.FLAG_CODE_ODOMETER_OUT_OF_ORDER,
			Detail:              fmt.Sprintf("back-dated reading %d km is above %d km read later, at %s", in.OdometerKm, lowestAfter.km, lowestAfter.at.Format(time.RFC3339)),
			PreviousOdometerKm:  lowestAfter.km,
			ConflictingRecordId: lowestAfter.recordID,
		}, nil
	}
	if highestBefore.km == 0 {
		return nil, nil
	}
	return checkAgainstHighest(in, highestBefore, params), nil
}

// wrongReadings returns the ids of a VIN's records judged wrong (usually none).
func (k Keeper) wrongReadings(ctx context.Context, vin string) (map[uint64]bool, error) {
	wrong := map[uint64]bool{}
	err := k.WrongReadings.Walk(ctx, collections.NewPrefixedPairRange[string, uint64](vin), func(key collections.Pair[string, uint64]) (bool, error) {
		wrong[key.K2()] = true
		return false, nil
	})
	if err != nil {
		return nil, fmt.Errorf("wrong readings of %s: %w", vin, err)
	}
	return wrong, nil
}

// checkAgainstHighest flags a reading below the highest earlier-dated one
// (rollback) or further above it than a car drives in the time between them
// (implausible).
func checkAgainstHighest(in types.RecordInput, highest reading, params types.Params) *types.RecordFlag {
	if in.OdometerKm < highest.km {
		return rollbackFlag(in.OdometerKm, highest)
	}
	elapsed := in.OccurredAt.Sub(highest.at)
	if ceiling := params.OdometerCeiling(highest.km, elapsed); in.OdometerKm > ceiling {
		return &types.RecordFlag{
			Code: types.FLAG_CODE_ODOMETER_IMPLAUSIBLE,
			Detail: fmt.Sprintf("reading %d km is above %d km, the most a car read at %d km at %s can show %s later",
				in.OdometerKm, ceiling, highest.km, highest.at.UTC().Format(time.RFC3339), elapsed.Round(time.Second)),
			PreviousOdometerKm:  highest.km,
			ConflictingRecordId: highest.recordID,
		}
	}
	return nil
}

func rollbackFlag(km uint64, previous reading) *types.RecordFlag {
	return &types.RecordFlag{
		Code:                types.FLAG_CODE_ODOMETER_ROLLBACK,
		Detail:              fmt.Sprintf("reading %d km is below %d km read at %s", km, previous.km, previous.at.UTC().Format(time.RFC3339)),
		PreviousOdometerKm:  previous.km,
		ConflictingRecordId: previous.recordID,
	}
}

// ApplyToSummary folds one record into a VIN's summary. Brands, flags and
// dealers only grow as records are appended; they are kept sorted so the
// summary is canonical. The reading of a record judged wrong does not count,
// nor does an upheld record's odometer flag against a record judged wrong
// (judgedWrong: the ids of the VIN's records judged wrong), so a verdict's
// replay drops the flags the wrong reading caused.
func ApplyToSummary(s types.VehicleSummary, rec types.Record, judgedWrong map[uint64]bool) types.VehicleSummary {
	in := rec.Input
	at := in.OccurredAt.UTC()
	if s.RecordCount == 0 || at.Before(s.FirstSeen) {
		s.FirstSeen = at
	}
	if s.RecordCount == 0 || at.After(s.LastSeen) {
		s.LastSeen = at
	}
	s.RecordCount++
	if in.OdometerKm != 0 && !rec.JudgedWrong() {
		if s.LatestOdometerKm == 0 || !at.Before(s.LatestOdometerAt) {
			s.LatestOdometerKm, s.LatestOdometerAt = in.OdometerKm, at
		}
		if in.OdometerKm > s.MaxOdometerKm {
			s.MaxOdometerKm, s.MaxOdometerAt, s.MaxOdometerRecordId = in.OdometerKm, at, rec.Id
		}
	}
	if in.Kind == types.RECORD_KIND_TITLE_BRAND {
		s.Brands = insertSorted(s.Brands, in.TitleBrand)
	}
	for _, f := range rec.Flags {
		if !rec.ClearedBy(f, judgedWrong) {
			s.Flags = insertSorted(s.Flags, f.Code)
		}
	}
	if rec.DealerId != "" {
		s.Dealers = insertSorted(s.Dealers, rec.DealerId)
	}
	return s
}

// insertSorted adds v to a sorted slice unless it is already there.
func insertSorted[T ~int32 | ~string](list []T, v T) []T {
	i, found := slices.BinarySearch(list, v)
	if found {
		return list
	}
	return slices.Insert(list, i, v)
}

func flagCodes(flags []types.RecordFlag) []types.FlagCode {
	codes := make([]types.FlagCode, len(flags))
	for i, f := range flags {
		codes[i] = f.Code
	}
	return codes
}
