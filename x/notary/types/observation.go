package types

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	errorsmod "cosmossdk.io/errors"

	"github.com/vinhub/vinhub/hashlock"
)

// MaxObservationBytes is the hard bound of an observation's encoding,
// whatever the params say (the params may only lower it).
const MaxObservationBytes = 16 * 1024

var (
	// hex32 is a 32-byte value in lower-case hex: Stellar and Bitcoin
	// transaction hashes, network ids, hash locks.
	hex32 = regexp.MustCompile(`^[0-9a-f]{64}$`)
	// ledgerRef is a ledger id or record reference: no '/', which
	// separates the parts of a source key.
	ledgerRef = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)
)

// Name is the platform's lower-case name used in source keys.
func (p Platform) Name() string {
	return strings.ToLower(strings.TrimPrefix(p.String(), "PLATFORM_"))
}

// SourceID names a platform's network: "stellar/<network id>".
func SourceID(p Platform, networkID string) string { return p.Name() + "/" + networkID }

// SourceKey names one source event: "<platform>/<network>/<tx_ref>/<index>".
// Every observation of that event, honest or not, has the same key.
func (o Observation) SourceKey() string {
	return SourceID(o.Platform, o.NetworkId) + "/" + o.TxRef + "/" + strconv.FormatUint(uint64(o.Index), 10)
}

// SourceID is the observation's platform network.
func (o Observation) SourceID() string { return SourceID(o.Platform, o.NetworkId) }

// Encode is the observation's canonical encoding: gogoproto's
// deterministic marshalling of the decoded message (fields in number
// order, defaults omitted, no unknown fields), so that every notary and
// the hub derive the same bytes from the same facts.
func (o Observation) Encode() ([]byte, error) {
	o.Time = o.Time.UTC()
	return o.Marshal()
}

// Hash is SHA-256 of the encoding: two observations of one source event
// with different hashes are an equivocation, whatever set signed them.
func (o Observation) Hash() ([]byte, error) {
	bz, err := o.Encode()
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(bz)
	return h[:], nil
}

// Validate checks an observation's form: the platform, the identifiers in
// their one canonical spelling, the time and a payload that fits the
// platform. Whether the hub accepts the source is the keeper's question.
func (o Observation) Validate() error {
	bad := func(format string, args ...any) error {
		return errorsmod.Wrapf(ErrInvalidObservation, format, args...)
	}
	if o.Size() > MaxObservationBytes {
		return errorsmod.Wrapf(ErrObservationTooLarge, "%d bytes, at most %d", o.Size(), MaxObservationBytes)
	}
	if o.Time.IsZero() || o.Time.Unix() <= 0 {
		return bad("time on the source is missing")
	}
	switch o.Platform {
	case PLATFORM_STELLAR, PLATFORM_BITCOIN:
		if !hex32.MatchString(o.NetworkId) {
			return bad("network_id %q must be 64 lower-case hex characters", o.NetworkId)
		}
		if !hex32.MatchString(o.TxRef) {
			return bad("tx_ref %q must be the transaction hash in 64 lower-case hex characters", o.TxRef)
		}
		switch p := o.Payload.(type) {
		case *Observation_Payment:
			return p.Payment.validate()
		case *Observation_HtlcSpend:
			return p.HtlcSpend.validate()
		}
		return bad("a %s observation carries a payment or an htlc_spend", o.Platform.Name())
	case PLATFORM_LEDGER:
		if !ledgerRef.MatchString(o.NetworkId) || !ledgerRef.MatchString(o.TxRef) {
			return bad("ledger id %q and record reference %q must be 1-128 of A-Z a-z 0-9 . _ : -", o.NetworkId, o.TxRef)
		}
		p, ok := o.Payload.(*Observation_VehicleRecord)
		if !ok {
			return bad("a ledger observation carries a vehicle_record")
		}
		if _, err := p.VehicleRecord.Record.ValidateOfAnyDealer(); err != nil {
			return bad("vehicle record: %v", err)
		}
		return nil
	}
	return bad("unknown platform %d", o.Platform)
}

func (p *Payment) validate() error {
	switch {
	case p == nil:
		return errorsmod.Wrap(ErrInvalidObservation, "payment is empty")
	case !printable(p.Asset, 64) || p.Asset == "":
		return errorsmod.Wrapf(ErrInvalidObservation, "payment asset %q: 1-64 printable characters", p.Asset)
	case p.Amount.IsNil() || !p.Amount.IsPositive():
		return errorsmod.Wrap(ErrInvalidObservation, "payment amount must be a positive integer (smallest unit)")
	case p.Amount.BigInt().BitLen() > 128:
		return errorsmod.Wrap(ErrInvalidObservation, "payment amount above 2^128")
	case !printable(p.From, 128) || !printable(p.To, 128) || p.To == "":
		return errorsmod.Wrap(ErrInvalidObservation, "payment from/to: printable, at most 128 characters, to required")
	case !printable(p.Memo, 64):
		return errorsmod.Wrap(ErrInvalidObservation, "payment memo: printable, at most 64 characters")
	}
	return nil
}

func (h *HtlcSpend) validate() error {
	if h == nil || !hex32.MatchString(h.HashLock) {
		return errorsmod.Wrap(ErrInvalidObservation, "htlc_spend hash_lock must be 64 lower-case hex characters")
	}
	if !printable(h.Contract, 128) || h.Contract == "" {
		return errorsmod.Wrap(ErrInvalidObservation, "htlc_spend contract: 1-128 printable characters")
	}
	if h.Secret == "" {
		return nil // a refund
	}
	if !hex32.MatchString(h.Secret) {
		return errorsmod.Wrap(ErrInvalidObservation, "htlc_spend secret must be 64 lower-case hex characters")
	}
	hash, err := hashlock.ParseHash(h.HashLock)
	if err != nil {
		return errorsmod.Wrap(ErrInvalidObservation, err.Error())
	}
	secret, _ := hex.DecodeString(h.Secret)
	if _, err := hashlock.Verify(hash, secret); err != nil {
		return errorsmod.Wrapf(ErrInvalidObservation, "htlc_spend: %v", err)
	}
	return nil
}

// printable wants valid UTF-8 without control characters, at most max bytes.
func printable(s string, max int) bool {
	if len(s) > max || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// LoanMemo is how a payment names the hub loan it repays.
func LoanMemo(loanID uint64) string { return fmt.Sprintf("loan:%d", loanID) }

// ParseLoanMemo reads a loan id from a payment memo ("loan:<id>").
func ParseLoanMemo(memo string) (uint64, bool) {
	rest, ok := strings.CutPrefix(memo, "loan:")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseUint(rest, 10, 64)
	return id, err == nil && id > 0 && strconv.FormatUint(id, 10) == rest
}

// BitcoinInputBase is added to an input's position to make a Bitcoin
// observation's index: a Payment's index is its output (vout), an
// HtlcSpend's is BitcoinInputBase + the spending input (vin), so an output
// and an input of one transaction never share a source key.
const BitcoinInputBase = 1 << 31

// BitcoinInputIndex is the index of an observation of input vin.
func BitcoinInputIndex(vin uint32) uint32 { return BitcoinInputBase | vin }
