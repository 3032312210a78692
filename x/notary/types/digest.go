package types

import (
	"encoding/binary"
	"encoding/hex"

	errorsmod "cosmossdk.io/errors"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/schnorr"
	"github.com/btcsuite/btcd/chaincfg/chainhash"
)

// DigestTag is the BIP-340 tag of an attestation digest. A tagged hash
// cannot collide with any other use of the notaries' keys (Bitcoin
// transactions, other protocols' tags): BIP-340, "Design", tagged hashes.
const DigestTag = "vinhub/notary/v1"

// Digest is what every member of set version setVersion signs for an
// observation:
//
//	hash_{vinhub/notary/v1}(version || encoding)
//	  = SHA256(SHA256(tag) || SHA256(tag) || u64be(version) || encoding)
//
// with the tagged hash of BIP-340 ("Specification", hash_name(x)). The
// set version is inside, so a signature under one set is never counted
// for another.
func Digest(o Observation, setVersion uint64) ([32]byte, error) {
	bz, err := o.Encode()
	if err != nil {
		return [32]byte{}, errorsmod.Wrapf(ErrInvalidObservation, "encode: %v", err)
	}
	var v [8]byte
	binary.BigEndian.PutUint64(v[:], setVersion)
	return *chainhash.TaggedHash([]byte(DigestTag), v[:], bz), nil
}

// ParsePubKey reads a member's key: 32 bytes, the x coordinate of a point
// with an even y (BIP-340 "Public Key Generation"; lift_x, "Specification").
func ParsePubKey(pk []byte) (*btcec.PublicKey, error) {
	if len(pk) != schnorr.PubKeyBytesLen {
		return nil, errorsmod.Wrapf(ErrInvalidSet, "public key must be %d bytes (BIP-340 x-only), got %d", schnorr.PubKeyBytesLen, len(pk))
	}
	// lift_x(x): fails if x >= p or x^3 + 7 is not a square mod p.
	key, err := schnorr.ParsePubKey(pk)
	if err != nil {
		return nil, errorsmod.Wrapf(ErrInvalidSet, "public key is not a BIP-340 key: %v", err)
	}
	return key, nil
}

// VerifySignature checks a member's signature of a digest, following
// BIP-340 "Verification" (Verify(pk, m, sig)):
//
//  1. P = lift_x(int(pk)); fail if that fails (ParsePubKey).
//  2. r = int(sig[0:32]); fail if r >= p. s = int(sig[32:64]); fail if s >= n.
//  3. e = int(hash_{BIP0340/challenge}(bytes(r) || bytes(P) || m)) mod n.
//  4. R = s⋅G - e⋅P; fail if R is infinite, has an odd y, or x(R) != r.
//
// Steps 2 to 4 are btcec's schnorr implementation of the same spec.
// Malformed input returns an error and never panics.
func VerifySignature(pk []byte, digest [32]byte, sig []byte) error {
	key, err := ParsePubKey(pk) // step 1
	if err != nil {
		return err
	}
	if len(sig) != schnorr.SignatureSize {
		return errorsmod.Wrapf(ErrInvalidSignature, "got %d bytes", len(sig))
	}
	parsed, err := schnorr.ParseSignature(sig) // step 2: r < p, s < n
	if err != nil {
		return errorsmod.Wrapf(ErrBadSignature, "%v", err)
	}
	if !parsed.Verify(digest[:], key) { // steps 3 and 4
		return errorsmod.Wrap(ErrBadSignature, "BIP-340 verification failed for this key and digest")
	}
	return nil
}

// Sign is a member's BIP-340 signature of a digest, the nonce derived
// deterministically (RFC 6979, as btcec does without aux randomness): a
// notary that signs the same digest twice produces the same signature.
func Sign(key *btcec.PrivateKey, digest [32]byte) ([]byte, error) {
	sig, err := schnorr.Sign(key, digest[:])
	if err != nil {
		return nil, err
	}
	return sig.Serialize(), nil
}

// PubKeyBytes is a private key's BIP-340 x-only public key.
func PubKeyBytes(key *btcec.PrivateKey) []byte { return schnorr.SerializePubKey(key.PubKey()) }

// AttestationID is the id of an attestation: its digest in lower-case hex.
func AttestationID(digest [32]byte) string { return hexString(digest[:]) }

func hexString(b []byte) string { return hex.EncodeToString(b) }
