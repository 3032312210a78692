package types

import (
	"regexp"

	errorsmod "cosmossdk.io/errors"
)

// evidencePattern is what may name the proof of a published secret: a
// notary attestation id (64 lower-case hex) fits, and so would a reference
// of another kind later, without letting arbitrary text into state.
var evidencePattern = regexp.MustCompile(`^[A-Za-z0-9._:/-]{1,128}$`)

// CheckForeignSecret checks a secret revealed on another rail before the
// hub publishes it: the hash lock and the secret in lower-case hex (one
// spelling each, as stored), the secret exactly 32 bytes and opening the
// lock under the one hash rule, and evidence naming what proved it. Nobody
// is trusted about a secret: whatever a notary committee signs, a secret
// that does not open its hash is refused here.
func CheckForeignSecret(hashLock, secret, evidence string) error {
	hash, err := ParseHashLock(hashLock)
	if err != nil {
		return err
	}
	if hash.String() != hashLock {
		return errorsmod.Wrapf(ErrInvalidHashLock, "hash lock %q is not lower-case hex", hashLock)
	}
	s, err := ParseSecret(secret)
	if err != nil {
		return err
	}
	if s.String() != secret {
		return errorsmod.Wrap(ErrInvalidSecret, "secret is not lower-case hex")
	}
	if err := VerifySecret(hashLock, s); err != nil {
		return err
	}
	if !evidencePattern.MatchString(evidence) {
		return errorsmod.Wrapf(ErrInvalidEvidence, "got %q", evidence)
	}
	return nil
}

// Validate checks a published secret as stored.
func (p PublishedSecret) Validate() error {
	if err := CheckForeignSecret(p.HashLock, p.Secret, p.Evidence); err != nil {
		return err
	}
	if p.Height < 0 {
		return errorsmod.Wrapf(ErrInvalidGenesis, "published at height %d", p.Height)
	}
	return nil
}

// validateForeignSecret wants the foreign secret's fields all set or all
// empty, a secret that opens the HTLC's own hash lock, and a record made
// after the HTLC was created (a lock under a published hash is refused).
func (h HTLC) validateForeignSecret() error {
	if h.ForeignSecret == "" {
		if h.ForeignSecretEvidence != "" || h.ForeignSecretHeight != 0 {
			return errorsmod.Wrap(ErrInvalidGenesis, "foreign secret evidence or height without a foreign secret")
		}
		return nil
	}
	if err := CheckForeignSecret(h.HashLock, h.ForeignSecret, h.ForeignSecretEvidence); err != nil {
		return errorsmod.Wrap(err, "foreign secret")
	}
	if h.ForeignSecretHeight < h.CreatedHeight {
		return errorsmod.Wrapf(ErrInvalidGenesis, "foreign secret recorded at height %d, before the htlc was created at %d", h.ForeignSecretHeight, h.CreatedHeight)
	}
	return nil
}
