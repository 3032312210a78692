package types

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

var (
	_ sdk.Msg = (*MsgRecordEvents)(nil)
	_ sdk.Msg = (*MsgRegisterDealer)(nil)
	_ sdk.Msg = (*MsgRevokeDealer)(nil)
	_ sdk.Msg = (*MsgAdmitReporter)(nil)
	_ sdk.Msg = (*MsgRevokeReporter)(nil)
	_ sdk.Msg = (*MsgUpdateParams)(nil)
	_ sdk.Msg = (*MsgBindDealer)(nil)
	_ sdk.Msg = (*MsgUnbindDealer)(nil)
	_ sdk.Msg = (*MsgSetHubRoute)(nil)
	_ sdk.Msg = (*MsgResendPending)(nil)
	_ sdk.Msg = (*MsgRequestLien)(nil)
	_ sdk.Msg = (*MsgReleaseLien)(nil)
	_ sdk.Msg = (*MsgResolveDispute)(nil)
	_ sdk.Msg = (*MsgAuthorizeLien)(nil)
	_ sdk.Msg = (*MsgRevokeLienAuthorization)(nil)
	_ sdk.Msg = (*MsgForceReleaseLien)(nil)
)

// MaxOpenDisputesPerRecord bounds the open disputes over one record: beyond
// it a reading that contradicts the record is kept and flagged but opens no
// dispute, so a planted reading cannot grow review.dispute_ids without end.
const MaxOpenDisputesPerRecord = 50

// MaxVerdictReasonLength bounds the resolver's note kept with a verdict.
const MaxVerdictReasonLength = 256

// ValidateBasic checks the batch without chain state: addresses, dealer id,
// a non-empty batch and every record. The batch limit and clock skew depend on
// params and block time and are checked by the keeper.
func (m *MsgRecordEvents) ValidateBasic() error {
	if err := validateAddress("reporter", m.Reporter); err != nil {
		return err
	}
	if err := ValidateDealerID(m.DealerId); err != nil {
		return err
	}
	if len(m.Records) == 0 {
		return errorsmod.Wrap(ErrEmptyBatch, "a batch needs at least one record")
	}
	if len(m.Records) > MaxRecordsPerBatchCeiling {
		return errorsmod.Wrapf(ErrBatchTooLarge, "%d records; no batch may exceed %d", len(m.Records), MaxRecordsPerBatchCeiling)
	}
	for i, r := range m.Records {
		if _, err := r.Validate(m.DealerId); err != nil {
			return errorsmod.Wrapf(err, "record %d", i)
		}
	}
	return nil
}

// ValidateBasic checks the authority, dealer id, name and the optional account.
func (m *MsgRegisterDealer) ValidateBasic() error {
	if err := validateAddress("authority", m.Authority); err != nil {
		return err
	}
	return Dealer{Id: m.DealerId, Name: m.Name, Account: m.Account}.ValidateBasic()
}

// ValidateBasic checks a dealer's id, name and optional hub account.
func (d Dealer) ValidateBasic() error {
	if err := ValidateDealerID(d.Id); err != nil {
		return err
	}
	if d.Name == "" || len(d.Name) > MaxDealerNameLength {
		return errorsmod.Wrapf(ErrInvalidRecord, "dealer %q: name must be 1-%d bytes", d.Id, MaxDealerNameLength)
	}
	if d.Account != "" {
		return validateAddress("dealer account", d.Account)
	}
	return nil
}

// ValidateBasic checks the authority and dealer id.
func (m *MsgRevokeDealer) ValidateBasic() error {
	if err := validateAddress("authority", m.Authority); err != nil {
		return err
	}
	return ValidateDealerID(m.DealerId)
}

// ValidateBasic checks the authority, dealer id and reporter address.
func (m *MsgAdmitReporter) ValidateBasic() error {
	return validateReporterChange(m.Authority, m.DealerId, m.Reporter)
}

// ValidateBasic checks the authority, dealer id and reporter address.
func (m *MsgRevokeReporter) ValidateBasic() error {
	return validateReporterChange(m.Authority, m.DealerId, m.Reporter)
}

// ValidateBasic checks the authority and params.
func (m *MsgUpdateParams) ValidateBasic() error {
	if err := validateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}

// ValidateBasic checks the authority, dealer id and route.
func (m *MsgBindDealer) ValidateBasic() error {
	return validateBindingChange(m.Authority, m.DealerId, m.Route)
}

// ValidateBasic checks the authority, dealer id and route.
func (m *MsgUnbindDealer) ValidateBasic() error {
	return validateBindingChange(m.Authority, m.DealerId, m.Route)
}

// ValidateBasic checks the authority and route.
func (m *MsgSetHubRoute) ValidateBasic() error {
	if err := validateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Route.Validate()
}

// ValidateBasic checks the sender address.
func (m *MsgResendPending) ValidateBasic() error {
	return validateAddress("sender", m.Sender)
}

// ValidateBasic checks the signer, dealer id, VIN, lender and the optional reference.
func (m *MsgRequestLien) ValidateBasic() error {
	if err := validateAddress("signer", m.Signer); err != nil {
		return err
	}
	if err := ValidateDealerID(m.DealerId); err != nil {
		return err
	}
	if _, err := ParseVIN(m.Vin); err != nil {
		return err
	}
	if err := validateAddress("lender", m.Lender); err != nil {
		return err
	}
	if len(m.Reference) > MaxLienReferenceLength {
		return errorsmod.Wrapf(ErrInvalidLien, "reference has %d bytes, at most %d", len(m.Reference), MaxLienReferenceLength)
	}
	return nil
}

// ValidateBasic checks the signer, dealer id, request id and reason.
func (m *MsgReleaseLien) ValidateBasic() error {
	if err := validateAddress("signer", m.Signer); err != nil {
		return err
	}
	if err := ValidateDealerID(m.DealerId); err != nil {
		return err
	}
	if m.RequestId == 0 {
		return errorsmod.Wrap(ErrLienRequestNotFound, "request_id is required: the id MsgRequestLien returned")
	}
	return ValidateLienReason(m.Reason)
}

// ValidateBasic checks the resolver, the dispute and record ids and the reason's length.
func (m *MsgResolveDispute) ValidateBasic() error {
	if err := validateAddress("resolver", m.Resolver); err != nil {
		return err
	}
	if m.DisputeId == 0 {
		return errorsmod.Wrap(ErrDisputeNotFound, "dispute_id is required: see query vehicle open-disputes")
	}
	if m.WrongRecordId == 0 {
		return errorsmod.Wrap(ErrInvalidVerdict, "wrong_record_id is required: one of the dispute's two records")
	}
	if len(m.Reason) > MaxVerdictReasonLength {
		return errorsmod.Wrapf(ErrInvalidVerdict, "reason has %d bytes, at most %d", len(m.Reason), MaxVerdictReasonLength)
	}
	return nil
}

// ValidateBasic checks the owner, VIN and the dealer consented to. Whether
// the owner owns the VIN's asset and the expiry is ahead are checked against state.
func (m *MsgAuthorizeLien) ValidateBasic() error {
	if err := validateAddress("owner", m.Owner); err != nil {
		return err
	}
	return validateConsentKey(m.Vin, m.ChainId, m.DealerId)
}

// ValidateBasic checks the owner, VIN and the dealer whose consent is withdrawn.
func (m *MsgRevokeLienAuthorization) ValidateBasic() error {
	if err := validateAddress("owner", m.Owner); err != nil {
		return err
	}
	return validateConsentKey(m.Vin, m.ChainId, m.DealerId)
}

// ValidateBasic checks the authority, lien id and the required reason.
func (m *MsgForceReleaseLien) ValidateBasic() error {
	if err := validateAddress("authority", m.Authority); err != nil {
		return err
	}
	if m.LienId == 0 {
		return errorsmod.Wrap(ErrLienNotFound, "lien_id is required")
	}
	return ValidateForceReleaseReason(m.Reason)
}

// validateConsentKey checks what a consent is keyed by: a VIN and the
// dealer (chain id and dealer id) it lets take a lien.
func validateConsentKey(vin, chainID, dealerID string) error {
	if _, err := ParseVIN(vin); err != nil {
		return err
	}
	if err := ValidateHolderChainID(chainID); err != nil {
		return err
	}
	return ValidateDealerID(dealerID)
}

func validateBindingChange(authority, dealerID string, route Route) error {
	if err := validateAddress("authority", authority); err != nil {
		return err
	}
	if err := ValidateDealerID(dealerID); err != nil {
		return err
	}
	return route.Validate()
}

func validateReporterChange(authority, dealerID, reporter string) error {
	if err := validateAddress("authority", authority); err != nil {
		return err
	}
	if err := ValidateDealerID(dealerID); err != nil {
		return err
	}
	return validateAddress("reporter", reporter)
}

func validateAddress(field, addr string) error {
	if _, err := sdk.AccAddressFromBech32(addr); err != nil {
		return errorsmod.Wrapf(ErrInvalidAddress, "%s %q: %s", field, addr, err)
	}
	return nil
}
