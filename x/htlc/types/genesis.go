package types

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/internal/accaddr"
)

// DefaultGenesis has the default params, no HTLCs and no published secrets.
func DefaultGenesis() *GenesisState { return &GenesisState{Params: DefaultParams()} }

// Validate checks the params and every HTLC: its id recomputed from its
// fields, no id twice, no sender with a hash lock twice, and fields that
// fit its state; and every published secret: it opens its hash, no hash
// twice, and exactly the HTLCs under a published hash carry it (those
// locked before it was published; none can be locked after).
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	published := make(map[string]bool, len(gs.PublishedSecrets))
	for _, p := range gs.PublishedSecrets {
		if err := p.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "published secret of %s: %s", p.HashLock, err.Error())
		}
		if published[p.HashLock] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "the secret of %s is published twice", p.HashLock)
		}
		published[p.HashLock] = true
	}
	ids := make(map[string]bool, len(gs.Htlcs))
	used := make(map[hashSender]string, len(gs.Htlcs))
	for _, h := range gs.Htlcs {
		if err := h.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "htlc %s: %s", h.Id, err.Error())
		}
		if ids[h.Id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "htlc %s appears twice", h.Id)
		}
		ids[h.Id] = true
		key := hashSender{hash: h.HashLock, sender: string(sdk.MustAccAddressFromBech32(h.Sender))} // checked by h.Validate
		if other, dup := used[key]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "hash lock %s is used by htlc %s and %s of the same sender %s", h.HashLock, other, h.Id, h.Sender)
		}
		used[key] = h.Id
		switch carries := h.ForeignSecret != ""; {
		case carries && !published[h.HashLock]:
			return errorsmod.Wrapf(ErrInvalidGenesis, "htlc %s carries a foreign secret of %s, which is not a published secret", h.Id, h.HashLock)
		case !carries && published[h.HashLock]:
			return errorsmod.Wrapf(ErrInvalidGenesis, "htlc %s is under the published hash lock %s but does not carry its secret", h.Id, h.HashLock)
		}
	}
	return nil
}

// hashSender is the key x/htlc keeps unique: a hash lock and the sender's
// address bytes (so two spellings of one address are one sender).
type hashSender struct{ hash, sender string }

// Validate checks a stored HTLC: its terms, its id and its state's fields.
func (h HTLC) Validate() error {
	if err := validateStoredAddress("sender", h.Sender); err != nil {
		return err
	}
	if err := validateStoredAddress("recipient", h.Recipient); err != nil {
		return err
	}
	if accaddr.Same(h.Sender, h.Recipient) {
		return errorsmod.Wrapf(ErrSelfLock, "sender and recipient are both %s", h.Sender)
	}
	hash, err := ParseHashLock(h.HashLock)
	if err != nil {
		return err
	}
	if hash.String() != h.HashLock {
		return errorsmod.Wrapf(ErrInvalidHashLock, "hash lock %q is not lower-case hex", h.HashLock)
	}
	if err := ValidateEscrow(h.Amount, h.AssetId); err != nil {
		return err
	}
	if h.Expiry.IsZero() {
		return errorsmod.Wrap(ErrInvalidExpiry, "no expiry")
	}
	if h.ChainId == "" {
		return errorsmod.Wrap(ErrInvalidID, "no chain id to check the id against")
	}
	if want := h.ExpectedID(); h.Id != want {
		return errorsmod.Wrapf(ErrInvalidID, "id %q does not match its fields (expected %s)", h.Id, want)
	}
	if err := h.validateForeignSecret(); err != nil {
		return err
	}
	return h.validateState()
}

// validateState wants a secret exactly on claimed HTLCs and a closing height exactly on closed ones.
func (h HTLC) validateState() error {
	switch h.State {
	case HTLC_STATE_LOCKED:
		if h.Secret != "" || h.ClosedHeight != 0 || h.ClosedBy != "" {
			return errorsmod.Wrap(ErrInvalidGenesis, "a locked htlc has no secret and no closing")
		}
		return nil
	case HTLC_STATE_CLAIMED:
		s, err := ParseSecret(h.Secret)
		if err != nil {
			return err
		}
		if err := VerifySecret(h.HashLock, s); err != nil {
			return err
		}
		if h.ClosedBy == "" {
			return errorsmod.Wrap(ErrInvalidGenesis, "a claimed htlc names its claimer (closed_by)")
		}
	case HTLC_STATE_REFUNDED:
		if h.Secret != "" {
			return errorsmod.Wrap(ErrInvalidGenesis, "a refunded htlc has no secret")
		}
	default:
		return errorsmod.Wrapf(ErrInvalidGenesis, "invalid state %d", h.State)
	}
	if h.ClosedHeight < h.CreatedHeight {
		return errorsmod.Wrapf(ErrInvalidGenesis, "closed at height %d before it was created at %d", h.ClosedHeight, h.CreatedHeight)
	}
	return nil
}
