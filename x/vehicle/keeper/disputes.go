package keeper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/internal/accaddr"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// openDispute records that flagged (just stored, its review already DISPUTED)
// contradicts conflicting, another dealer's record, and marks conflicting
// DISPUTED too. Nobody is penalised until a verdict.
func (k Keeper) openDispute(ctx sdk.Context, flagged types.Record, flag types.RecordFlag, conflicting types.Record) error {
	d := types.Dispute{
		Id:                  flagged.Id,
		Vin:                 flagged.Input.Vin,
		Code:                flag.Code,
		FlaggedRecordId:     flagged.Id,
		FlaggedDealerId:     flagged.DealerId,
		ConflictingRecordId: conflicting.Id,
		ConflictingDealerId: conflicting.DealerId,
		OpenedHeight:        ctx.BlockHeight(),
		OpenedAt:            ctx.BlockTime().UTC(),
		Status:              types.DISPUTE_STATUS_OPEN,
	}
	if err := k.setDispute(ctx, d); err != nil {
		return err
	}
	review := conflicting.Review
	if review == nil {
		review = &types.RecordReview{}
	}
	review.Status = types.REVIEW_STATUS_DISPUTED
	review.DisputeIds = append(review.DisputeIds, d.Id)
	conflicting.Review = review
	if err := k.Records.Set(ctx, conflicting.Id, conflicting); err != nil {
		return fmt.Errorf("review of record %d: %w", conflicting.Id, err)
	}
	return ctx.EventManager().EmitTypedEvent(&types.EventDisputeOpened{
		DisputeId:           d.Id,
		Vin:                 d.Vin,
		Code:                d.Code,
		FlaggedRecordId:     d.FlaggedRecordId,
		FlaggedDealerId:     d.FlaggedDealerId,
		ConflictingRecordId: d.ConflictingRecordId,
		ConflictingDealerId: d.ConflictingDealerId,
	})
}

// hasDisputeRoom reports whether rec is a party to fewer than
// MaxOpenDisputesPerRecord open disputes.
func (k Keeper) hasDisputeRoom(ctx context.Context, rec types.Record) (bool, error) {
	open := 0
	for _, id := range rec.Review.GetDisputeIds() {
		isOpen, err := k.OpenDisputes.Has(ctx, id)
		if err != nil {
			return false, fmt.Errorf("dispute %d: %w", id, err)
		}
		if isOpen {
			if open++; open >= types.MaxOpenDisputesPerRecord {
				return false, nil
			}
		}
	}
	return true, nil
}

// setDispute writes a dispute and keeps the open-dispute index in step.
func (k Keeper) setDispute(ctx context.Context, d types.Dispute) error {
	if err := k.Disputes.Set(ctx, d.Id, d); err != nil {
		return fmt.Errorf("dispute %d: %w", d.Id, err)
	}
	if d.IsOpen() {
		return k.OpenDisputes.Set(ctx, d.Id)
	}
	return k.OpenDisputes.Remove(ctx, d.Id)
}

// ResolveDispute judges an open dispute: wrongRecordID, one of its two
// records, read the odometer wrong. The record is marked WRONG with the
// verdict, every open dispute over it is closed with the same verdict, the
// records on the other side are UPHELD once none of their disputes is open,
// the VIN's summary is recomputed without the wrong reading, and only then is
// the wrong record's dealer penalised. No record is removed. It returns the
// closed disputes, the named one first. Every refusal happens before a write.
func (k Keeper) ResolveDispute(ctx context.Context, resolver string, disputeID, wrongRecordID uint64, reason string) ([]uint64, error) {
	resolver, resolverAddr, err := k.checkResolver(ctx, resolver)
	if err != nil {
		return nil, err
	}
	d, err := k.Disputes.Get(ctx, disputeID)
	if errors.Is(err, collections.ErrNotFound) {
		return nil, errorsmod.Wrapf(types.ErrDisputeNotFound, "no dispute %d; see query vehicle open-disputes", disputeID)
	}
	if err != nil {
		return nil, fmt.Errorf("dispute %d: %w", disputeID, err)
	}
	if !d.IsOpen() {
		return nil, errorsmod.Wrapf(types.ErrDisputeResolved, "dispute %d was resolved at height %d: record %d was judged wrong", d.Id, d.Verdict.GetResolvedHeight(), d.Verdict.GetWrongRecordId())
	}
	if _, party := d.Other(wrongRecordID); !party {
		return nil, errorsmod.Wrapf(types.ErrInvalidVerdict, "record %d is not a party to dispute %d; name record %d or %d", wrongRecordID, d.Id, d.FlaggedRecordId, d.ConflictingRecordId)
	}
	if err := k.checkDisinterested(ctx, resolver, resolverAddr, d); err != nil {
		return nil, err
	}
	wrong, err := k.Records.Get(ctx, wrongRecordID)
	if err != nil {
		return nil, fmt.Errorf("record %d: %w", wrongRecordID, err)
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	verdict := types.Verdict{
		DisputeId:      d.Id,
		WrongRecordId:  wrong.Id,
		WrongDealerId:  wrong.DealerId,
		Resolver:       resolver,
		ResolvedHeight: sdkCtx.BlockHeight(),
		ResolvedAt:     sdkCtx.BlockTime().UTC(),
		Reason:         reason,
	}
	closed, err := k.openDisputesOf(ctx, wrong, d.Id)
	if err != nil {
		return nil, err
	}
	if wrong.Review == nil {
		wrong.Review = &types.RecordReview{DisputeIds: []uint64{d.Id}}
	}
	wrong.Review.Status, wrong.Review.Verdict = types.REVIEW_STATUS_WRONG, &verdict
	if err := k.Records.Set(ctx, wrong.Id, wrong); err != nil {
		return nil, fmt.Errorf("review of record %d: %w", wrong.Id, err)
	}
	if err := k.WrongReadings.Set(ctx, collections.Join(wrong.Input.Vin, wrong.Id)); err != nil {
		return nil, fmt.Errorf("wrong-reading index of record %d: %w", wrong.Id, err)
	}
	others, err := k.closeDisputes(sdkCtx, closed, verdict)
	if err != nil {
		return nil, err
	}
	for _, id := range others {
		if err := k.upholdIfSettled(ctx, id, verdict); err != nil {
			return nil, err
		}
	}
	if err := k.recomputeSummary(ctx, wrong.Input.Vin); err != nil {
		return nil, err
	}
	return closed, k.penalise(sdkCtx, wrong.DealerId, wrong.Id)
}

// checkResolver lets the authority and, where a role registry is wired (the
// hub), its examiners resolve disputes. It returns the resolver's canonical
// spelling (the one a verdict stores) and, for an examiner, its address; the
// authority is compared as an account, so any spelling of it is the authority.
func (k Keeper) checkResolver(ctx context.Context, resolver string) (string, sdk.AccAddress, error) {
	if accaddr.Same(resolver, k.authority) {
		return k.authority, nil, nil
	}
	addr, err := k.addressCodec.StringToBytes(resolver)
	if err != nil {
		return "", nil, errorsmod.Wrapf(types.ErrInvalidAddress, "resolver %q: %s", resolver, err)
	}
	canonical, err := k.addressCodec.BytesToString(addr)
	if err != nil {
		return "", nil, errorsmod.Wrapf(types.ErrInvalidAddress, "resolver %q: %s", resolver, err)
	}
	if k.hub.roles == nil {
		return "", nil, errorsmod.Wrapf(types.ErrUnauthorizedResolver, "%s: this chain has no examiner registry; resolve through a governance proposal", canonical)
	}
	examiner, err := k.hub.roles.HasRole(ctx, addr, membershiptypes.ROLE_EXAMINER)
	if err != nil {
		return "", nil, err
	}
	if !examiner {
		return "", nil, errorsmod.Wrapf(types.ErrUnauthorizedResolver, "%s does not hold %s (x/membership) and is not the governance authority", canonical, membershiptypes.ROLE_EXAMINER)
	}
	return canonical, addr, nil
}

// checkDisinterested refuses an examiner who speaks for either disputed
// dealer: its hub account, or a reporter it ever admitted (a revoked reporter
// included). The authority (addr nil) is not asked.
func (k Keeper) checkDisinterested(ctx context.Context, resolver string, addr sdk.AccAddress, d types.Dispute) error {
	if addr == nil {
		return nil
	}
	for _, dealerID := range []string{d.FlaggedDealerId, d.ConflictingDealerId} {
		dealer, err := k.getDealer(ctx, dealerID)
		if err != nil {
			return err
		}
		if dealer.Account != "" {
			account, err := k.addressCodec.StringToBytes(dealer.Account)
			if err == nil && bytes.Equal(account, addr) {
				return errorsmod.Wrapf(types.ErrUnauthorizedResolver, "%s is the hub account of dealer %q, a party to dispute %d; another examiner or governance must resolve it", resolver, dealerID, d.Id)
			}
		}
		reporter, err := k.Reporters.Has(ctx, collections.Join(dealerID, addr))
		if err != nil {
			return fmt.Errorf("reporter %s of dealer %q: %w", resolver, dealerID, err)
		}
		if reporter {
			return errorsmod.Wrapf(types.ErrUnauthorizedResolver, "%s is (or was) a reporter of dealer %q, a party to dispute %d; another examiner or governance must resolve it", resolver, dealerID, d.Id)
		}
	}
	return nil
}

// openDisputesOf lists the open disputes a record is a party to, first first.
func (k Keeper) openDisputesOf(ctx context.Context, rec types.Record, first uint64) ([]uint64, error) {
	ids := []uint64{first}
	for _, id := range rec.Review.GetDisputeIds() {
		if id == first {
			continue
		}
		open, err := k.OpenDisputes.Has(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("dispute %d: %w", id, err)
		}
		if open {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// closeDisputes resolves each dispute with the verdict and returns the
// records on the other side of the wrong one.
func (k Keeper) closeDisputes(ctx sdk.Context, ids []uint64, verdict types.Verdict) ([]uint64, error) {
	others := make([]uint64, 0, len(ids))
	for _, id := range ids {
		d, err := k.Disputes.Get(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("dispute %d: %w", id, err)
		}
		d.Status, d.Verdict = types.DISPUTE_STATUS_RESOLVED, &verdict
		if err := k.setDispute(ctx, d); err != nil {
			return nil, err
		}
		other, _ := d.Other(verdict.WrongRecordId)
		others = append(others, other)
		if err := ctx.EventManager().EmitTypedEvent(&types.EventDisputeResolved{
			DisputeId:     d.Id,
			Vin:           d.Vin,
			WrongRecordId: verdict.WrongRecordId,
			WrongDealerId: verdict.WrongDealerId,
			Resolver:      verdict.Resolver,
			ByDisputeId:   verdict.DisputeId,
		}); err != nil {
			return nil, err
		}
	}
	return others, nil
}

// upholdIfSettled marks a record UPHELD by the verdict once none of its
// disputes is open any more; with one still open it stays DISPUTED.
func (k Keeper) upholdIfSettled(ctx context.Context, recordID uint64, verdict types.Verdict) error {
	rec, err := k.Records.Get(ctx, recordID)
	if err != nil {
		return fmt.Errorf("record %d: %w", recordID, err)
	}
	if rec.JudgedWrong() {
		return nil // a verdict against a record is final
	}
	for _, id := range rec.Review.GetDisputeIds() {
		open, err := k.OpenDisputes.Has(ctx, id)
		if err != nil {
			return fmt.Errorf("dispute %d: %w", id, err)
		}
		if open {
			return nil
		}
	}
	if rec.Review == nil {
		rec.Review = &types.RecordReview{}
	}
	rec.Review.Status, rec.Review.Verdict = types.REVIEW_STATUS_UPHELD, &verdict
	if err := k.Records.Set(ctx, rec.Id, rec); err != nil {
		return fmt.Errorf("review of record %d: %w", rec.Id, err)
	}
	return nil
}

// recomputeSummary rebuilds a VIN's summary from its records in id order,
// exactly as genesis import replays them, so a corrected summary equals a
// rebuilt one.
func (k Keeper) recomputeSummary(ctx context.Context, vin string) error {
	var ids []uint64
	err := k.History.Walk(ctx, collections.NewPrefixedPairRange[string, []byte](vin), func(key collections.Pair[string, []byte], _ uint64) (bool, error) {
		ids = append(ids, historyKeyID(key.K2()))
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("history of %s: %w", vin, err)
	}
	slices.Sort(ids)
	judgedWrong, err := k.wrongReadings(ctx, vin)
	if err != nil {
		return err
	}
	summary := types.VehicleSummary{Vin: vin}
	for _, id := range ids {
		rec, err := k.Records.Get(ctx, id)
		if err != nil {
			return fmt.Errorf("record %d: %w", id, err)
		}
		summary = ApplyToSummary(summary, rec, judgedWrong)
	}
	return k.Summaries.Set(ctx, vin, summary)
}
