package sealed

import (
	"bytes"
	"crypto/ecdh"
	"crypto/hpke"
	"crypto/rand"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// hpkeInfo is the HPKE info string: the format, so keys wrapped for another
// protocol never open here.
var hpkeInfo = []byte("vinhub/sealed/v1")

// RecipientKey is a party to seal to: its key id and X25519 public key, as
// x/membership lists them.
type RecipientKey struct {
	KeyID
	PublicKey []byte
}

// PlainField is a field to seal: a name and its value.
type PlainField struct {
	Name  string
	Value []byte
}

// Seal encrypts fields for the recipients: one fresh content key encrypts
// the fields (with a fresh salt each), and HPKE seals the content key once
// per recipient. The envelope's subject binds it to what will carry it
// ("vehicle/<VIN>"). The result passes ValidateBasic or Seal fails.
func Seal(subject string, fields []PlainField, recipients []RecipientKey) (*Envelope, error) {
	e := &Envelope{Version: Version, Subject: subject}
	plain := Fields{Fields: make([]Field, len(fields))}
	for i, f := range fields {
		salt := make([]byte, SaltSize)
		rand.Read(salt)
		plain.Fields[i] = Field{Name: f.Name, Value: bytes.Clone(f.Value), Salt: salt}
		e.Commitments = append(e.Commitments, Commitment{Name: f.Name, Digest: Commit(subject, f.Name, salt, f.Value)})
	}
	if err := validateCommitments(e.Commitments); err != nil {
		return nil, err
	}
	contentKey := make([]byte, ContentKeySize)
	rand.Read(contentKey)
	aad := e.headerDigest()
	pt, err := plain.Marshal()
	if err != nil {
		return nil, fmt.Errorf("encode fields: %w", err)
	}
	aead, err := chacha20poly1305.New(contentKey)
	if err != nil {
		return nil, err
	}
	// A zero nonce is safe: every content key encrypts exactly one message.
	e.Ciphertext = aead.Seal(nil, make([]byte, chacha20poly1305.NonceSize), pt, aad)
	for _, r := range recipients {
		rec, err := wrapKey(r, contentKey, aad)
		if err != nil {
			return nil, err
		}
		e.Recipients = append(e.Recipients, rec)
	}
	return e, e.ValidateBasic()
}

func wrapKey(r RecipientKey, contentKey, aad []byte) (Recipient, error) {
	if err := ValidatePublicKey(r.PublicKey); err != nil {
		return Recipient{}, fmt.Errorf("recipient %s: %w", r.KeyID, err)
	}
	pub, err := ecdh.X25519().NewPublicKey(r.PublicKey)
	if err != nil {
		return Recipient{}, fmt.Errorf("recipient %s: %w", r.KeyID, err)
	}
	pk, err := hpke.NewDHKEMPublicKey(pub)
	if err != nil {
		return Recipient{}, fmt.Errorf("recipient %s: %w", r.KeyID, err)
	}
	enc, sender, err := hpke.NewSender(pk, hpke.HKDFSHA256(), hpke.ChaCha20Poly1305(), hpkeInfo)
	if err != nil {
		return Recipient{}, fmt.Errorf("recipient %s: %w", r.KeyID, err)
	}
	wrapped, err := sender.Seal(aad, contentKey)
	if err != nil {
		return Recipient{}, fmt.Errorf("recipient %s: %w", r.KeyID, err)
	}
	return Recipient{Address: r.Address, KeyVersion: r.Version, Enc: enc, WrappedKey: wrapped}, nil
}

// Open decrypts an envelope with the private key of key id `as`, and checks
// every field against its commitment: a changed ciphertext, wrapped key or
// commitment is ErrTampered; a key the envelope was not sealed to is
// ErrNotRecipient.
func Open(e *Envelope, as KeyID, priv *ecdh.PrivateKey) ([]Field, error) {
	if err := e.ValidateBasic(); err != nil {
		return nil, err
	}
	var rec *Recipient
	for i := range e.Recipients {
		if e.Recipients[i].Address == as.Address && e.Recipients[i].KeyVersion == as.Version {
			rec = &e.Recipients[i]
		}
	}
	if rec == nil {
		return nil, fmt.Errorf("%w: %s", ErrNotRecipient, as)
	}
	contentKey, err := unwrapKey(rec, priv, e.headerDigest())
	if err != nil {
		return nil, fmt.Errorf("%w: content key of %s: %v", ErrTampered, as, err)
	}
	aead, err := chacha20poly1305.New(contentKey)
	if err != nil {
		return nil, err
	}
	pt, err := aead.Open(nil, make([]byte, chacha20poly1305.NonceSize), e.Ciphertext, e.headerDigest())
	if err != nil {
		return nil, fmt.Errorf("%w: fields: %v", ErrTampered, err)
	}
	var plain Fields
	if err := plain.Unmarshal(pt); err != nil {
		return nil, fmt.Errorf("%w: fields do not decode: %v", ErrTampered, err)
	}
	return plain.Fields, checkFields(e, plain.Fields)
}

func unwrapKey(rec *Recipient, priv *ecdh.PrivateKey, aad []byte) ([]byte, error) {
	sk, err := hpke.NewDHKEMPrivateKey(priv)
	if err != nil {
		return nil, err
	}
	r, err := hpke.NewRecipient(rec.Enc, sk, hpke.HKDFSHA256(), hpke.ChaCha20Poly1305(), hpkeInfo)
	if err != nil {
		return nil, err
	}
	key, err := r.Open(aad, rec.WrappedKey)
	if err == nil && len(key) != ContentKeySize {
		err = fmt.Errorf("content key of %d bytes", len(key))
	}
	return key, err
}

// checkFields wants the decrypted fields to be exactly the committed ones,
// in order, each recomputing its commitment.
func checkFields(e *Envelope, fields []Field) error {
	if len(fields) != len(e.Commitments) {
		return fmt.Errorf("%w: %d fields decrypted, %d committed", ErrTampered, len(fields), len(e.Commitments))
	}
	for i, f := range fields {
		c := e.Commitments[i]
		if f.Name != c.Name || len(f.Salt) != SaltSize || !bytes.Equal(Commit(e.Subject, f.Name, f.Salt, f.Value), c.Digest) {
			return fmt.Errorf("%w: field %q does not match its commitment", ErrTampered, c.Name)
		}
	}
	return nil
}

// Disclose makes the disclosure of one opened field, to be checked with
// VerifyDisclosure against the envelope recordRef carries on chain.
func Disclose(e *Envelope, fields []Field, recordRef, name string) (Disclosure, error) {
	for _, f := range fields {
		if f.Name == name {
			return Disclosure{RecordRef: recordRef, Subject: e.Subject, Name: name, Value: f.Value, Salt: f.Salt}, nil
		}
	}
	return Disclosure{}, fmt.Errorf("%w: no field %q", ErrDisclosure, name)
}

// GenerateKey makes an X25519 key pair for x/membership's encryption keys.
func GenerateKey() (*ecdh.PrivateKey, error) { return ecdh.X25519().GenerateKey(rand.Reader) }

// OpenAny opens an envelope with a private key without knowing its key id:
// it tries the key on every recipient entry (at most MaxRecipients HPKE
// opens) and returns the key id it opened as.
func OpenAny(e *Envelope, priv *ecdh.PrivateKey) (KeyID, []Field, error) {
	if err := e.ValidateBasic(); err != nil {
		return KeyID{}, nil, err
	}
	for _, id := range e.KeyIDs() {
		fields, err := Open(e, id, priv)
		if err == nil {
			return id, fields, nil
		}
	}
	return KeyID{}, nil, fmt.Errorf("%w: the key opens none of its %d recipient entries", ErrNotRecipient, len(e.Recipients))
}
