package keeper

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/notary/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// finalize decides a pending attestation that reached its threshold: the
// source event is marked decided (so no other observation of it executes
// by itself), then a payment over the governor's remaining room waits in
// the queue and anything else executes now.
func (k Keeper) finalize(ctx context.Context, att *types.Attestation) error {
	if err := k.Finalized.Set(ctx, att.SourceKey, att.Id); err != nil {
		return err
	}
	if p := att.Observation.GetPayment(); p != nil {
		room, err := k.governorRoom(ctx, att.Observation.SourceID(), p.Asset)
		if err != nil {
			return err
		}
		if p.Amount.GT(room) {
			att.Status = types.ATTESTATION_STATUS_DELAYED
			att.Result = fmt.Sprintf("delayed by the governor: %s %s, %s left in the window", p.Amount, p.Asset, room)
			if err := k.Delayed.Set(ctx, collections.Join(att.FinalTime.UTC(), att.Id)); err != nil {
				return err
			}
			return emit(ctx, &types.EventFinal{Id: att.Id, SourceKey: att.SourceKey, Status: att.Status, Result: att.Result})
		}
	}
	return k.execute(ctx, att)
}

// execute applies a final attestation once, in a cache: if applying is
// refused (a loan already repaid, a record the history rejects), nothing
// it wrote is kept, the attestation is FAILED with the reason, and it is
// never applied again. An executed payment counts against the governor.
func (k Keeper) execute(ctx context.Context, att *types.Attestation) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	cache, write := sdkCtx.CacheContext()
	result, err := k.apply(cache, *att)
	att.ExecutedHeight = sdkCtx.BlockHeight()
	if err != nil {
		att.Status, att.Result = types.ATTESTATION_STATUS_FAILED, err.Error()
		sdkCtx.Logger().Info("final attestation not applied", "id", att.Id, "source", att.SourceKey, "err", err)
	} else {
		write()
		att.Status, att.Result = types.ATTESTATION_STATUS_EXECUTED, result
		if p := att.Observation.GetPayment(); p != nil {
			entry := types.GovernorEntry{Source: att.Observation.SourceID(), Asset: p.Asset, Amount: p.Amount, Time: blockTime(ctx), AttestationId: att.Id}
			if err := k.Governor.Set(ctx, collections.Join3(entry.Source, entry.Time, entry.AttestationId), entry); err != nil {
				return err
			}
		}
	}
	return emit(ctx, &types.EventFinal{Id: att.Id, SourceKey: att.SourceKey, Status: att.Status, Result: att.Result})
}

// apply does what the attestation is for (docs/spec/notary.md, "Execution").
func (k Keeper) apply(ctx context.Context, att types.Attestation) (string, error) {
	obs := att.Observation
	switch p := obs.Payload.(type) {
	case *types.Observation_VehicleRecord:
		binding, err := k.Ledgers.Get(ctx, obs.NetworkId)
		if errors.Is(err, collections.ErrNotFound) {
			return "", errorsmod.Wrapf(types.ErrLedgerNotBound, "ledger %q was unbound before the attestation was final", obs.NetworkId)
		}
		if err != nil {
			return "", err
		}
		rec, err := k.vehicle.AppendAttestedRecord(ctx, binding.DealerId, p.VehicleRecord.Record,
			vehicletypes.LedgerOrigin{LedgerId: obs.NetworkId, RecordRef: obs.TxRef, AttestationId: att.Id})
		if err != nil {
			return "", err
		}
		return recordResult(rec), nil
	case *types.Observation_Payment:
		if k.loans == nil {
			return "", errorsmod.Wrap(types.ErrUnknownSource, "this chain does not take loan repayments from other rails")
		}
		loanID, ok := types.ParseLoanMemo(p.Payment.Memo)
		if !ok {
			return "", errorsmod.Wrapf(types.ErrInvalidObservation, "memo %q names no hub loan (loan:<id>)", p.Payment.Memo)
		}
		return k.loans.RepayAcrossRails(ctx, types.ForeignPayment{LoanID: loanID, Platform: obs.Platform, NetworkID: obs.NetworkId,
			Asset: p.Payment.Asset, Amount: p.Payment.Amount, From: p.Payment.From, To: p.Payment.To, AttestationID: att.Id})
	case *types.Observation_HtlcSpend:
		if p.HtlcSpend.Secret == "" {
			return "refund on " + obs.Platform.Name() + " recorded; nothing to do on the hub", nil
		}
		if k.htlc == nil {
			return "", errorsmod.Wrap(types.ErrUnknownSource, "this chain has no hub HTLCs")
		}
		return k.htlc.PublishForeignSecret(ctx, p.HtlcSpend.HashLock, p.HtlcSpend.Secret, att.Id)
	}
	return "", errorsmod.Wrap(types.ErrInvalidObservation, "no payload")
}

func recordResult(rec vehicletypes.Record) string {
	if len(rec.Flags) == 0 {
		return fmt.Sprintf("hub record %d appended to %s", rec.Id, rec.Input.Vin)
	}
	codes := make([]string, len(rec.Flags))
	for i, f := range rec.Flags {
		codes[i] = f.Code.String()
	}
	return fmt.Sprintf("hub record %d appended to %s, flagged %s", rec.Id, rec.Input.Vin, strings.Join(codes, ","))
}

// governorRoom is what is left of a source's limit for asset in the window
// ending now. A source removed since the attestation has no room: its
// payments wait for governance.
func (k Keeper) governorRoom(ctx context.Context, sourceID, asset string) (math.Int, error) {
	src, err := k.Sources.Get(ctx, sourceID)
	if errors.Is(err, collections.ErrNotFound) {
		return math.ZeroInt(), nil
	}
	if err != nil {
		return math.Int{}, err
	}
	limit, ok := src.Limit(asset)
	if !ok {
		return math.ZeroInt(), nil
	}
	used, err := k.governorUsed(ctx, sourceID, asset)
	if err != nil {
		return math.Int{}, err
	}
	if used.GTE(limit) {
		return math.ZeroInt(), nil
	}
	return limit.Sub(used), nil
}

// governorUsed sums the payments of asset executed from sourceID in the
// window (block time minus params.governor_window, block time].
func (k Keeper) governorUsed(ctx context.Context, sourceID, asset string) (math.Int, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return math.Int{}, err
	}
	from := blockTime(ctx).Add(-params.GovernorWindow)
	rng := new(collections.Range[collections.Triple[string, time.Time, string]]).
		Prefix(collections.TriplePrefix[string, time.Time, string](sourceID)).
		StartInclusive(collections.TripleSuperPrefix[string, time.Time, string](sourceID, from.Add(time.Nanosecond)))
	it, err := k.Governor.Iterate(ctx, rng)
	if err != nil {
		return math.Int{}, err
	}
	defer it.Close()
	used := math.ZeroInt()
	for ; it.Valid(); it.Next() {
		e, err := it.Value()
		if err != nil {
			return math.Int{}, err
		}
		if e.Asset == asset {
			used = used.Add(e.Amount)
		}
	}
	return used, nil
}

func ptrTime(t time.Time) *time.Time { return &t }
