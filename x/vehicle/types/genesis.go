package types

import (
	errorsmod "cosmossdk.io/errors"
)

// DefaultGenesis is an empty registry and history with default params.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextRecordId: 1}
}

// Validate checks params, unique dealers, reporters of known dealers, and
// records with unique ascending ids below next_record_id whose dealer exists.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	dealers := make(map[string]bool, len(gs.Dealers))
	for _, d := range gs.Dealers {
		if err := ValidateDealerID(d.Id); err != nil {
			return err
		}
		if dealers[d.Id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "dealer %q listed twice", d.Id)
		}
		dealers[d.Id] = true
	}
	reporters := make(map[string]bool, len(gs.Reporters))
	for _, r := range gs.Reporters {
		if !dealers[r.DealerId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "reporter %s belongs to unknown dealer %q", r.Address, r.DealerId)
		}
		if err := validateAddress("reporter", r.Address); err != nil {
			return err
		}
		key := r.DealerId + "/" + r.Address
		if reporters[key] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "reporter %s listed twice for dealer %q", r.Address, r.DealerId)
		}
		reporters[key] = true
	}
	if gs.NextRecordId == 0 {
		return errorsmod.Wrap(ErrInvalidGenesis, "next_record_id must be at least 1")
	}
	var last uint64
	for _, rec := range gs.Records {
		if rec.Id <= last || rec.Id >= gs.NextRecordId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "record id %d out of order or not below next_record_id %d", rec.Id, gs.NextRecordId)
		}
		last = rec.Id
		if !dealers[rec.DealerId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "record %d names unknown dealer %q", rec.Id, rec.DealerId)
		}
		if _, err := rec.Input.Validate(); err != nil {
			return errorsmod.Wrapf(err, "record %d", rec.Id)
		}
	}
	return nil
}
