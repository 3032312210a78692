package types

import (
	"fmt"

	errorsmod "cosmossdk.io/errors"

	"github.com/vinhub/vinhub/x/internal/accaddr"
)

// DefaultGenesis is an empty registry and history with default params.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextRecordId: 1, NextLienId: 1, NextLienRequestId: 1}
}

// Validate checks params, unique dealers, reporters of known dealers,
// records with unique ascending ids below next_record_id whose dealer exists,
// the IBC state, the lien registry and the odometer disputes.
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
		if d.Account != "" {
			if err := validateAddress("account of dealer "+d.Id, d.Account); err != nil {
				return err
			}
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
		account, _ := accaddr.Canonical(r.Address) // one key per account, however it is spelled
		key := r.DealerId + "/" + account
		if reporters[key] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "reporter %s listed twice for dealer %q", r.Address, r.DealerId)
		}
		reporters[key] = true
	}
	if gs.NextRecordId == 0 {
		return errorsmod.Wrap(ErrInvalidGenesis, "next_record_id must be at least 1")
	}
	var last uint64
	recordIDs := make(map[uint64]bool, len(gs.Records))
	origins := make(map[string]bool)
	for _, rec := range gs.Records {
		recordIDs[rec.Id] = true
		if o := rec.Origin; o != nil {
			key := fmt.Sprintf("%s/%d", o.ChainId, o.DealerRecordId)
			if o.ChainId == "" || origins[key] {
				return errorsmod.Wrapf(ErrInvalidGenesis, "record %d: origin %q is empty or names a dealer record already on file", rec.Id, key)
			}
			origins[key] = true
		}
		if rec.Id <= last || rec.Id >= gs.NextRecordId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "record id %d out of order or not below next_record_id %d", rec.Id, gs.NextRecordId)
		}
		last = rec.Id
		if err := rec.validateAuthor(dealers); err != nil {
			return err
		}
		if _, err := rec.Input.Validate(rec.DealerId); err != nil {
			return errorsmod.Wrapf(err, "record %d", rec.Id)
		}
	}
	if err := gs.validateIBC(dealers, recordIDs); err != nil {
		return err
	}
	if err := gs.validateLiens(dealers); err != nil {
		return err
	}
	if err := gs.validateDisputes(); err != nil {
		return err
	}
	if err := gs.validateLienAuthorizations(dealers); err != nil {
		return err
	}
	return gs.validateLienRequests(dealers)
}

// validateLienAuthorizations checks the owners' consents: valid, of
// registered dealers, at most one per VIN and dealer. Whether the owner still
// owns the asset is x/asset's state, checked when a consent is used.
func (gs GenesisState) validateLienAuthorizations(dealers map[string]bool) error {
	seen := make(map[string]bool, len(gs.LienAuthorizations))
	for _, a := range gs.LienAuthorizations {
		if err := a.Validate(); err != nil {
			return errorsmod.Wrap(ErrInvalidGenesis, err.Error())
		}
		if !dealers[a.DealerId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "lien authorization of VIN %s names unknown dealer %q", a.Vin, a.DealerId)
		}
		key := a.Vin + "/" + a.ChainId + "/" + a.DealerId
		if seen[key] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "lien authorization of VIN %s for dealer %q on chain %s listed twice", a.Vin, a.DealerId, a.ChainId)
		}
		seen[key] = true
	}
	return nil
}

// validateLienRequests checks a dealer chain's lien requests: ascending ids
// below next_lien_request_id, known dealers, valid VINs and statuses, a packet
// for those in flight, a hub lien for those granted, and at most one open
// request per dealer and VIN.
func (gs GenesisState) validateLienRequests(dealers map[string]bool) error {
	if len(gs.LienRequests) > 0 && gs.NextLienRequestId == 0 {
		return errorsmod.Wrap(ErrInvalidGenesis, "next_lien_request_id must be above every lien request id")
	}
	var last uint64
	open := make(map[string]uint64)
	hubLiens := make(map[uint64]uint64)
	for _, r := range gs.LienRequests {
		if r.Id == 0 || r.Id <= last || r.Id >= gs.NextLienRequestId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "lien request id %d zero, listed twice, out of order or not below next_lien_request_id %d", r.Id, gs.NextLienRequestId)
		}
		last = r.Id
		if !dealers[r.DealerId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "lien request %d names unknown dealer %q", r.Id, r.DealerId)
		}
		if vin, err := ParseVIN(r.Vin); err != nil || vin.Value != r.Vin {
			return errorsmod.Wrapf(ErrInvalidGenesis, "lien request %d: VIN %q is invalid or not in canonical form", r.Id, r.Vin)
		}
		if _, ok := LienRequestStatus_name[int32(r.Status)]; !ok || r.Status == LIEN_REQUEST_STATUS_UNSPECIFIED {
			return errorsmod.Wrapf(ErrInvalidGenesis, "lien request %d has no valid status", r.Id)
		}
		if r.InFlight() && (r.Sequence == 0 || r.Route.Validate() != nil) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "lien request %d is in flight in no packet", r.Id)
		}
		if r.HoldsHubLien() || r.Status == LIEN_REQUEST_STATUS_RELEASED {
			if r.HubLienId == 0 {
				return errorsmod.Wrapf(ErrInvalidGenesis, "lien request %d is %s without a hub lien id", r.Id, r.Status)
			}
			if other, dup := hubLiens[r.HubLienId]; dup {
				return errorsmod.Wrapf(ErrInvalidGenesis, "lien requests %d and %d both name hub lien %d", other, r.Id, r.HubLienId)
			}
			hubLiens[r.HubLienId] = r.Id
		}
		if !r.IsOpen() {
			continue
		}
		key := r.DealerId + "/" + r.Vin
		if other, dup := open[key]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "dealer %q has two open lien requests for VIN %s, %d and %d", r.DealerId, r.Vin, other, r.Id)
		}
		open[key] = r.Id
	}
	return nil
}

// validateLiens checks the lien registry: valid liens with ascending ids
// below next_lien_id, dealer holders that are registered (dealers are never
// deleted), and at most one active lien per VIN.
func (gs GenesisState) validateLiens(dealers map[string]bool) error {
	if len(gs.Liens) > 0 && gs.NextLienId == 0 {
		return errorsmod.Wrap(ErrInvalidGenesis, "next_lien_id must be above every lien id")
	}
	var last uint64
	active := make(map[string]uint64)
	for _, l := range gs.Liens {
		if err := l.Validate(); err != nil {
			return errorsmod.Wrap(ErrInvalidGenesis, err.Error())
		}
		if c, _ := accaddr.CanonicalBech32(l.Holder.Lender); c != l.Holder.Lender {
			return errorsmod.Wrapf(ErrInvalidGenesis, "lien %d: lender %q is not in canonical form; write %s", l.Id, l.Holder.Lender, c)
		}
		if l.Id <= last || l.Id >= gs.NextLienId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "lien id %d listed twice, out of order or not below next_lien_id %d", l.Id, gs.NextLienId)
		}
		last = l.Id
		if !l.Holder.IsHub() && !dealers[l.Holder.DealerId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "lien %d is held by unknown dealer %q", l.Id, l.Holder.DealerId)
		}
		if !l.IsActive() {
			continue
		}
		if other, ok := active[l.Vin]; ok {
			return errorsmod.Wrapf(ErrInvalidGenesis, "VIN %s has two active liens, %d and %d; at most one may be active", l.Vin, other, l.Id)
		}
		active[l.Vin] = l.Id
	}
	return nil
}

// validateIBC checks bindings (known dealers, valid routes, no duplicates),
// the hub route, and sync states of existing records in id order.
func (gs GenesisState) validateIBC(dealers map[string]bool, recordIDs map[uint64]bool) error {
	bindings := make(map[string]bool, len(gs.Bindings))
	for _, b := range gs.Bindings {
		if !dealers[b.DealerId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "binding of unknown dealer %q", b.DealerId)
		}
		if err := b.Route.Validate(); err != nil {
			return err
		}
		if b.ChainId == "" {
			return errorsmod.Wrapf(ErrInvalidGenesis, "binding of %q to %s names no chain", b.DealerId, b.Route.Key())
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
		if st.RecordId <= last || !recordIDs[st.RecordId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "sync state of record %d out of order or of no record", st.RecordId)
		}
		last = st.RecordId
		if _, ok := SyncStatus_name[int32(st.Status)]; !ok || st.Status == SYNC_STATUS_UNSPECIFIED {
			return errorsmod.Wrapf(ErrInvalidGenesis, "sync state of record %d has no valid status", st.RecordId)
		}
		if st.Status == SYNC_STATUS_IN_FLIGHT && (st.Sequence == 0 || st.Route.Validate() != nil) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "in-flight sync state of record %d names no packet", st.RecordId)
		}
	}
	return nil
}

// validateAuthor checks who wrote a record: a known dealer, or the hub
// itself (a title move, with its origin and no dealer).
func (rec Record) validateAuthor(dealers map[string]bool) error {
	if o := rec.TitleOrigin; o != nil {
		if rec.DealerId != "" || rec.Input.Kind != RECORD_KIND_OWNERSHIP_TRANSFER {
			return errorsmod.Wrapf(ErrInvalidGenesis, "record %d: a title move is an ownership transfer and names no dealer", rec.Id)
		}
		return errorsmod.Wrapf(o.Validate(), "record %d", rec.Id)
	}
	if !dealers[rec.DealerId] {
		return errorsmod.Wrapf(ErrInvalidGenesis, "record %d names unknown dealer %q", rec.Id, rec.DealerId)
	}
	return nil
}
