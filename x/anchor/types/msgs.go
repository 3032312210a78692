package types

import (
	"crypto/sha256"
	"encoding/hex"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/sealed"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// ValidateBasic checks the submitter, the hash, the kind and the VIN.
func (m *MsgAnchorEvidence) ValidateBasic() error {
	if _, err := sdk.AccAddressFromBech32(m.Submitter); err != nil {
		return errorsmod.Wrapf(ErrInvalidSubmitter, "%q: %s", m.Submitter, err)
	}
	if err := ValidateHash(m.Sha256); err != nil {
		return err
	}
	if err := m.Kind.Validate(); err != nil {
		return err
	}
	if _, err := CanonicalVIN(m.Vin); err != nil {
		return err
	}
	return ValidateNote(m.SealedNote, m.Sha256, m.Submitter)
}

// NoteSubject is the subject of a sealed note: the document's hash and the
// submitter, so a note copied into another submitter's anchoring (a
// front-run) is refused.
func NoteSubject(hash []byte, submitter string) string {
	return "evidence/" + hex.EncodeToString(hash) + "/" + submitter
}

// ValidateNote checks an optional sealed note's structure and subject.
func ValidateNote(note *sealed.Envelope, hash []byte, submitter string) error {
	if note == nil {
		return nil
	}
	if err := note.ValidateBasic(); err != nil {
		return errorsmod.Wrap(ErrInvalidNote, err.Error())
	}
	if want := NoteSubject(hash, submitter); note.Subject != want {
		return errorsmod.Wrapf(ErrInvalidNote, "subject %q, want %q", note.Subject, want)
	}
	return nil
}

// ValidateHash wants a SHA-256: exactly 32 bytes.
func ValidateHash(h []byte) error {
	if len(h) != sha256.Size {
		return errorsmod.Wrapf(ErrInvalidHash, "%d bytes: give the document's SHA-256 (32 bytes)", len(h))
	}
	return nil
}

// ParseHexHash decodes a hex SHA-256 (64 hex digits, either case).
func ParseHexHash(s string) ([]byte, error) {
	h, err := hex.DecodeString(s)
	if err != nil {
		return nil, errorsmod.Wrapf(ErrInvalidHash, "%q is not hex: %s", s, err)
	}
	return h, ValidateHash(h)
}

// Validate accepts the defined kinds other than EVIDENCE_KIND_UNSPECIFIED.
func (k EvidenceKind) Validate() error {
	if _, ok := EvidenceKind_name[int32(k)]; !ok || k == EVIDENCE_KIND_UNSPECIFIED {
		return errorsmod.Wrapf(ErrInvalidKind, "%d: use one of EVIDENCE_KIND_DOCUMENT ... EVIDENCE_KIND_ASSET_DOCUMENT", k)
	}
	return nil
}

// CanonicalVIN returns vin as x/vehicle stores it (upper case, format
// checked); an empty vin stays empty: the VIN is optional.
func CanonicalVIN(vin string) (string, error) {
	if vin == "" {
		return "", nil
	}
	v, err := vehicletypes.ParseVIN(vin)
	if err != nil {
		return "", errorsmod.Wrapf(ErrInvalidVIN, "%q: %s", vin, err)
	}
	return v.Value, nil
}

// Validate checks a stored anchoring.
func (a Anchoring) Validate() error {
	if err := ValidateHash(a.Sha256); err != nil {
		return err
	}
	if err := a.Kind.Validate(); err != nil {
		return err
	}
	if vin, err := CanonicalVIN(a.Vin); err != nil || vin != a.Vin {
		return errorsmod.Wrapf(ErrInvalidVIN, "%q is not a canonical VIN", a.Vin)
	}
	if err := ValidateNote(a.SealedNote, a.Sha256, a.Submitter); err != nil {
		return err
	}
	if a.Submitter == "" {
		return errorsmod.Wrap(ErrInvalidSubmitter, "empty submitter")
	}
	if a.Height <= 0 {
		return errorsmod.Wrapf(ErrInvalidGenesis, "height %d", a.Height)
	}
	return nil
}
