package sealed

import (
	"bytes"
	"crypto/ecdh"
	"crypto/hpke"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"slices"

	"golang.org/x/crypto/chacha20poly1305"
)

// hpkeInfo is the HPKE info of one recipient entry: the format, then the
// entry's key id and key fingerprint, so keys wrapped for another protocol
// never open here, and an entry relabelled with another key id or key
// fingerprint does not open for anyone.
func hpkeInfo(r *Recipient) []byte {
	info := []byte("vinhub/sealed/v2")
	info = binary.BigEndian.AppendUint32(info, uint32(len(r.Address)))
	info = append(info, r.Address...)
	info = binary.BigEndian.AppendUint32(info, r.KeyVersion)
	return append(info, r.KeyFingerprint...)
}

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
// per recipient. The envelope's subject binds it to what will carry it and
// who carries it ("vehicle/<VIN>/<dealer id>"). The result passes
// ValidateBasic or Seal fails.
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
	return e, encrypt(e, plain, recipients)
}

// encrypt fills in e's ciphertext of plain and its recipient entries under
// e's header (subject and commitments, which it does not check against plain).
func encrypt(e *Envelope, plain Fields, recipients []RecipientKey) error {
	contentKey := make([]byte, ContentKeySize)
	rand.Read(contentKey)
	aad := e.headerDigest()
	pt, err := plain.Marshal()
	if err != nil {
		return fmt.Errorf("encode fields: %w", err)
	}
	aead, err := chacha20poly1305.New(contentKey)
	if err != nil {
		return err
	}
	// A zero nonce is safe: every content key encrypts exactly one message.
	e.Ciphertext = aead.Seal(nil, make([]byte, chacha20poly1305.NonceSize), pt, aad)
	for _, r := range recipients {
		rec, err := wrapKey(r, contentKey, aad)
		if err != nil {
			return err
		}
		e.Recipients = append(e.Recipients, rec)
	}
	return e.ValidateBasic()
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
	rec := Recipient{Address: r.Address, KeyVersion: r.Version, KeyFingerprint: KeyFingerprint(r.PublicKey)}
	enc, sender, err := hpke.NewSender(pk, hpke.HKDFSHA256(), hpke.ChaCha20Poly1305(), hpkeInfo(&rec))
	if err != nil {
		return Recipient{}, fmt.Errorf("recipient %s: %w", r.KeyID, err)
	}
	if rec.WrappedKey, err = sender.Seal(aad, contentKey); err != nil {
		return Recipient{}, fmt.Errorf("recipient %s: %w", r.KeyID, err)
	}
	rec.Enc = enc
	return rec, nil
}

// Open decrypts an envelope with the private key of key id `as`, and checks
// every field against its commitment. An envelope with no entry for `as`, or
// whose entry for `as` names another key than priv's, is ErrNotRecipient;
// an entry for priv's key that does not open, or content that does not
// authenticate or match its commitments, is ErrTampered.
func Open(e *Envelope, as KeyID, priv *ecdh.PrivateKey) ([]Field, error) {
	if err := e.ValidateBasic(); err != nil {
		return nil, err
	}
	i := slices.IndexFunc(e.Recipients, func(r Recipient) bool { return r.Address == as.Address && r.KeyVersion == as.Version })
	if i < 0 {
		return nil, fmt.Errorf("%w: %s", ErrNotRecipient, as)
	}
	if fp := KeyFingerprint(priv.PublicKey().Bytes()); !bytes.Equal(e.Recipients[i].KeyFingerprint, fp) {
		return nil, fmt.Errorf("%w: the entry of %s is sealed to key %x, not to this key %x", ErrNotRecipient, as, e.Recipients[i].KeyFingerprint, fp)
	}
	return openEntry(e, &e.Recipients[i], priv)
}

// openEntry opens the entry sealed to priv's key and the content. Every
// failure is ErrTampered naming the entry's key id: the entry claims priv's
// key, so a sealer or someone on the way made it wrong.
func openEntry(e *Envelope, rec *Recipient, priv *ecdh.PrivateKey) ([]Field, error) {
	as := KeyID{Address: rec.Address, Version: rec.KeyVersion}
	contentKey, err := unwrapKey(rec, priv, e.headerDigest())
	if err != nil {
		return nil, fmt.Errorf("%w: entry of %s: content key: %v", ErrTampered, as, err)
	}
	aead, err := chacha20poly1305.New(contentKey)
	if err != nil {
		return nil, err
	}
	pt, err := aead.Open(nil, make([]byte, chacha20poly1305.NonceSize), e.Ciphertext, e.headerDigest())
	if err != nil {
		return nil, fmt.Errorf("%w: entry of %s: fields: %v", ErrTampered, as, err)
	}
	var plain Fields
	if err := plain.Unmarshal(pt); err != nil {
		return nil, fmt.Errorf("%w: entry of %s: fields do not decode: %v", ErrTampered, as, err)
	}
	if err := checkFields(e, plain.Fields); err != nil {
		return nil, fmt.Errorf("entry of %s: %w", as, err)
	}
	return plain.Fields, nil
}

func unwrapKey(rec *Recipient, priv *ecdh.PrivateKey, aad []byte) ([]byte, error) {
	sk, err := hpke.NewDHKEMPrivateKey(priv)
	if err != nil {
		return nil, err
	}
	r, err := hpke.NewRecipient(rec.Enc, sk, hpke.HKDFSHA256(), hpke.ChaCha20Poly1305(), hpkeInfo(rec))
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
// VerifyDisclosure against the envelope recordRef carries on chainID.
func Disclose(e *Envelope, fields []Field, chainID, recordRef, name string) (Disclosure, error) {
	for _, f := range fields {
		if f.Name == name {
			return Disclosure{ChainId: chainID, RecordRef: recordRef, Subject: e.Subject, Name: name, Value: f.Value, Salt: f.Salt}, nil
		}
	}
	return Disclosure{}, fmt.Errorf("%w: no field %q", ErrDisclosure, name)
}

// GenerateKey makes an X25519 key pair for x/membership's encryption keys.
func GenerateKey() (*ecdh.PrivateKey, error) { return ecdh.X25519().GenerateKey(rand.Reader) }

// OpenAny opens an envelope with a private key without knowing its key id:
// the entry naming the key's fingerprint is the key's. None is
// ErrNotRecipient; an entry for the key that does not open, or content that
// fails its commitments, is ErrTampered naming the entry's key id, never
// "not a recipient": the evidence of a bad envelope is not hidden.
func OpenAny(e *Envelope, priv *ecdh.PrivateKey) (KeyID, []Field, error) {
	if err := e.ValidateBasic(); err != nil {
		return KeyID{}, nil, err
	}
	fp := KeyFingerprint(priv.PublicKey().Bytes())
	i := slices.IndexFunc(e.Recipients, func(r Recipient) bool { return bytes.Equal(r.KeyFingerprint, fp) })
	if i < 0 {
		return KeyID{}, nil, fmt.Errorf("%w: none of its %d recipient entries is sealed to key %x", ErrNotRecipient, len(e.Recipients), fp)
	}
	id := KeyID{Address: e.Recipients[i].Address, Version: e.Recipients[i].KeyVersion}
	fields, err := openEntry(e, &e.Recipients[i], priv)
	if err != nil {
		return id, nil, err
	}
	return id, fields, nil
}
