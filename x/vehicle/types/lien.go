package types

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/types/bech32"
)

// Field limits of the lien registry.
const (
	// MaxChainIDLength bounds a holder's chain id (CometBFT allows 50).
	MaxChainIDLength = 64
	// MaxLienReferenceLength bounds a holder's own reference.
	MaxLienReferenceLength = 128
	// MaxLienReasonLength bounds a release reason.
	MaxLienReasonLength = 256
	// MaxLenderLength bounds a lender address.
	MaxLenderLength = 128
)

var moduleNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// IsHub reports whether the lien is held by a module of the hub itself.
func (h LienHolder) IsHub() bool { return h.ChainId == "" }

// String describes the holder as errors and events name it, e.g.
// `dealer "dealera-motors" on chain dealer-a (lender cosmos1..., reference 12)`
// or `module asset on the hub (lender cosmos1..., reference loan/3)`.
func (h LienHolder) String() string {
	var b strings.Builder
	if h.IsHub() {
		fmt.Fprintf(&b, "module %s on the hub", h.Module)
	} else {
		fmt.Fprintf(&b, "dealer %q on chain %s", h.DealerId, h.ChainId)
	}
	var details []string
	if h.Lender != "" {
		details = append(details, "lender "+h.Lender)
	}
	if h.Reference != "" {
		details = append(details, "reference "+h.Reference)
	}
	if len(details) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(details, ", "))
	}
	return b.String()
}

// SameParty reports whether other names the same holder: same chain, dealer
// and module. Lender and reference describe the lien, not who holds it.
func (h LienHolder) SameParty(other LienHolder) bool {
	return h.ChainId == other.ChainId && h.DealerId == other.DealerId && h.Module == other.Module
}

// IndexKey is the holder's key in the by-holder index: the party
// ("dealer/<dealer id>" or "module/<module>") and the chain id ("" on the hub).
// The kind prefix keeps a dealer named like a module apart from the module.
func (h LienHolder) IndexKey() (party, chainID string) {
	if h.IsHub() {
		return HolderPartyModule(h.Module), ""
	}
	return HolderPartyDealer(h.DealerId), h.ChainId
}

// HolderPartyDealer is a dealer's party key in the by-holder index.
func HolderPartyDealer(dealerID string) string { return "dealer/" + dealerID }

// HolderPartyModule is a hub module's party key in the by-holder index.
func HolderPartyModule(module string) string { return "module/" + module }

// Validate checks the holder is either a dealer on a dealer chain (chain_id
// and dealer_id set, no module) or a hub module (module set, no chain_id or
// dealer_id), with a bech32 lender and a bounded reference.
func (h LienHolder) Validate() error {
	if h.IsHub() {
		if !moduleNamePattern.MatchString(h.Module) {
			return errorsmod.Wrapf(ErrInvalidLien, "holder on the hub needs a module name ([a-z][a-z0-9_]*, at most 32), got %q", h.Module)
		}
		if h.DealerId != "" {
			return errorsmod.Wrapf(ErrInvalidLien, "a hub holder (module %s) has no dealer_id; dealers hold liens through their dealer chain", h.Module)
		}
	} else {
		if err := ValidateHolderChainID(h.ChainId); err != nil {
			return err
		}
		if err := ValidateDealerID(h.DealerId); err != nil {
			return errorsmod.Wrapf(ErrInvalidLien, "holder on chain %s: %s", h.ChainId, err)
		}
		if h.Module != "" {
			return errorsmod.Wrapf(ErrInvalidLien, "holder on chain %s names module %q; only hub holders (empty chain_id) name a module", h.ChainId, h.Module)
		}
	}
	if err := ValidateLender(h.Lender); err != nil {
		return err
	}
	if len(h.Reference) > MaxLienReferenceLength || !printableASCII(h.Reference) {
		return errorsmod.Wrapf(ErrInvalidLien, "reference %q: at most %d printable ASCII characters, no spaces", h.Reference, MaxLienReferenceLength)
	}
	return nil
}

// ValidateLender checks a lender address: bech32 with any prefix, since the
// lender lives on the holder's chain, which may use its own prefix.
func ValidateLender(lender string) error {
	if lender == "" {
		return errorsmod.Wrap(ErrInvalidLien, "lender is required: the account financing the car")
	}
	if len(lender) > MaxLenderLength {
		return errorsmod.Wrapf(ErrInvalidLien, "lender has %d bytes, at most %d", len(lender), MaxLenderLength)
	}
	if _, _, err := bech32.DecodeAndConvert(lender); err != nil {
		return errorsmod.Wrapf(ErrInvalidLien, "lender %q is not a bech32 address: %s", lender, err)
	}
	return nil
}

// ValidateHolderChainID checks a dealer holder's chain id: 1 to
// MaxChainIDLength printable ASCII characters without spaces.
func ValidateHolderChainID(chainID string) error {
	if chainID == "" || len(chainID) > MaxChainIDLength || !printableASCII(chainID) {
		return errorsmod.Wrapf(ErrInvalidLien, "holder chain_id %q: 1-%d printable ASCII characters, no spaces", chainID, MaxChainIDLength)
	}
	return nil
}

// ValidateForceReleaseReason requires the reason governance gives for
// releasing a lien without its holder: it stays on the lien as its history.
func ValidateForceReleaseReason(reason string) error {
	if strings.TrimSpace(reason) == "" {
		return errorsmod.Wrap(ErrInvalidLien, "a forced release needs a reason; it is kept on the lien")
	}
	return ValidateLienReason(reason)
}

// ValidateLienReason bounds a release reason.
func ValidateLienReason(reason string) error {
	if len(reason) > MaxLienReasonLength {
		return errorsmod.Wrapf(ErrInvalidLien, "release reason has %d bytes, at most %d", len(reason), MaxLienReasonLength)
	}
	return nil
}

// Validate checks a stored lien (genesis): id, canonical VIN, holder, status
// and the release fields matching the status.
func (l Lien) Validate() error {
	if l.Id == 0 {
		return errorsmod.Wrap(ErrInvalidLien, "lien id must be non-zero")
	}
	vin, err := ParseVIN(l.Vin)
	if err != nil {
		return errorsmod.Wrapf(err, "lien %d", l.Id)
	}
	if vin.Value != l.Vin {
		return errorsmod.Wrapf(ErrInvalidLien, "lien %d: VIN %q is not in canonical form %q", l.Id, l.Vin, vin.Value)
	}
	if err := l.Holder.Validate(); err != nil {
		return errorsmod.Wrapf(err, "lien %d", l.Id)
	}
	if err := l.validateProvenance(); err != nil {
		return err
	}
	switch l.Status {
	case LIEN_STATUS_ACTIVE:
		if l.ReleasedAt != nil || l.ReleasedHeight != 0 || l.ReleaseReason != "" || l.ReleasedBy != "" {
			return errorsmod.Wrapf(ErrInvalidLien, "lien %d is active but carries release fields", l.Id)
		}
	case LIEN_STATUS_RELEASED:
		if l.ReleasedAt == nil {
			return errorsmod.Wrapf(ErrInvalidLien, "lien %d is released but has no released_at", l.Id)
		}
		return ValidateLienReason(l.ReleaseReason)
	default:
		return errorsmod.Wrapf(ErrInvalidLien, "lien %d has status %d; it must be active or released", l.Id, l.Status)
	}
	return nil
}

// validateProvenance checks how the lien came and went: only a dealer's lien
// has a grant route or an owner's consent, and who forced a release is an address.
func (l Lien) validateProvenance() error {
	if l.Holder.IsHub() && (l.GrantedRoute != nil || l.AuthorizedBy != "") {
		return errorsmod.Wrapf(ErrInvalidLien, "lien %d is held by hub module %s; only dealer liens have a grant route or an owner's consent", l.Id, l.Holder.Module)
	}
	if l.GrantedRoute != nil {
		if err := l.GrantedRoute.Validate(); err != nil {
			return errorsmod.Wrapf(err, "lien %d grant route", l.Id)
		}
	}
	if l.AuthorizedBy != "" {
		if err := validateAddress("lien authorized_by", l.AuthorizedBy); err != nil {
			return err
		}
	}
	if l.ReleasedBy != "" {
		return validateAddress("lien released_by", l.ReleasedBy)
	}
	return nil
}

// Validate checks a stored consent (genesis): canonical VIN, the dealer it
// names, its owner and asset.
func (a LienAuthorization) Validate() error {
	if err := validateConsentKey(a.Vin, a.ChainId, a.DealerId); err != nil {
		return err
	}
	if vin, _ := ParseVIN(a.Vin); vin.Value != a.Vin {
		return errorsmod.Wrapf(ErrInvalidLien, "lien authorization: VIN %q is not in canonical form %q", a.Vin, vin.Value)
	}
	if err := validateAddress("lien authorization owner", a.Owner); err != nil {
		return err
	}
	if a.AssetId == 0 {
		return errorsmod.Wrapf(ErrInvalidLien, "lien authorization of VIN %s names no asset", a.Vin)
	}
	return nil
}

// Usable reports whether the consent can still be used at time now: not expired.
func (a LienAuthorization) Usable(now time.Time) bool {
	return a.ExpiresAt == nil || now.Before(*a.ExpiresAt)
}

// IsActive reports whether the lien still encumbers its VIN.
func (l Lien) IsActive() bool { return l.Status == LIEN_STATUS_ACTIVE }

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// IsOpen reports whether the request still stands in the way of another
// request by the same dealer for the same VIN: asked, granted or releasing.
func (r LienRequest) IsOpen() bool {
	switch r.Status {
	case LIEN_REQUEST_STATUS_REQUESTED, LIEN_REQUEST_STATUS_GRANTED, LIEN_REQUEST_STATUS_RELEASING:
		return true
	default:
		return false
	}
}

// InFlight reports whether a packet for the request awaits its acknowledgement or timeout.
func (r LienRequest) InFlight() bool {
	return r.Status == LIEN_REQUEST_STATUS_REQUESTED || r.Status == LIEN_REQUEST_STATUS_RELEASING
}

// HoldsHubLien reports whether the hub holds a lien for the request (granted, or its release is on the way).
func (r LienRequest) HoldsHubLien() bool {
	return r.Status == LIEN_REQUEST_STATUS_GRANTED || r.Status == LIEN_REQUEST_STATUS_RELEASING
}
