package types

import (
	"slices"

	errorsmod "cosmossdk.io/errors"
)

// IsOpen reports whether the dispute still waits for a verdict.
func (d Dispute) IsOpen() bool { return d.Status == DISPUTE_STATUS_OPEN }

// Other returns the dispute's record that is not recordID, and whether
// recordID is one of its two records at all.
func (d Dispute) Other(recordID uint64) (uint64, bool) {
	switch recordID {
	case d.FlaggedRecordId:
		return d.ConflictingRecordId, true
	case d.ConflictingRecordId:
		return d.FlaggedRecordId, true
	}
	return 0, false
}

// validate checks a dispute against the records it names (genesis): it is
// keyed by its flagged record, pits two existing records of one VIN and two
// dealers, the conflicting one older, and a resolved one names one of them wrong.
func (d Dispute) validate(records map[uint64]Record) error {
	flagged, okF := records[d.FlaggedRecordId]
	conflicting, okC := records[d.ConflictingRecordId]
	switch {
	case d.Id != d.FlaggedRecordId || !okF || !okC:
		return errorsmod.Wrapf(ErrInvalidGenesis, "dispute %d must be keyed by its flagged record and name two records on file", d.Id)
	case d.ConflictingRecordId >= d.FlaggedRecordId:
		return errorsmod.Wrapf(ErrInvalidGenesis, "dispute %d: the conflicting record %d must be older than the flagged one", d.Id, d.ConflictingRecordId)
	case flagged.Input.Vin != d.Vin || conflicting.Input.Vin != d.Vin:
		return errorsmod.Wrapf(ErrInvalidGenesis, "dispute %d: both records must be of VIN %s", d.Id, d.Vin)
	case flagged.DealerId != d.FlaggedDealerId || conflicting.DealerId != d.ConflictingDealerId || d.FlaggedDealerId == d.ConflictingDealerId:
		return errorsmod.Wrapf(ErrInvalidGenesis, "dispute %d: dealers must be the records' and differ", d.Id)
	}
	switch d.Status {
	case DISPUTE_STATUS_OPEN:
		if d.Verdict != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "open dispute %d has a verdict", d.Id)
		}
	case DISPUTE_STATUS_RESOLVED:
		if d.Verdict == nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "resolved dispute %d has no verdict", d.Id)
		}
		if _, party := d.Other(d.Verdict.WrongRecordId); !party {
			return errorsmod.Wrapf(ErrInvalidGenesis, "dispute %d: verdict names record %d, not one of its records", d.Id, d.Verdict.WrongRecordId)
		}
	default:
		return errorsmod.Wrapf(ErrInvalidGenesis, "dispute %d has no valid status", d.Id)
	}
	return nil
}

// validateDisputes checks the disputes and that every record's review names
// only disputes it is a party to.
func (gs GenesisState) validateDisputes() error {
	records := make(map[uint64]Record, len(gs.Records))
	for _, rec := range gs.Records {
		records[rec.Id] = rec
	}
	disputes := make(map[uint64]Dispute, len(gs.Disputes))
	var last uint64
	for _, d := range gs.Disputes {
		if d.Id <= last {
			return errorsmod.Wrapf(ErrInvalidGenesis, "dispute id %d listed twice or out of order", d.Id)
		}
		last = d.Id
		if err := d.validate(records); err != nil {
			return err
		}
		for _, party := range []uint64{d.FlaggedRecordId, d.ConflictingRecordId} {
			if !slices.Contains(records[party].Review.GetDisputeIds(), d.Id) {
				return errorsmod.Wrapf(ErrInvalidGenesis, "dispute %d: record %d's review does not name it", d.Id, party)
			}
		}
		disputes[d.Id] = d
	}
	for _, rec := range gs.Records {
		if rec.Review == nil {
			continue
		}
		for _, id := range rec.Review.DisputeIds {
			if _, party := disputes[id].Other(rec.Id); !party {
				return errorsmod.Wrapf(ErrInvalidGenesis, "record %d names dispute %d, which is not about it", rec.Id, id)
			}
		}
	}
	return nil
}
