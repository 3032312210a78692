package keeper

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	"github.com/vinhub/vinhub/x/notary/types"
)

// Attest adds one member's signature to the attestation of an observation
// under a set version. Every check comes before any write, so a refusal
// changes nothing:
//
//  1. the observation is within the size bound and its source is accepted
//     (a payment source with a limit for the asset; a bound ledger);
//  2. the signer holds the notary role now, and is a member of that set
//     version, which is current or within its grace window;
//  3. the signature verifies (BIP-340) against that member's key over the
//     digest of the observation and the set version;
//  4. the source event was not decided already with the same observation
//     (replay), and this member has not signed this attestation before.
//
// Then the signature is stored. An observation of the same source event
// that differs from another one is an equivocation: all of them are held
// for governance and never execute on their own. A pending attestation
// whose distinct signers reach the set's threshold is final: it executes
// once (or waits in the governor's queue).
func (k Keeper) Attest(ctx context.Context, msg *types.MsgAttest) (*types.MsgAttestResponse, error) {
	obs := msg.Observation
	obs.Time = obs.Time.UTC()
	if err := k.checkObservation(ctx, obs); err != nil {
		return nil, err
	}
	signer, err := k.addressCodec.StringToBytes(msg.Notary)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidAddress, "notary %q: %v", msg.Notary, err)
	}
	if err := k.membership.CheckRole(ctx, signer, membershiptypes.ROLE_NOTARY); err != nil {
		return nil, err
	}
	set, idx, err := k.memberOf(ctx, msg.SetVersion, signer)
	if err != nil {
		return nil, err
	}
	member := set.Members[idx]
	digest, err := types.Digest(obs, set.Version)
	if err != nil {
		return nil, err
	}
	if err := types.VerifySignature(member.Pubkey, digest, msg.Signature); err != nil {
		return nil, errorsmod.Wrapf(err, "member %s of set %d", member.Operator, set.Version)
	}
	att, isNew, err := k.attestationFor(ctx, types.AttestationID(digest), obs, set.Version)
	if err != nil {
		return nil, err
	}
	if signed, err := k.Signatures.Has(ctx, collections.Join(att.Id, idx)); err != nil || signed {
		return nil, cmp.Or(err, errorsmod.Wrapf(types.ErrDuplicateSigner, "%s already signed attestation %s", member.Operator, att.Id))
	}
	if err := k.checkReplay(ctx, att); err != nil {
		return nil, err
	}

	old := att.Status
	if isNew {
		old = types.ATTESTATION_STATUS_UNSPECIFIED
	}
	if err := k.addSignature(ctx, &att, idx, types.Signature{Operator: member.Operator, Sig: msg.Signature, Height: blockHeight(ctx)}); err != nil {
		return nil, err
	}
	if err := k.holdConflicts(ctx, &att); err != nil {
		return nil, err
	}
	reached := att.SignatureCount >= set.Threshold
	if reached && att.FinalHeight == 0 {
		att.FinalHeight, att.FinalTime = blockHeight(ctx), ptrTime(blockTime(ctx))
	}
	if err := emit(ctx, &types.EventAttested{Id: att.Id, SourceKey: att.SourceKey, Operator: member.Operator,
		Signatures: att.SignatureCount, Threshold: set.Threshold}); err != nil {
		return nil, err
	}
	if reached && att.Status == types.ATTESTATION_STATUS_PENDING {
		if err := k.finalize(ctx, &att); err != nil {
			return nil, err
		}
	}
	if err := k.save(ctx, att, old); err != nil {
		return nil, err
	}
	return &types.MsgAttestResponse{Id: att.Id, Status: att.Status, Signatures: att.SignatureCount}, nil
}

// checkObservation applies the params' size bound and asks whether the
// hub accepts observations of this source (and, for payments, this asset).
func (k Keeper) checkObservation(ctx context.Context, obs types.Observation) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return fmt.Errorf("notary params: %w", err)
	}
	if size := obs.Size(); size > int(params.MaxObservationBytes) {
		return errorsmod.Wrapf(types.ErrObservationTooLarge, "%d bytes, params allow %d", size, params.MaxObservationBytes)
	}
	if err := obs.Validate(); err != nil {
		return err
	}
	if obs.Platform == types.PLATFORM_LEDGER {
		if _, err := k.Ledgers.Get(ctx, obs.NetworkId); errors.Is(err, collections.ErrNotFound) {
			return errorsmod.Wrapf(types.ErrLedgerNotBound, "ledger %q: governance binds a ledger to a dealer with MsgBindLedger", obs.NetworkId)
		} else if err != nil {
			return err
		}
		return nil
	}
	src, err := k.Sources.Get(ctx, obs.SourceID())
	if errors.Is(err, collections.ErrNotFound) {
		return errorsmod.Wrapf(types.ErrUnknownSource, "%s: governance accepts sources with MsgSetSource", obs.SourceID())
	}
	if err != nil {
		return err
	}
	if p := obs.GetPayment(); p != nil {
		if _, ok := src.Limit(p.Asset); !ok {
			return errorsmod.Wrapf(types.ErrUnknownAsset, "asset %q on %s", p.Asset, src.ID())
		}
	}
	return nil
}

// memberOf returns the set version, if its signatures still count, and the
// signer's index in it.
func (k Keeper) memberOf(ctx context.Context, version uint64, signer sdk.AccAddress) (types.NotarySet, uint32, error) {
	set, err := k.GetSet(ctx, version)
	if err != nil {
		return set, 0, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return set, 0, err
	}
	if !set.ValidAt(blockHeight(ctx), params.GraceBlocks) {
		return set, 0, errorsmod.Wrapf(types.ErrStaleSet, "set %d was replaced at height %d; its grace window ended at %d: sign under the current set",
			set.Version, set.SupersededHeight, set.SupersededHeight+int64(params.GraceBlocks))
	}
	idx, ok := set.Member(signer)
	if !ok {
		return set, 0, errorsmod.Wrapf(types.ErrNotInSet, "%s is not in set %d", sdk.AccAddress(signer), set.Version)
	}
	return set, idx, nil
}

// attestationFor loads the attestation with this id, or starts one.
func (k Keeper) attestationFor(ctx context.Context, id string, obs types.Observation, version uint64) (types.Attestation, bool, error) {
	att, err := k.Attestations.Get(ctx, id)
	if err == nil {
		return att, false, nil
	}
	if !errors.Is(err, collections.ErrNotFound) {
		return att, false, err
	}
	return types.Attestation{Id: id, Observation: obs, SetVersion: version, Status: types.ATTESTATION_STATUS_PENDING,
		SourceKey: obs.SourceKey()}, true, nil
}

// checkReplay refuses a signature for an observation of a source event
// that was already decided with the same observation (under any set
// version). A different observation is not refused: it is kept and held
// as an equivocation.
func (k Keeper) checkReplay(ctx context.Context, att types.Attestation) error {
	decidedID, err := k.Finalized.Get(ctx, att.SourceKey)
	if errors.Is(err, collections.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	decided, err := k.Attestations.Get(ctx, decidedID)
	if err != nil {
		return fmt.Errorf("decided attestation %s: %w", decidedID, err)
	}
	same, err := sameObservation(decided.Observation, att.Observation)
	if err != nil {
		return err
	}
	if same {
		return errorsmod.Wrapf(types.ErrAlreadyFinal, "%s was decided by attestation %s (%s)", att.SourceKey, decidedID, decided.Status)
	}
	return nil
}

// holdConflicts finds the other observations of att's source event. If
// any differs from att's, every such attestation that has not executed is
// held for governance (a delayed one leaves the governor's queue), att is
// held too, and an equivocation event names the members who signed more
// than one version of the event.
func (k Keeper) holdConflicts(ctx context.Context, att *types.Attestation) error {
	others, err := k.AttestationsOf(ctx, att.SourceKey)
	if err != nil {
		return err
	}
	mine, err := att.Observation.Hash()
	if err != nil {
		return err
	}
	ids := []string{att.Id}
	signedBoth := map[string]bool{}
	for _, o := range others {
		if o.Id == att.Id {
			continue
		}
		theirs, err := o.Observation.Hash()
		if err != nil {
			return err
		}
		if bytes.Equal(mine, theirs) {
			continue
		}
		ids = append(ids, o.Id)
		if err := k.signedBoth(ctx, *att, o, signedBoth); err != nil {
			return err
		}
		if err := k.hold(ctx, o); err != nil {
			return err
		}
	}
	if len(ids) == 1 {
		return nil
	}
	if att.Status == types.ATTESTATION_STATUS_PENDING || att.Status == types.ATTESTATION_STATUS_DELAYED {
		if att.Status == types.ATTESTATION_STATUS_DELAYED && att.FinalTime != nil {
			if err := k.Delayed.Remove(ctx, collections.Join(att.FinalTime.UTC(), att.Id)); err != nil {
				return err
			}
		}
		att.Status = types.ATTESTATION_STATUS_HELD
	}
	ev := &types.EventEquivocation{SourceKey: att.SourceKey, AttestationIds: ids}
	mineSigned, err := k.withSignatures(ctx, *att)
	if err != nil {
		return err
	}
	for _, s := range mineSigned.Signatures {
		if signedBoth[s.Operator] {
			ev.SignedBoth = append(ev.SignedBoth, s.Operator)
		}
	}
	return emit(ctx, ev)
}

// signedBoth marks the operators who signed both attestations (read only
// when two observations of one event disagree).
func (k Keeper) signedBoth(ctx context.Context, a, b types.Attestation, out map[string]bool) error {
	a, err := k.withSignatures(ctx, a)
	if err != nil {
		return err
	}
	b, err = k.withSignatures(ctx, b)
	if err != nil {
		return err
	}
	for _, s := range b.Signatures {
		for _, mine := range a.Signatures {
			if s.Operator == mine.Operator {
				out[s.Operator] = true
			}
		}
	}
	return nil
}

// hold puts a pending or delayed attestation on hold; executed, failed,
// rejected and held ones keep their status.
func (k Keeper) hold(ctx context.Context, a types.Attestation) error {
	switch a.Status {
	case types.ATTESTATION_STATUS_DELAYED:
		if err := k.Delayed.Remove(ctx, collections.Join(a.FinalTime.UTC(), a.Id)); err != nil {
			return err
		}
	case types.ATTESTATION_STATUS_PENDING:
	default:
		return nil
	}
	old := a.Status
	a.Status = types.ATTESTATION_STATUS_HELD
	return k.save(ctx, a, old)
}

// sameObservation compares canonical encodings.
func sameObservation(a, b types.Observation) (bool, error) {
	ha, err := a.Hash()
	if err != nil {
		return false, err
	}
	hb, err := b.Hash()
	if err != nil {
		return false, err
	}
	return bytes.Equal(ha, hb), nil
}
