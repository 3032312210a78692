package keeper

import (
	"context"
	"time"

	"cosmossdk.io/collections"

	"github.com/vinhub/vinhub/x/notary/types"
)

// InitGenesis loads the whole state and rebuilds the indexes.
func (k Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, s := range gs.Sets {
		if err := k.Sets.Set(ctx, s.Version, s); err != nil {
			return err
		}
	}
	for _, s := range gs.Sources {
		if err := k.Sources.Set(ctx, s.ID(), s); err != nil {
			return err
		}
	}
	for _, l := range gs.Ledgers {
		if err := k.Ledgers.Set(ctx, l.LedgerId, l); err != nil {
			return err
		}
	}
	for _, a := range gs.Attestations {
		if err := k.loadAttestation(ctx, a); err != nil {
			return err
		}
	}
	for _, e := range gs.GovernorEntries {
		if err := k.Governor.Set(ctx, collections.Join3(e.Source, e.Time.UTC(), e.AttestationId), e); err != nil {
			return err
		}
	}
	return nil
}

// loadAttestation stores an imported attestation with its indexes: a
// decided one marks its source event, a delayed one rejoins the queue.
func (k Keeper) loadAttestation(ctx context.Context, a types.Attestation) error {
	set, err := k.GetSet(ctx, a.SetVersion)
	if err != nil {
		return err
	}
	sigs := a.Signatures
	a.SignatureCount = 0
	for _, s := range sigs {
		idx, ok := set.MemberIndex(s.Operator)
		if !ok {
			return types.ErrInvalidGenesis.Wrapf("attestation %s: signer %s is not in set %d", a.Id, s.Operator, a.SetVersion)
		}
		if err := k.addSignature(ctx, &a, idx, s); err != nil {
			return err
		}
	}
	if err := k.save(ctx, a, a.Status); err != nil {
		return err
	}
	switch a.Status {
	case types.ATTESTATION_STATUS_PENDING:
		return nil
	case types.ATTESTATION_STATUS_HELD:
		if a.FinalHeight == 0 {
			return nil
		}
		if has, err := k.Finalized.Has(ctx, a.SourceKey); err != nil || has {
			return err
		}
	case types.ATTESTATION_STATUS_DELAYED:
		if a.FinalTime == nil {
			return types.ErrInvalidGenesis.Wrapf("delayed attestation %s has no final_time", a.Id)
		}
		if err := k.Delayed.Set(ctx, collections.Join(a.FinalTime.UTC(), a.Id)); err != nil {
			return err
		}
	case types.ATTESTATION_STATUS_REJECTED:
		if has, err := k.Finalized.Has(ctx, a.SourceKey); err != nil || has {
			return err
		}
	}
	return k.Finalized.Set(ctx, a.SourceKey, a.Id)
}

// ExportGenesis writes the whole state out.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params}
	if err := k.Sets.Walk(ctx, nil, func(_ uint64, s types.NotarySet) (bool, error) {
		gs.Sets = append(gs.Sets, s)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Sources.Walk(ctx, nil, func(_ string, s types.Source) (bool, error) {
		gs.Sources = append(gs.Sources, s)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Ledgers.Walk(ctx, nil, func(_ string, l types.LedgerBinding) (bool, error) {
		gs.Ledgers = append(gs.Ledgers, l)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Attestations.Walk(ctx, nil, func(_ string, a types.Attestation) (bool, error) {
		a, err := k.withSignatures(ctx, a)
		gs.Attestations = append(gs.Attestations, a)
		return err != nil, err
	}); err != nil {
		return nil, err
	}
	err = k.Governor.Walk(ctx, nil, func(_ collections.Triple[string, time.Time, string], e types.GovernorEntry) (bool, error) {
		gs.GovernorEntries = append(gs.GovernorEntries, e)
		return false, nil
	})
	return gs, err
}
