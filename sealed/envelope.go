package sealed

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Format limits, checked on chain by ValidateBasic. They bound what one
// envelope adds to a record, a packet and the state.
const (
	// Version is the envelope format this package writes and accepts: 2
	// names each recipient's key fingerprint and binds it in the HPKE info.
	Version = 2
	// MaxRecipients bounds the parties one envelope is sealed to.
	MaxRecipients = 16
	// MaxFields bounds the named fields of one envelope.
	MaxFields = 32
	// MaxNameLength bounds a field name ([a-z0-9_.-], starting with a letter).
	MaxNameLength = 64
	// MaxSubjectLength bounds the subject, which names the carrier: a loan's
	// holds the asset id and two addresses.
	MaxSubjectLength = 256
	// MaxAddressLength bounds a recipient address (bech32 account addresses are shorter).
	MaxAddressLength = 128
	// MaxCiphertext bounds the encrypted fields: 16 KiB.
	MaxCiphertext = 16 << 10
	// ContentKeySize is the content key's length (ChaCha20-Poly1305).
	ContentKeySize = 32
	// SaltSize is a commitment salt's length.
	SaltSize = 32
	// EncSize is an HPKE DHKEM(X25519) encapsulated key's length.
	EncSize = 32
	// WrappedKeySize is a content key sealed with HPKE: key plus Poly1305 tag.
	WrappedKeySize = ContentKeySize + 16
	// FingerprintSize is a key fingerprint's length: SHA-256 of the public key.
	FingerprintSize = sha256.Size
	// tagSize is the Poly1305 tag every ciphertext carries.
	tagSize = 16
)

// KeyID names a recipient key in x/membership: an account's key version.
type KeyID struct {
	Address string
	Version uint32
}

// String is the key id as "address/version".
func (k KeyID) String() string { return fmt.Sprintf("%s/%d", k.Address, k.Version) }

// KeyFingerprint is what a recipient entry names the key it was sealed to
// by: SHA-256 of the X25519 public key.
func KeyFingerprint(pub []byte) []byte {
	sum := sha256.Sum256(pub)
	return sum[:]
}

// ValidateBasic checks an envelope's structure without any key: the format
// version, the subject, sizes, one to MaxRecipients recipients with distinct
// addresses and keys and well-sized HPKE outputs, one to MaxFields distinct valid field names with
// 32-byte digests. It is what the chain checks (with the key ids' existence,
// which only the chain knows); everything else needs a private key.
func (e *Envelope) ValidateBasic() error {
	if e == nil {
		return fmt.Errorf("%w: no envelope", ErrMalformed)
	}
	if e.Version != Version {
		return fmt.Errorf("%w: version %d, want %d", ErrMalformed, e.Version, Version)
	}
	if e.Subject == "" || len(e.Subject) > MaxSubjectLength {
		return fmt.Errorf("%w: subject of %d bytes, want 1-%d", ErrMalformed, len(e.Subject), MaxSubjectLength)
	}
	if n := len(e.Ciphertext); n < tagSize || n > MaxCiphertext {
		return fmt.Errorf("%w: ciphertext of %d bytes, want %d-%d", ErrMalformed, n, tagSize, MaxCiphertext)
	}
	if err := validateRecipients(e.Recipients); err != nil {
		return err
	}
	return validateCommitments(e.Commitments)
}

func validateRecipients(rs []Recipient) error {
	if len(rs) == 0 || len(rs) > MaxRecipients {
		return fmt.Errorf("%w: %d recipients, want 1-%d", ErrMalformed, len(rs), MaxRecipients)
	}
	seen := make(map[string]bool, len(rs))
	keys := make(map[string]bool, len(rs))
	for i, r := range rs {
		switch {
		case r.Address == "" || len(r.Address) > MaxAddressLength:
			return fmt.Errorf("%w: recipient %d: address of %d bytes", ErrMalformed, i, len(r.Address))
		case r.KeyVersion == 0:
			return fmt.Errorf("%w: recipient %d: key version 0 (versions start at 1)", ErrMalformed, i)
		case len(r.Enc) != EncSize:
			return fmt.Errorf("%w: recipient %d: enc of %d bytes, want %d", ErrMalformed, i, len(r.Enc), EncSize)
		case len(r.WrappedKey) != WrappedKeySize:
			return fmt.Errorf("%w: recipient %d: wrapped key of %d bytes, want %d", ErrMalformed, i, len(r.WrappedKey), WrappedKeySize)
		case len(r.KeyFingerprint) != FingerprintSize:
			return fmt.Errorf("%w: recipient %d: key fingerprint of %d bytes, want %d", ErrMalformed, i, len(r.KeyFingerprint), FingerprintSize)
		case seen[r.Address]:
			return fmt.Errorf("%w: recipient %s listed twice", ErrMalformed, r.Address)
		case keys[string(r.KeyFingerprint)]:
			return fmt.Errorf("%w: recipient %s: key %x listed twice", ErrMalformed, r.Address, r.KeyFingerprint)
		}
		seen[r.Address] = true
		keys[string(r.KeyFingerprint)] = true
	}
	return nil
}

func validateCommitments(cs []Commitment) error {
	if len(cs) == 0 || len(cs) > MaxFields {
		return fmt.Errorf("%w: %d fields, want 1-%d", ErrMalformed, len(cs), MaxFields)
	}
	seen := make(map[string]bool, len(cs))
	for i, c := range cs {
		if err := ValidateName(c.Name); err != nil {
			return fmt.Errorf("field %d: %w", i, err)
		}
		if len(c.Digest) != sha256.Size {
			return fmt.Errorf("%w: field %q: digest of %d bytes, want %d", ErrMalformed, c.Name, len(c.Digest), sha256.Size)
		}
		if seen[c.Name] {
			return fmt.Errorf("%w: field %q listed twice", ErrMalformed, c.Name)
		}
		seen[c.Name] = true
	}
	return nil
}

// ValidateName accepts a field name: 1-MaxNameLength bytes of [a-z0-9_.-],
// starting with a letter, so names are one spelling and safe to print.
func ValidateName(name string) error {
	if name == "" || len(name) > MaxNameLength || name[0] < 'a' || name[0] > 'z' {
		return fmt.Errorf("%w: field name %q: 1-%d bytes starting with a-z", ErrMalformed, name, MaxNameLength)
	}
	if i := strings.IndexFunc(name, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' && r != '.' && r != '-'
	}); i >= 0 {
		return fmt.Errorf("%w: field name %q: only a-z, 0-9, _ . -", ErrMalformed, name)
	}
	return nil
}

// KeyIDs lists the recipients' key ids, which the chain checks exist (and
// that each entry's fingerprint is of the key registered under its id).
func (e *Envelope) KeyIDs() []KeyID {
	out := make([]KeyID, len(e.Recipients))
	for i, r := range e.Recipients {
		out[i] = KeyID{Address: r.Address, Version: r.KeyVersion}
	}
	return out
}

// Commitment returns the commitment of the named field, if there is one.
func (e *Envelope) Commitment(name string) (Commitment, bool) {
	i := slices.IndexFunc(e.Commitments, func(c Commitment) bool { return c.Name == name })
	if i < 0 {
		return Commitment{}, false
	}
	return e.Commitments[i], true
}

// Commit is a field's commitment: SHA-256 over a domain tag and the
// length-prefixed subject, name, salt and value. The subject ties it to
// what carries the envelope; the name to the field; the random salt hides
// low-entropy values (a price) from guessing.
func Commit(subject, name string, salt, value []byte) []byte {
	h := sha256.New()
	h.Write([]byte("vinhub/sealed/v2/commitment"))
	for _, part := range [][]byte{[]byte(subject), []byte(name), salt, value} {
		h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(part))))
		h.Write(part)
	}
	return h.Sum(nil)
}

// headerDigest is the associated data of the content and key encryption:
// the format version, the subject and every commitment, so a commitment
// swapped or changed on the way makes opening fail.
func (e *Envelope) headerDigest() []byte {
	h := sha256.New()
	h.Write([]byte("vinhub/sealed/v2/header"))
	h.Write(binary.BigEndian.AppendUint32(nil, e.Version))
	writeLP := func(b []byte) {
		h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(b))))
		h.Write(b)
	}
	writeLP([]byte(e.Subject))
	for _, c := range e.Commitments {
		writeLP([]byte(c.Name))
		writeLP(c.Digest)
	}
	return h.Sum(nil)
}

// Printable is an opened or disclosed value as it is safe to print: as it
// is if it is valid UTF-8 of printable characters (and does not start with
// a quote), else quoted with Go escapes. A sealer chooses the value, and a
// newline or terminal escape in it could forge or erase lines of a
// regulator's bulk view or of a verification's output.
func Printable(v []byte) string {
	s := string(v)
	if utf8.Valid(v) && !strings.HasPrefix(s, `"`) && !strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return s
	}
	return strconv.Quote(s)
}

// VerifyDisclosure checks a disclosed field against the envelope that the
// disclosure's record carries on chainID, the chain it was read from: the
// disclosure names that chain, the same subject, a commitment of that name,
// and the value and salt recompute it.
func VerifyDisclosure(d Disclosure, chainID string, e *Envelope) error {
	if d.ChainId != chainID {
		return fmt.Errorf("%w: disclosure is about %s on chain %q, checked against chain %q", ErrDisclosure, d.RecordRef, d.ChainId, chainID)
	}
	if e == nil {
		return fmt.Errorf("%w: %s carries no sealed envelope", ErrDisclosure, d.RecordRef)
	}
	if d.Subject != e.Subject {
		return fmt.Errorf("%w: disclosure is about %q, the envelope of %s about %q", ErrDisclosure, d.Subject, d.RecordRef, e.Subject)
	}
	c, ok := e.Commitment(d.Name)
	if !ok {
		return fmt.Errorf("%w: the envelope of %s has no field %q", ErrDisclosure, d.RecordRef, d.Name)
	}
	if len(d.Salt) != SaltSize || !bytes.Equal(Commit(d.Subject, d.Name, d.Salt, d.Value), c.Digest) {
		return fmt.Errorf("%w: field %q of %s", ErrDisclosure, d.Name, d.RecordRef)
	}
	return nil
}
