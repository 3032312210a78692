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
	return gs.validateIBC(dealers, last)
}

// validateIBC checks bindings (known dealers, valid routes, no duplicates),
// the hub route, and sync states of existing records in id order.
func (gs GenesisState) validateIBC(dealers map[string]bool, lastRecordID uint64) error {
	bindings := make(map[string]bool, len(gs.Bindings))
	for _, b := range gs.Bindings {
		if !dealers[b.DealerId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "binding of unknown dealer %q", b.DealerId)
		}
		if err := b.Route.Validate(); err != nil {
			return err
		}
		key := b.Route.Key() + "/" + b.DealerId
		if bindings[key] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "dealer %q bound to %s twice", b.DealerId, b.Route.Key())
		}
		bindings[key] = true
	}
	if !gs.HubRoute.IsEmpty() {
		if err := gs.HubRoute.Validate(); err != nil {
			return err
		}
	}
	var last uint64
	for _, st := range gs.SyncStates {
		if st.RecordId <= last || st.RecordId > lastRecordID {
			return errorsmod.Wrapf(ErrInvalidGenesis, "sync state of record %d out of order or of no record", st.RecordId)
		}
		last = st.RecordId
		if _, ok := SyncStatus_name[int32(st.Status)]; !ok || st.Status == SYNC_STATUS_UNSPECIFIED {
			return errorsmod.Wrapf(ErrInvalidGenesis, "sync state of record %d has no valid status", st.RecordId)
		}
	}
	return nil
}
