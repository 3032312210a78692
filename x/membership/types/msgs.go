package types

import (
	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/legacy"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// MaxNoteLength bounds an admission note.
const MaxNoteLength = 256

// ValidateBasic checks both addresses and the note.
func (m *MsgAdmitOperator) ValidateBasic() error {
	if err := validateAddresses(m.Authority, m.Operator); err != nil {
		return err
	}
	if len(m.Note) > MaxNoteLength {
		return errorsmod.Wrapf(ErrInvalidNote, "note has %d bytes, at most %d", len(m.Note), MaxNoteLength)
	}
	return nil
}

// ValidateBasic checks both addresses.
func (m *MsgRevokeOperator) ValidateBasic() error {
	return validateAddresses(m.Authority, m.Operator)
}

func validateAddresses(authority, operator string) error {
	if _, err := sdk.AccAddressFromBech32(authority); err != nil {
		return errorsmod.Wrapf(ErrInvalidAddress, "authority %q: %s", authority, err)
	}
	if _, err := sdk.AccAddressFromBech32(operator); err != nil {
		return errorsmod.Wrapf(ErrInvalidAddress, "operator %q: %s; give the operator's account address", operator, err)
	}
	return nil
}

// RegisterLegacyAminoCodec registers amino names for the messages.
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	legacy.RegisterAminoMsg(cdc, &MsgAdmitOperator{}, "vinhub/membership/MsgAdmitOperator")
	legacy.RegisterAminoMsg(cdc, &MsgRevokeOperator{}, "vinhub/membership/MsgRevokeOperator")
}

// RegisterInterfaces registers the messages.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil), &MsgAdmitOperator{}, &MsgRevokeOperator{})
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}

// Validate checks every founding operator's address and that none is listed twice.
func (gs GenesisState) Validate() error {
	seen := make(map[string]bool, len(gs.Operators))
	for _, op := range gs.Operators {
		if _, err := sdk.AccAddressFromBech32(op.Address); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "operator %q: %s", op.Address, err)
		}
		if seen[op.Address] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "operator %s listed twice", op.Address)
		}
		seen[op.Address] = true
	}
	return nil
}
