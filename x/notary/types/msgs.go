package types

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

func validateAddress(field, addr string) error {
	if _, err := sdk.AccAddressFromBech32(addr); err != nil {
		return errorsmod.Wrapf(ErrInvalidAddress, "%s %q: %v", field, addr, err)
	}
	return nil
}

// ValidateBasic checks the signer, the observation's form and the
// signature's length; the set, the source and the signature itself are
// checked against state by the keeper.
func (m *MsgAttest) ValidateBasic() error {
	if err := validateAddress("notary", m.Notary); err != nil {
		return err
	}
	if m.SetVersion == 0 {
		return errorsmod.Wrap(ErrUnknownSet, "set_version starts at 1")
	}
	if len(m.Signature) != 64 {
		return errorsmod.Wrapf(ErrInvalidSignature, "got %d bytes", len(m.Signature))
	}
	return m.Observation.Validate()
}

// ValidateBasic checks the authority and the new set.
func (m *MsgUpdateNotarySet) ValidateBasic() error {
	if err := validateAddress("authority", m.Authority); err != nil {
		return err
	}
	t := m.Threshold
	if t == 0 {
		t = DefaultThreshold(len(m.Members))
	}
	return ValidateMembers(m.Members, t)
}

// ValidateBasic checks the authority and the source.
func (m *MsgSetSource) ValidateBasic() error {
	if err := validateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Source.Validate()
}

// ValidateBasic checks the authority and the source's name.
func (m *MsgRemoveSource) ValidateBasic() error {
	if err := validateAddress("authority", m.Authority); err != nil {
		return err
	}
	return Source{Platform: m.Platform, NetworkId: m.NetworkId}.Validate()
}

// ValidateBasic checks the authority, the ledger id and the dealer id.
func (m *MsgBindLedger) ValidateBasic() error {
	if err := validateAddress("authority", m.Authority); err != nil {
		return err
	}
	if err := ValidateLedgerID(m.LedgerId); err != nil {
		return err
	}
	if err := vehicletypes.ValidateDealerID(m.DealerId); err != nil {
		return errorsmod.Wrap(ErrUnknownDealer, err.Error())
	}
	return nil
}

// ValidateBasic checks the authority and the ledger id.
func (m *MsgUnbindLedger) ValidateBasic() error {
	if err := validateAddress("authority", m.Authority); err != nil {
		return err
	}
	return ValidateLedgerID(m.LedgerId)
}

// ValidateBasic checks the authority and the id.
func (m *MsgReleaseDelayed) ValidateBasic() error {
	if err := validateAddress("authority", m.Authority); err != nil {
		return err
	}
	return ValidateAttestationID(m.Id)
}

// ValidateBasic checks the authority and the ids.
func (m *MsgResolveEquivocation) ValidateBasic() error {
	if err := validateAddress("authority", m.Authority); err != nil {
		return err
	}
	if m.SourceKey == "" || len(m.SourceKey) > 512 {
		return errorsmod.Wrap(ErrNoEquivocation, "source_key is required")
	}
	if m.ExecuteId == "" {
		return nil
	}
	return ValidateAttestationID(m.ExecuteId)
}

// ValidateBasic checks the authority and the params.
func (m *MsgUpdateParams) ValidateBasic() error {
	if err := validateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}

// ValidateAttestationID wants a digest in 64 lower-case hex characters.
func ValidateAttestationID(id string) error {
	if !hex32.MatchString(id) {
		return errorsmod.Wrapf(ErrNotFound, "attestation id %q must be 64 lower-case hex characters", id)
	}
	return nil
}
