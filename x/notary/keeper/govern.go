package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/vinhub/vinhub/x/internal/accaddr"
	"github.com/vinhub/vinhub/x/notary/types"
)

// UpdateNotarySet installs members and threshold (0: more than two thirds)
// as the next set version. The set it replaces stays valid for
// params.grace_blocks, so notaries finish what they signed under it.
func (k Keeper) UpdateNotarySet(ctx context.Context, members []types.Member, threshold uint32) (types.NotarySet, error) {
	if threshold == 0 {
		threshold = types.DefaultThreshold(len(members))
	}
	canonical := make([]types.Member, len(members))
	for i, m := range members {
		// One spelling of every operator: signatures are matched by it.
		op, err := accaddr.Canonical(m.Operator)
		if err != nil {
			return types.NotarySet{}, errorsmod.Wrapf(types.ErrInvalidSet, "member %d: operator %q: %v", i, m.Operator, err)
		}
		canonical[i] = types.Member{Operator: op, Pubkey: m.Pubkey}
	}
	if err := types.ValidateMembers(canonical, threshold); err != nil {
		return types.NotarySet{}, err
	}
	next := types.NotarySet{Version: 1, Members: canonical, Threshold: threshold, ActivatedHeight: blockHeight(ctx)}
	cur, err := k.CurrentSet(ctx)
	switch {
	case err == nil:
		cur.SupersededHeight = blockHeight(ctx)
		if err := k.Sets.Set(ctx, cur.Version, cur); err != nil {
			return types.NotarySet{}, err
		}
		next.Version = cur.Version + 1
	case !errors.Is(err, types.ErrUnknownSet):
		return types.NotarySet{}, err
	}
	if err := k.Sets.Set(ctx, next.Version, next); err != nil {
		return types.NotarySet{}, err
	}
	return next, emit(ctx, &types.EventNotarySetUpdated{Version: next.Version, Threshold: threshold, Members: uint32(len(canonical))})
}

// BindLedger lets dealerID's records in from ledgerID; the dealer must be
// registered and active on the hub.
func (k Keeper) BindLedger(ctx context.Context, ledgerID, dealerID string) error {
	if err := types.ValidateLedgerID(ledgerID); err != nil {
		return err
	}
	if err := k.vehicle.CheckDealer(ctx, dealerID); err != nil {
		return err
	}
	return k.Ledgers.Set(ctx, ledgerID, types.LedgerBinding{LedgerId: ledgerID, DealerId: dealerID, BoundHeight: blockHeight(ctx)})
}

// UnbindLedger removes a ledger's binding: its pending observations can no
// longer gather signatures, and any final one fails.
func (k Keeper) UnbindLedger(ctx context.Context, ledgerID string) error {
	has, err := k.Ledgers.Has(ctx, ledgerID)
	if err != nil {
		return err
	}
	if !has {
		return errorsmod.Wrapf(types.ErrLedgerNotBound, "ledger %q", ledgerID)
	}
	return k.Ledgers.Remove(ctx, ledgerID)
}

// RemoveSource stops accepting a source. Delayed payments from it stay
// delayed until governance releases them.
func (k Keeper) RemoveSource(ctx context.Context, id string) error {
	has, err := k.Sources.Has(ctx, id)
	if err != nil {
		return err
	}
	if !has {
		return errorsmod.Wrapf(types.ErrUnknownSource, "%s", id)
	}
	return k.Sources.Remove(ctx, id)
}

// ReleaseDelayed executes a delayed attestation now, whatever the
// governor's room (governance's decision); it still counts in the window.
func (k Keeper) ReleaseDelayed(ctx context.Context, id string) (types.Attestation, error) {
	att, err := k.GetAttestation(ctx, id)
	if err != nil {
		return att, err
	}
	if att.Status != types.ATTESTATION_STATUS_DELAYED {
		return att, errorsmod.Wrapf(types.ErrNotDelayed, "attestation %s is %s", id, att.Status)
	}
	if err := k.release(ctx, &att); err != nil {
		return att, err
	}
	return att, emit(ctx, &types.EventResolved{Id: att.Id, SourceKey: att.SourceKey, Status: att.Status, Result: att.Result})
}

// release takes a delayed attestation out of the queue and executes it.
func (k Keeper) release(ctx context.Context, att *types.Attestation) error {
	if err := k.Delayed.Remove(ctx, collections.Join(att.FinalTime.UTC(), att.Id)); err != nil {
		return err
	}
	old := att.Status
	if err := k.execute(ctx, att); err != nil {
		return err
	}
	return k.save(ctx, *att, old)
}

// ResolveEquivocation settles a source event whose observations disagree:
// executeID (one of them, with its threshold reached) executes and every
// other held one is rejected; an empty executeID rejects them all. An
// event already applied cannot be applied again.
func (k Keeper) ResolveEquivocation(ctx context.Context, sourceKey, executeID string) (types.Attestation, error) {
	all, err := k.AttestationsOf(ctx, sourceKey)
	if err != nil {
		return types.Attestation{}, err
	}
	var held []types.Attestation
	var chosen *types.Attestation
	for i, a := range all {
		if a.Status == types.ATTESTATION_STATUS_HELD {
			held = append(held, a)
		}
		if a.Id == executeID {
			chosen = &all[i]
		}
	}
	if len(held) == 0 {
		return types.Attestation{}, errorsmod.Wrapf(types.ErrNoEquivocation, "%s", sourceKey)
	}
	if executeID != "" {
		if err := k.checkChosen(ctx, sourceKey, executeID, chosen); err != nil {
			return types.Attestation{}, err
		}
	}
	var out types.Attestation
	for _, a := range held {
		old := a.Status
		if a.Id == executeID {
			if err := k.Finalized.Set(ctx, sourceKey, a.Id); err != nil {
				return out, err
			}
			if err := k.execute(ctx, &a); err != nil {
				return out, err
			}
			out = a
		} else {
			a.Status, a.Result = types.ATTESTATION_STATUS_REJECTED, "rejected by governance: conflicting observation of "+sourceKey
			if executeID == "" && out.Id == "" {
				out = a
				if err := k.Finalized.Set(ctx, sourceKey, a.Id); err != nil {
					return out, err
				}
			}
		}
		if err := k.save(ctx, a, old); err != nil {
			return out, err
		}
		if err := emit(ctx, &types.EventResolved{Id: a.Id, SourceKey: sourceKey, Status: a.Status, Result: a.Result}); err != nil {
			return out, err
		}
	}
	return out, nil
}

// checkChosen wants a held attestation of this event that reached its
// threshold, and an event not applied by another attestation.
func (k Keeper) checkChosen(ctx context.Context, sourceKey, id string, chosen *types.Attestation) error {
	if chosen == nil || chosen.Status != types.ATTESTATION_STATUS_HELD {
		return errorsmod.Wrapf(types.ErrNoEquivocation, "attestation %s is not held for %s", id, sourceKey)
	}
	if chosen.FinalHeight == 0 {
		return errorsmod.Wrapf(types.ErrNotFinal, "attestation %s has %d signatures", id, chosen.SignatureCount)
	}
	decidedID, err := k.Finalized.Get(ctx, sourceKey)
	if errors.Is(err, collections.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	decided, err := k.Attestations.Get(ctx, decidedID)
	if err != nil {
		return err
	}
	switch decided.Status {
	case types.ATTESTATION_STATUS_EXECUTED, types.ATTESTATION_STATUS_FAILED, types.ATTESTATION_STATUS_DELAYED:
		return errorsmod.Wrapf(types.ErrAlreadyFinal, "%s was decided by attestation %s (%s)", sourceKey, decidedID, decided.Status)
	}
	return nil
}
