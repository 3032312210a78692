package types

import (
	"crypto/sha256"
	"regexp"
	"strconv"
	"strings"
	"time"

	errorsmod "cosmossdk.io/errors"
)

// Field limits for a record. They keep one record small enough to prove and relay cheaply.
const (
	MaxLocationLength    = 256
	MaxDescriptionLength = 2048
	MaxDealerIDLength    = 64
	MaxDealerNameLength  = 128
)

// EarliestRecordTime is the earliest occurred_at a record may carry (VINs in
// their modern form date from 1981; older documents are still accepted).
var EarliestRecordTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

var dealerIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// ValidateDealerID checks a dealer id: lower-case letters, digits, '.', '_' and '-', at most 64.
func ValidateDealerID(id string) error {
	if len(id) == 0 || len(id) > MaxDealerIDLength || !dealerIDPattern.MatchString(id) {
		return errorsmod.Wrapf(ErrInvalidDealerID,
			"%q: use 1-%d characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit", id, MaxDealerIDLength)
	}
	return nil
}

// Validate runs every stateless check on a record input of dealerID (who
// carries its sealed envelope: "" for a record of no dealer) and returns the
// parsed VIN. Checks that need chain state (clock skew, odometer order) are
// the keeper's.
func (r RecordInput) Validate(dealerID string) (VIN, error) {
	vin, err := ParseVIN(r.Vin)
	if err != nil {
		return VIN{}, err
	}
	if _, ok := RecordKind_name[int32(r.Kind)]; !ok || r.Kind == RECORD_KIND_UNSPECIFIED {
		return VIN{}, errorsmod.Wrapf(ErrInvalidRecord, "VIN %s: kind must be one of mileage, service, repair, damage, inspection, ownership_transfer, title_brand", vin.Value)
	}
	if err := r.validateBrand(vin); err != nil {
		return VIN{}, err
	}
	if r.OccurredAt.Before(EarliestRecordTime) {
		return VIN{}, errorsmod.Wrapf(ErrInvalidRecord, "VIN %s: occurred_at %s is before %s; set when the event happened",
			vin.Value, r.OccurredAt.UTC().Format(time.RFC3339), EarliestRecordTime.Format("2006-01-02"))
	}
	if n := len(r.EvidenceHash); n != 0 && n != sha256.Size {
		return VIN{}, errorsmod.Wrapf(ErrInvalidEvidenceHash, "VIN %s: evidence hash has %d bytes; give the 32-byte SHA-256 of the document or none", vin.Value, n)
	}
	if len(r.Location) > MaxLocationLength {
		return VIN{}, errorsmod.Wrapf(ErrInvalidRecord, "VIN %s: location has %d bytes, at most %d", vin.Value, len(r.Location), MaxLocationLength)
	}
	if len(r.Description) > MaxDescriptionLength {
		return VIN{}, errorsmod.Wrapf(ErrInvalidRecord, "VIN %s: description has %d bytes, at most %d", vin.Value, len(r.Description), MaxDescriptionLength)
	}
	if err := r.validateSealed(vin, dealerID); err != nil {
		return VIN{}, err
	}
	return vin, nil
}

// SealedSubject is the subject a record's sealed envelope must carry: it
// binds the envelope, and every disclosure of it, to the VIN and to the
// dealer whose record carries it (on the hub, the dealer a dealer chain's
// route is bound to), so another dealer cannot copy it onto its own record.
func SealedSubject(vin, dealerID string) string { return "vehicle/" + vin + "/" + dealerID }

// validateSealed checks an envelope's structure and subject; whether its
// recipients' keys exist is the hub's check (x/membership).
func (r RecordInput) validateSealed(vin VIN, dealerID string) error {
	if r.Sealed == nil {
		return nil
	}
	if err := r.Sealed.ValidateBasic(); err != nil {
		return errorsmod.Wrapf(ErrInvalidSealed, "VIN %s: %s", vin.Value, err)
	}
	if dealerID == "" {
		return errorsmod.Wrapf(ErrInvalidSealed, "VIN %s: a record of no dealer carries no sealed envelope", vin.Value)
	}
	if want := SealedSubject(vin.Value, dealerID); r.Sealed.Subject != want {
		return errorsmod.Wrapf(ErrInvalidSealed, "VIN %s: envelope subject %q, want %q", vin.Value, r.Sealed.Subject, want)
	}
	return nil
}

// recordRefPrefix names a record in a sealed disclosure: "vehicle/record/<id>".
const recordRefPrefix = "vehicle/record/"

// RecordRef is how a disclosure names the record carrying its envelope on
// the disclosure's chain.
func RecordRef(id uint64) string { return recordRefPrefix + strconv.FormatUint(id, 10) }

// ParseRecordRef reads a record id from a RecordRef (a bare id is accepted
// too, as the CLI takes it).
func ParseRecordRef(ref string) (uint64, error) {
	id, err := strconv.ParseUint(strings.TrimPrefix(ref, recordRefPrefix), 10, 64)
	if err != nil {
		return 0, errorsmod.Wrapf(ErrInvalidRecord, "record reference %q: want %s<id>", ref, recordRefPrefix)
	}
	return id, nil
}

// IsRecordRef reports whether ref names a vehicle record.
func IsRecordRef(ref string) bool { return strings.HasPrefix(ref, recordRefPrefix) }

// ValidateOfAnyDealer is Validate for a record whose dealer is not known
// without chain state (a notary's observation of a ledger bound to a dealer
// on chain): its sealed envelope may name any dealer, and the keeper checks
// that it is the ledger's dealer when it appends the record.
func (r RecordInput) ValidateOfAnyDealer() (VIN, error) {
	dealerID := ""
	if r.Sealed != nil {
		_, dealerID, _ = strings.Cut(strings.TrimPrefix(r.Sealed.Subject, "vehicle/"), "/")
	}
	return r.Validate(dealerID)
}

func (r RecordInput) validateBrand(vin VIN) error {
	if r.Kind == RECORD_KIND_TITLE_BRAND {
		if _, ok := TitleBrand_name[int32(r.TitleBrand)]; !ok || r.TitleBrand == TITLE_BRAND_UNSPECIFIED {
			return errorsmod.Wrapf(ErrInvalidRecord, "VIN %s: a title_brand record needs a brand: salvage, flood, rebuilt, junk, lemon or fire", vin.Value)
		}
		return nil
	}
	if r.TitleBrand != TITLE_BRAND_UNSPECIFIED {
		return errorsmod.Wrapf(ErrInvalidRecord, "VIN %s: title_brand is only allowed on records of kind title_brand", vin.Value)
	}
	return nil
}

// CheckClock rejects a record dated further than maxSkew past the block time.
func (r RecordInput) CheckClock(blockTime time.Time, maxSkew time.Duration) error {
	if limit := blockTime.Add(maxSkew); r.OccurredAt.After(limit) {
		return errorsmod.Wrapf(ErrFutureTimestamp, "VIN %s: occurred_at %s is after %s (block time + %s); check the reporter's clock",
			r.Vin, r.OccurredAt.UTC().Format(time.RFC3339), limit.UTC().Format(time.RFC3339), maxSkew)
	}
	return nil
}

// HasFlag reports whether the record carries a flag with the code.
func (r Record) HasFlag(code FlagCode) bool {
	for _, f := range r.Flags {
		if f.Code == code {
			return true
		}
	}
	return false
}

// Disputes reports whether the flag pits a record of dealerID against another
// dealer's record: only a review can tell which of the two read wrong.
func (f RecordFlag) Disputes(dealerID string) bool {
	return f.ConflictingDealerId != "" && f.ConflictingDealerId != dealerID
}

// PenalisedOnAppend reports whether the record carries a flag that counts
// against its dealer as soon as it is appended: any flag but one that
// disputes another dealer's record.
func (r Record) PenalisedOnAppend() bool {
	for _, f := range r.Flags {
		if !f.Disputes(r.DealerId) {
			return true
		}
	}
	return false
}

// ComparesOdometer reports whether the flag compares the record's odometer
// reading with another record's (and so names that record).
func (f RecordFlag) ComparesOdometer() bool {
	switch f.Code {
	case FLAG_CODE_ODOMETER_ROLLBACK, FLAG_CODE_ODOMETER_OUT_OF_ORDER, FLAG_CODE_ODOMETER_IMPLAUSIBLE:
		return true
	}
	return false
}

// ClearedBy reports whether a verdict cleared the flag for the summary: the
// record was upheld and the reading the flag compared it with was judged
// wrong (judgedWrong holds record ids). The record keeps the flag.
func (r Record) ClearedBy(f RecordFlag, judgedWrong map[uint64]bool) bool {
	return f.ComparesOdometer() && r.Review.GetStatus() == REVIEW_STATUS_UPHELD && judgedWrong[f.ConflictingRecordId]
}

// JudgedWrong reports whether a dispute resolution judged the record's reading wrong.
func (r Record) JudgedWrong() bool {
	return r.Review != nil && r.Review.Status == REVIEW_STATUS_WRONG
}
