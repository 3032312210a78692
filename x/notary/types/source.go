package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// ID names the source: "<platform>/<network id>".
func (s Source) ID() string { return SourceID(s.Platform, s.NetworkId) }

// Limit is the governor's limit for asset, or false if the asset is not
// accepted on this source.
func (s Source) Limit(asset string) (math.Int, bool) {
	for _, l := range s.Limits {
		if l.Asset == asset {
			return l.Limit, true
		}
	}
	return math.Int{}, false
}

// Validate checks a payment source: Stellar or Bitcoin (ledgers are
// accepted by binding them to a dealer), its network id in canonical hex,
// and distinct assets with positive limits.
func (s Source) Validate() error {
	if s.Platform != PLATFORM_STELLAR && s.Platform != PLATFORM_BITCOIN {
		return errorsmod.Wrapf(ErrInvalidSource, "platform %s: sources are stellar or bitcoin networks (bind a ledger with MsgBindLedger)", s.Platform)
	}
	if !hex32.MatchString(s.NetworkId) {
		return errorsmod.Wrapf(ErrInvalidSource, "network_id %q must be 64 lower-case hex characters", s.NetworkId)
	}
	seen := map[string]bool{}
	for _, l := range s.Limits {
		if l.Asset == "" || !printable(l.Asset, 64) || seen[l.Asset] {
			return errorsmod.Wrapf(ErrInvalidSource, "asset %q: 1-64 printable characters, listed once", l.Asset)
		}
		seen[l.Asset] = true
		if l.Limit.IsNil() || !l.Limit.IsPositive() {
			return errorsmod.Wrapf(ErrInvalidSource, "asset %q: limit must be a positive integer", l.Asset)
		}
	}
	return nil
}

// ValidateLedgerID checks a ledger id's form.
func ValidateLedgerID(id string) error {
	if !ledgerRef.MatchString(id) {
		return errorsmod.Wrapf(ErrInvalidSource, "ledger id %q: 1-128 of A-Z a-z 0-9 . _ : -", id)
	}
	return nil
}
