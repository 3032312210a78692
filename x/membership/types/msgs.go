package types

import (
	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/legacy"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"

	"github.com/vinhub/vinhub/sealed"
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

// ValidateBasic checks both addresses, the role and the note.
func (m *MsgGrantRole) ValidateBasic() error {
	if err := validateRoleMsg(m.Authority, m.Address, m.Role); err != nil {
		return err
	}
	if len(m.Note) > MaxNoteLength {
		return errorsmod.Wrapf(ErrInvalidNote, "note has %d bytes, at most %d", len(m.Note), MaxNoteLength)
	}
	return nil
}

// ValidateBasic checks both addresses and the role.
func (m *MsgRevokeRole) ValidateBasic() error {
	return validateRoleMsg(m.Authority, m.Address, m.Role)
}

func validateRoleMsg(authority, address string, role Role) error {
	if _, err := sdk.AccAddressFromBech32(authority); err != nil {
		return errorsmod.Wrapf(ErrInvalidAddress, "authority %q: %s", authority, err)
	}
	if _, err := sdk.AccAddressFromBech32(address); err != nil {
		return errorsmod.Wrapf(ErrInvalidAddress, "address %q: %s; give the account address", address, err)
	}
	return role.Validate()
}

// Validate accepts the defined roles other than ROLE_UNSPECIFIED.
func (r Role) Validate() error {
	if _, ok := Role_name[int32(r)]; !ok || r == ROLE_UNSPECIFIED {
		return errorsmod.Wrapf(ErrInvalidRole, "%d: use examiner, lender, regulator or notary", r)
	}
	return nil
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

// ValidateBasic checks the owner, the key and the dealer id's length.
func (m *MsgRegisterEncryptionKey) ValidateBasic() error {
	if _, err := sdk.AccAddressFromBech32(m.Owner); err != nil {
		return errorsmod.Wrapf(ErrInvalidAddress, "owner %q: %s", m.Owner, err)
	}
	if len(m.DealerId) > MaxNoteLength {
		return errorsmod.Wrapf(ErrNotMember, "dealer id has %d bytes", len(m.DealerId))
	}
	return ValidateEncryptionKey(m.PublicKey)
}

// ValidateBasic checks both addresses and the key.
func (m *MsgSetEncryptionKey) ValidateBasic() error {
	if err := validateAddresses(m.Authority, m.Address); err != nil {
		return err
	}
	return ValidateEncryptionKey(m.PublicKey)
}

// ValidateEncryptionKey accepts an X25519 public key envelopes can be sealed
// to (sealed.ValidatePublicKey), as ErrInvalidKey otherwise.
func ValidateEncryptionKey(pub []byte) error {
	if err := sealed.ValidatePublicKey(pub); err != nil {
		return errorsmod.Wrap(ErrInvalidKey, err.Error())
	}
	return nil
}

// RegisterLegacyAminoCodec registers amino names for the messages.
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	legacy.RegisterAminoMsg(cdc, &MsgAdmitOperator{}, "vinhub/membership/MsgAdmitOperator")
	legacy.RegisterAminoMsg(cdc, &MsgRevokeOperator{}, "vinhub/membership/MsgRevokeOperator")
	legacy.RegisterAminoMsg(cdc, &MsgGrantRole{}, "vinhub/membership/MsgGrantRole")
	legacy.RegisterAminoMsg(cdc, &MsgRevokeRole{}, "vinhub/membership/MsgRevokeRole")
	legacy.RegisterAminoMsg(cdc, &MsgRegisterEncryptionKey{}, "vinhub/membership/MsgRegisterEncKey")
	legacy.RegisterAminoMsg(cdc, &MsgSetEncryptionKey{}, "vinhub/membership/MsgSetEncKey")
}

// RegisterInterfaces registers the messages.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil), &MsgAdmitOperator{}, &MsgRevokeOperator{}, &MsgGrantRole{}, &MsgRevokeRole{},
		&MsgRegisterEncryptionKey{}, &MsgSetEncryptionKey{})
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}

// Validate checks every founding operator's and role holder's address (in
// canonical form: the one spelling the keeper stores), the roles, and that
// no account is listed twice, however it is spelled.
func (gs GenesisState) Validate() error {
	grants := make(map[string]bool, len(gs.Roles))
	regulators := 0
	for _, g := range gs.Roles {
		if g.Role == ROLE_REGULATOR {
			if regulators++; regulators > MaxRegulators {
				return errorsmod.Wrapf(ErrInvalidGenesis, "more than %d regulators", MaxRegulators)
			}
		}
		addr, err := genesisAddress("role holder", g.Address)
		if err != nil {
			return err
		}
		if err := g.Role.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "role of %s: %s", g.Address, err)
		}
		key := g.Role.String() + "/" + string(addr)
		if grants[key] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "%s granted to %s twice", g.Role, g.Address)
		}
		grants[key] = true
	}
	if err := validateGenesisKeys(gs.EncryptionKeys); err != nil {
		return err
	}
	seen := make(map[string]bool, len(gs.Operators))
	for _, op := range gs.Operators {
		addr, err := genesisAddress("operator", op.Address)
		if err != nil {
			return err
		}
		if seen[string(addr)] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "operator %s listed twice", op.Address)
		}
		seen[string(addr)] = true
	}
	return nil
}

// genesisAddress decodes a genesis address and wants it in canonical form.
func genesisAddress(what, addr string) (sdk.AccAddress, error) {
	a, err := sdk.AccAddressFromBech32(addr)
	if err != nil {
		return nil, errorsmod.Wrapf(ErrInvalidGenesis, "%s %q: %s", what, addr, err)
	}
	if a.String() != addr {
		return nil, errorsmod.Wrapf(ErrInvalidGenesis, "%s %q is not in canonical form; write %s", what, addr, a)
	}
	return a, nil
}

// validateGenesisKeys wants each account's versions 1..n in order, valid
// keys, each public key once, and only the last version of each account
// current, if any (a regulator grant ends a self-registered key).
func validateGenesisKeys(keys []EncryptionKey) error {
	last := map[string]EncryptionKey{}
	pubs := map[string]bool{}
	for i, k := range keys {
		if _, err := genesisAddress("key holder", k.Address); err != nil {
			return err
		}
		if err := ValidateEncryptionKey(k.PublicKey); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "encryption_keys[%d]: %s", i, err)
		}
		if pubs[string(k.PublicKey)] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "encryption_keys[%d]: key %x is registered twice", i, k.PublicKey)
		}
		pubs[string(k.PublicKey)] = true
		prev, seen := last[k.Address]
		if k.Version != prev.Version+1 || (seen && prev.SupersededHeight == 0) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "encryption_keys[%d]: %s version %d: versions run 1, 2, ... in order, every one but the last superseded", i, k.Address, k.Version)
		}
		last[k.Address] = k
	}
	return nil
}
