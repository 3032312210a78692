package types

import (
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/sealed"
	"github.com/vinhub/vinhub/x/internal/accaddr"
)

// Limits on what a message may carry.
const (
	MaxDescriptionLength = 1024
	MaxReferenceLength   = 128
	MaxReasonLength      = 512
	MaxEvidenceHashes    = 16
)

// ValidateBasic checks the owner, kind, description, evidence and the kind's binding.
func (m *MsgApply) ValidateBasic() error {
	if err := validateAddress("owner", m.Owner); err != nil {
		return err
	}
	if err := m.Kind.Validate(); err != nil {
		return err
	}
	if strings.TrimSpace(m.Description) == "" || len(m.Description) > MaxDescriptionLength {
		return errorsmod.Wrapf(ErrInvalidDescription, "description must be 1-%d bytes, got %d", MaxDescriptionLength, len(m.Description))
	}
	if len(m.EvidenceHashes) == 0 || len(m.EvidenceHashes) > MaxEvidenceHashes {
		return errorsmod.Wrapf(ErrInvalidEvidence, "give 1-%d evidence hashes (hex SHA-256 of your documents), got %d", MaxEvidenceHashes, len(m.EvidenceHashes))
	}
	for _, h := range m.EvidenceHashes {
		if err := ValidateEvidenceHash(h); err != nil {
			return err
		}
	}
	if len(m.Reference) > MaxReferenceLength {
		return errorsmod.Wrapf(ErrInvalidDescription, "reference has %d bytes, at most %d", len(m.Reference), MaxReferenceLength)
	}
	if m.Kind == ASSET_KIND_VEHICLE && m.Vin == "" {
		return errorsmod.Wrap(ErrInvalidKind, "a vehicle asset needs the car's VIN (--vin)")
	}
	if m.Kind != ASSET_KIND_VEHICLE && m.Vin != "" {
		return errorsmod.Wrapf(ErrInvalidKind, "only vehicle assets carry a VIN; this is %s", m.Kind)
	}
	return nil
}

// ValidateBasic checks the examiner, the valuation and its evidence.
func (m *MsgApprove) ValidateBasic() error {
	return validateValuation(m.Examiner, m.Valuation, m.EvidenceHash, m.Comment)
}

// ValidateBasic checks the examiner and the reason.
func (m *MsgReject) ValidateBasic() error {
	if err := validateAddress("examiner", m.Examiner); err != nil {
		return err
	}
	return ValidateReason(m.Reason)
}

// ValidateBasic checks the examiner, the valuation and its evidence.
func (m *MsgRevalue) ValidateBasic() error {
	return validateValuation(m.Examiner, m.Valuation, m.EvidenceHash, m.Comment)
}

// ValidateBasic checks the signer and the reason.
func (m *MsgFreeze) ValidateBasic() error {
	if err := validateAddress("signer", m.Signer); err != nil {
		return err
	}
	return ValidateReason(m.Reason)
}

// ValidateBasic checks the signer and the reason.
func (m *MsgUnfreeze) ValidateBasic() error {
	if err := validateAddress("signer", m.Signer); err != nil {
		return err
	}
	return ValidateReason(m.Reason)
}

// ValidateBasic checks the owner and the price.
func (m *MsgList) ValidateBasic() error {
	if err := validateAddress("owner", m.Owner); err != nil {
		return err
	}
	return ValidateAmount("price", m.Price)
}

// ValidateBasic checks the owner.
func (m *MsgUnlist) ValidateBasic() error { return validateAddress("owner", m.Owner) }

// ValidateBasic checks the buyer and the price.
func (m *MsgBuy) ValidateBasic() error {
	if err := validateAddress("buyer", m.Buyer); err != nil {
		return err
	}
	return ValidateAmount("price", m.Price)
}

// ValidateBasic checks both addresses.
func (m *MsgTransfer) ValidateBasic() error {
	if err := validateAddress("owner", m.Owner); err != nil {
		return err
	}
	if err := validateAddress("recipient", m.Recipient); err != nil {
		return err
	}
	if accaddr.Same(m.Owner, m.Recipient) {
		return errorsmod.Wrap(ErrSelfDealing, "recipient is the owner: nothing to transfer")
	}
	return nil
}

// ValidateBasic checks the parties, the principal, the term and the foreign
// repayment terms; the interest rate is checked against the params by the keeper.
func (m *MsgOfferLoan) ValidateBasic() error {
	if err := validateAddress("lender", m.Lender); err != nil {
		return err
	}
	if err := validateAddress("borrower", m.Borrower); err != nil {
		return err
	}
	if accaddr.Same(m.Lender, m.Borrower) {
		return errorsmod.Wrap(ErrSelfDealing, "lender and borrower are the same account")
	}
	if err := ValidateAmount("principal", m.Principal); err != nil {
		return err
	}
	if m.Term <= 0 {
		return errorsmod.Wrapf(ErrInvalidTerm, "term must be positive, got %s", m.Term)
	}
	return ValidateForeignRepayments(m.ForeignRepayments)
}

// ValidateBasic checks the lender.
func (m *MsgCancelOffer) ValidateBasic() error { return validateAddress("lender", m.Lender) }

// ValidateBasic checks the owner.
func (m *MsgPledge) ValidateBasic() error { return validateAddress("owner", m.Owner) }

// ValidateBasic checks the borrower.
func (m *MsgRepay) ValidateBasic() error { return validateAddress("borrower", m.Borrower) }

// ValidateBasic checks the lender.
func (m *MsgDeclareDefault) ValidateBasic() error { return validateAddress("lender", m.Lender) }

// ValidateBasic checks the owner.
func (m *MsgRedeem) ValidateBasic() error { return validateAddress("owner", m.Owner) }

// ValidateBasic checks the authority's address and the params.
func (m *MsgUpdateParams) ValidateBasic() error {
	if err := validateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}

// Validate refuses the unspecified kind and unknown values.
func (k AssetKind) Validate() error {
	if _, ok := AssetKind_name[int32(k)]; !ok || k == ASSET_KIND_UNSPECIFIED {
		return errorsmod.Wrapf(ErrInvalidKind, "kind %d: use vehicle, warehouse-receipt or receivable", k)
	}
	return nil
}

// ValidateEvidenceHash accepts a hex SHA-256 digest.
func ValidateEvidenceHash(h string) error {
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != 32 {
		return errorsmod.Wrapf(ErrInvalidEvidence, "%q is not a hex SHA-256 digest (64 hex characters)", h)
	}
	return nil
}

// ValidateReason accepts a non-empty reason of bounded length.
func ValidateReason(reason string) error {
	if strings.TrimSpace(reason) == "" || len(reason) > MaxReasonLength {
		return errorsmod.Wrapf(ErrInvalidReason, "give a reason of 1-%d bytes, got %d", MaxReasonLength, len(reason))
	}
	return nil
}

// ValidateAmount accepts a valid, positive coin.
func ValidateAmount(what string, c sdk.Coin) error {
	if err := c.Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidAmount, "%s %s: %v", what, c, err)
	}
	if !c.IsPositive() {
		return errorsmod.Wrapf(ErrInvalidAmount, "%s must be positive, got %s", what, c)
	}
	return nil
}

func validateValuation(examiner string, value sdk.Coin, evidence, note string) error {
	if err := validateAddress("examiner", examiner); err != nil {
		return err
	}
	if err := ValidateAmount("valuation", value); err != nil {
		return err
	}
	if err := ValidateEvidenceHash(evidence); err != nil {
		return err
	}
	if len(note) > MaxReasonLength {
		return errorsmod.Wrapf(ErrInvalidReason, "note has %d bytes, at most %d", len(note), MaxReasonLength)
	}
	return nil
}

func validateAddress(what, addr string) error {
	if _, err := sdk.AccAddressFromBech32(addr); err != nil {
		return errorsmod.Wrapf(ErrInvalidAddress, "%s %q: %v", what, addr, err)
	}
	return nil
}

// validateStoredAddress wants an address in its canonical spelling, the
// only one the keeper stores (genesis).
func validateStoredAddress(what, addr string) error {
	if err := validateAddress(what, addr); err != nil {
		return err
	}
	if c, _ := accaddr.Canonical(addr); c != addr {
		return errorsmod.Wrapf(ErrInvalidAddress, "%s %q is not in canonical form; write %s", what, addr, c)
	}
	return nil
}

// canonical validates msg, then rewrites each of its address fields to the
// account's canonical (lower-case) spelling. The keeper works on the result,
// so state, events and every comparison of parties see one string per
// account, whichever case the signer wrote.
func canonical(msg sdk.HasValidateBasic, addrs ...*string) error {
	if err := msg.ValidateBasic(); err != nil {
		return err
	}
	for _, addr := range addrs {
		c, err := accaddr.Canonical(*addr)
		if err != nil {
			return errorsmod.Wrapf(ErrInvalidAddress, "%q: %v", *addr, err)
		}
		*addr = c
	}
	return nil
}

// The Canonical methods return a validated copy of the message with its
// addresses in canonical form; the keeper's steps start with them.

// Canonical returns a validated copy with the owner in canonical form.
func (m *MsgApply) Canonical() (*MsgApply, error) { c := *m; return &c, canonical(&c, &c.Owner) }

// Canonical returns a validated copy with the examiner in canonical form.
func (m *MsgApprove) Canonical() (*MsgApprove, error) { c := *m; return &c, canonical(&c, &c.Examiner) }

// Canonical returns a validated copy with the examiner in canonical form.
func (m *MsgReject) Canonical() (*MsgReject, error) { c := *m; return &c, canonical(&c, &c.Examiner) }

// Canonical returns a validated copy with the examiner in canonical form.
func (m *MsgRevalue) Canonical() (*MsgRevalue, error) { c := *m; return &c, canonical(&c, &c.Examiner) }

// Canonical returns a validated copy with the signer in canonical form.
func (m *MsgFreeze) Canonical() (*MsgFreeze, error) { c := *m; return &c, canonical(&c, &c.Signer) }

// Canonical returns a validated copy with the signer in canonical form.
func (m *MsgUnfreeze) Canonical() (*MsgUnfreeze, error) { c := *m; return &c, canonical(&c, &c.Signer) }

// Canonical returns a validated copy with the owner in canonical form.
func (m *MsgList) Canonical() (*MsgList, error) { c := *m; return &c, canonical(&c, &c.Owner) }

// Canonical returns a validated copy with the owner in canonical form.
func (m *MsgUnlist) Canonical() (*MsgUnlist, error) { c := *m; return &c, canonical(&c, &c.Owner) }

// Canonical returns a validated copy with the buyer in canonical form.
func (m *MsgBuy) Canonical() (*MsgBuy, error) { c := *m; return &c, canonical(&c, &c.Buyer) }

// Canonical returns a validated copy with both parties in canonical form.
func (m *MsgTransfer) Canonical() (*MsgTransfer, error) {
	c := *m
	return &c, canonical(&c, &c.Owner, &c.Recipient)
}

// Canonical returns a validated copy with both parties in canonical form.
func (m *MsgOfferLoan) Canonical() (*MsgOfferLoan, error) {
	c := *m
	return &c, canonical(&c, &c.Lender, &c.Borrower)
}

// Canonical returns a validated copy with the lender in canonical form.
func (m *MsgCancelOffer) Canonical() (*MsgCancelOffer, error) {
	c := *m
	return &c, canonical(&c, &c.Lender)
}

// Canonical returns a validated copy with the owner in canonical form.
func (m *MsgPledge) Canonical() (*MsgPledge, error) { c := *m; return &c, canonical(&c, &c.Owner) }

// Canonical returns a validated copy with the borrower in canonical form.
func (m *MsgRepay) Canonical() (*MsgRepay, error) { c := *m; return &c, canonical(&c, &c.Borrower) }

// Canonical returns a validated copy with the lender in canonical form.
func (m *MsgDeclareDefault) Canonical() (*MsgDeclareDefault, error) {
	c := *m
	return &c, canonical(&c, &c.Lender)
}

// Canonical returns a validated copy with the owner in canonical form.
func (m *MsgRedeem) Canonical() (*MsgRedeem, error) { c := *m; return &c, canonical(&c, &c.Owner) }

// Year is the length of the year simple interest is quoted over (365 days).
const Year = 365 * 24 * time.Hour

// SealedApplicationSubject is the subject of an application's sealed
// envelope: the applicant, in canonical form.
func SealedApplicationSubject(owner string) string { return "asset-application/" + owner }

// SealedLoanSubject is the subject of a loan offer's sealed envelope: the
// asset, the borrower and the lender, in canonical form, so another lender
// cannot copy an offer's terms into its own.
func SealedLoanSubject(assetID uint64, borrower, lender string) string {
	return fmt.Sprintf("loan/%d/%s/%s", assetID, borrower, lender)
}

// ValidateSealed checks an optional envelope's structure and subject.
func ValidateSealed(env *sealed.Envelope, subject string) error {
	if env == nil {
		return nil
	}
	if err := env.ValidateBasic(); err != nil {
		return errorsmod.Wrap(ErrInvalidSealed, err.Error())
	}
	if env.Subject != subject {
		return errorsmod.Wrapf(ErrInvalidSealed, "envelope subject %q, want %q", env.Subject, subject)
	}
	return nil
}
