package types

import (
	errorsmod "cosmossdk.io/errors"
)

// DefaultGenesis has no notary set: the hub accepts no attestation until
// genesis or governance installs one.
func DefaultGenesis() *GenesisState { return &GenesisState{Params: DefaultParams()} }

// Validate checks the params, that set versions run 1..n with only the
// last current, and every source, binding and attestation.
func (g GenesisState) Validate() error {
	if err := g.Params.Validate(); err != nil {
		return err
	}
	for i, s := range g.Sets {
		if s.Version != uint64(i+1) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "sets[%d] has version %d: versions run 1, 2, ... in order", i, s.Version)
		}
		if err := s.Validate(); err != nil {
			return errorsmod.Wrapf(err, "sets[%d]", i)
		}
		if (s.SupersededHeight == 0) != (i == len(g.Sets)-1) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "sets[%d]: every set but the last has a superseded_height", i)
		}
	}
	sources := map[string]bool{}
	for i, s := range g.Sources {
		if err := s.Validate(); err != nil {
			return errorsmod.Wrapf(err, "sources[%d]", i)
		}
		if sources[s.ID()] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "sources[%d]: %s listed twice", i, s.ID())
		}
		sources[s.ID()] = true
	}
	ledgers := map[string]bool{}
	for i, l := range g.Ledgers {
		if err := ValidateLedgerID(l.LedgerId); err != nil || l.DealerId == "" || ledgers[l.LedgerId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "ledgers[%d]: %q bound to %q: a valid ledger id, once, and a dealer", i, l.LedgerId, l.DealerId)
		}
		ledgers[l.LedgerId] = true
	}
	ids := map[string]bool{}
	for i, a := range g.Attestations {
		if err := a.validate(g.Sets); err != nil {
			return errorsmod.Wrapf(err, "attestations[%d]", i)
		}
		if ids[a.Id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "attestations[%d]: %s listed twice", i, a.Id)
		}
		ids[a.Id] = true
	}
	for i, e := range g.GovernorEntries {
		if !ids[e.AttestationId] || e.Amount.IsNil() || !e.Amount.IsPositive() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "governor_entries[%d]: an executed attestation and a positive amount", i)
		}
	}
	return nil
}

// validate checks an attestation against its own observation and set: its
// id is the digest, its status is known, and every signature is a distinct
// member's and verifies.
func (a Attestation) validate(sets []NotarySet) error {
	if a.SetVersion == 0 || a.SetVersion > uint64(len(sets)) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "set version %d of %d", a.SetVersion, len(sets))
	}
	set := sets[a.SetVersion-1]
	if err := a.Observation.Validate(); err != nil {
		return err
	}
	digest, err := Digest(a.Observation, a.SetVersion)
	if err != nil {
		return err
	}
	if a.Id != hexString(digest[:]) || a.SourceKey != a.Observation.SourceKey() {
		return errorsmod.Wrapf(ErrInvalidGenesis, "attestation %s: id or source key does not match its observation", a.Id)
	}
	if _, ok := AttestationStatus_name[int32(a.Status)]; !ok || a.Status == ATTESTATION_STATUS_UNSPECIFIED {
		return errorsmod.Wrapf(ErrInvalidGenesis, "attestation %s: status %d", a.Id, a.Status)
	}
	signed := map[string]bool{}
	for _, s := range a.Signatures {
		idx, ok := set.MemberIndex(s.Operator)
		if !ok || signed[s.Operator] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "attestation %s: signer %s is not a member of set %d, or signed twice", a.Id, s.Operator, a.SetVersion)
		}
		signed[s.Operator] = true
		if err := VerifySignature(set.Members[idx].Pubkey, digest, s.Sig); err != nil {
			return errorsmod.Wrapf(err, "attestation %s: signature of %s", a.Id, s.Operator)
		}
	}
	return nil
}
