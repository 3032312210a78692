package types

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/internal/accaddr"
)

// ValidateBasic checks the parties, the hash lock, that an expiry is given
// and that exactly one of coins or a title is locked. The expiry's bounds
// depend on the block time and params; the keeper checks them.
func (m *MsgLock) ValidateBasic() error {
	if err := validateAddress("sender", m.Sender); err != nil {
		return err
	}
	if err := validateAddress("recipient", m.Recipient); err != nil {
		return err
	}
	if accaddr.Same(m.Sender, m.Recipient) {
		return errorsmod.Wrapf(ErrSelfLock, "%s would lock to itself; name the counterparty as recipient", m.Sender)
	}
	if _, err := ParseHashLock(m.HashLock); err != nil {
		return err
	}
	if m.Expiry.IsZero() {
		return errorsmod.Wrap(ErrInvalidExpiry, "give an expiry (a block time, RFC3339)")
	}
	return ValidateEscrow(m.Amount, m.AssetId)
}

// ValidateEscrow wants exactly one of: positive valid coins, or an asset id.
func ValidateEscrow(amount sdk.Coins, assetID uint64) error {
	switch {
	case len(amount) > 0 && assetID != 0:
		return errorsmod.Wrapf(ErrInvalidEscrow, "got both %s and asset %d", amount, assetID)
	case len(amount) == 0 && assetID == 0:
		return errorsmod.Wrap(ErrInvalidEscrow, "got neither (--amount or --asset-id)")
	case assetID != 0:
		return nil
	}
	for _, c := range amount {
		if c.Amount.IsNil() { // a Coin decoded without its amount field
			return errorsmod.Wrapf(ErrInvalidAmount, "coin %q has no amount", c.Denom)
		}
	}
	if err := amount.Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidAmount, "amount %s: %v", amount, err)
	}
	if !amount.IsAllPositive() {
		return errorsmod.Wrapf(ErrInvalidAmount, "amount must be positive, got %s", amount)
	}
	return nil
}

// ValidateBasic checks the claimer, the id and the secret's form (hex, 32 bytes).
func (m *MsgClaim) ValidateBasic() error {
	if err := validateAddress("claimer", m.Claimer); err != nil {
		return err
	}
	if err := ValidateID(m.Id); err != nil {
		return err
	}
	_, err := ParseSecret(m.Secret)
	return err
}

// ValidateBasic checks the signer and the id.
func (m *MsgRefund) ValidateBasic() error {
	if err := validateAddress("signer", m.Signer); err != nil {
		return err
	}
	return ValidateID(m.Id)
}

// ValidateBasic checks the authority's address and the params.
func (m *MsgUpdateParams) ValidateBasic() error {
	if err := validateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}

func validateAddress(what, addr string) error {
	if _, err := sdk.AccAddressFromBech32(addr); err != nil {
		return errorsmod.Wrapf(ErrInvalidAddress, "%s %q: %v", what, addr, err)
	}
	return nil
}

// validateStoredAddress wants an address in its canonical spelling, the
// only one the keeper stores and the one ids are computed from (genesis).
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
// account's canonical (lower-case) spelling: the HTLC stores it, its id is
// computed from it, and parties are compared through it.
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

// Canonical returns a validated copy with sender and recipient in canonical form.
func (m *MsgLock) Canonical() (*MsgLock, error) {
	c := *m
	return &c, canonical(&c, &c.Sender, &c.Recipient)
}

// Canonical returns a validated copy with the claimer in canonical form.
func (m *MsgClaim) Canonical() (*MsgClaim, error) {
	c := *m
	return &c, canonical(&c, &c.Claimer)
}

// Canonical returns a validated copy with the signer in canonical form.
func (m *MsgRefund) Canonical() (*MsgRefund, error) {
	c := *m
	return &c, canonical(&c, &c.Signer)
}
