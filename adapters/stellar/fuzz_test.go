package stellar

import (
	"bytes"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/stellar/go-stellar-sdk/amount"
	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/strkey"
	"github.com/stellar/go-stellar-sdk/txnbuild"

	"github.com/vinhub/vinhub/hashlock"
)

const fuzzPassphrase = "Standalone Network ; February 2017"

// fuzzClaim is a claim envelope signed by a key and a preimage.
func fuzzClaim(t testing.TB, preimage []byte) string {
	escrow, recipient := keypair.MustRandom(), keypair.MustRandom()
	tx, err := mergeTx(escrow.Address(), 42<<32, recipient.Address(), txnbuild.NewTimebounds(0, 1_800_000_000), fee)
	if err != nil {
		t.Fatal(err)
	}
	tx, _ = tx.Sign(fuzzPassphrase, recipient)
	tx, err = tx.SignHashX(preimage)
	if err != nil {
		t.Fatal(err)
	}
	env, _ := tx.Base64()
	return env
}

// FuzzSecretFromEnvelope: whatever the envelope, the extraction never
// panics and never returns a secret that does not hash to the lock.
func FuzzSecretFromEnvelope(f *testing.F) {
	secret := bytes.Repeat([]byte{7}, 32)
	f.Add(fuzzClaim(f, secret), secret)
	f.Add(fuzzClaim(f, secret[:31]), secret[:31])
	f.Add(fuzzClaim(f, append(secret, 1)), append(secret, 1))
	f.Add("AAAA", secret)
	f.Add("", []byte{})
	f.Fuzz(func(t *testing.T, envelope string, preimage []byte) {
		h := hashlock.Hash(sha256.Sum256(preimage))
		s, err := SecretFromEnvelope(envelope, h)
		if err != nil {
			return
		}
		if s.Hash() != h || len(preimage) != hashlock.SecretSize {
			t.Fatalf("returned %s for lock %s (preimage of %d bytes)", s, h, len(preimage))
		}
	})
}

func TestSecretFromEnvelope(t *testing.T) {
	secret, _ := hashlock.NewSecret()
	if got, err := SecretFromEnvelope(fuzzClaim(t, secret[:]), secret.Hash()); err != nil || got != secret {
		t.Fatalf("claim: %v %s", err, got)
	}
	other, _ := hashlock.NewSecret()
	if _, err := SecretFromEnvelope(fuzzClaim(t, other[:]), secret.Hash()); err != ErrNoPreimage {
		t.Fatalf("claim under another hash: %v", err)
	}
	long := append(secret[:], 0)
	if _, err := SecretFromEnvelope(fuzzClaim(t, long), hashlock.Hash(sha256.Sum256(long))); err == nil {
		t.Fatal("a 33-byte preimage was accepted")
	}
}

// FuzzParseAmount: an accepted amount is positive and written the one
// way Status writes it back.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"25.0000000", "25", "0.0000001", "-1.0000000", "922337203685.4775807", "1e3", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseAmount(s)
		if err != nil {
			if n, nerr := NormalizeAmount(s); nerr == nil {
				if _, err := ParseAmount(n); err != nil {
					t.Fatalf("NormalizeAmount(%q) = %q, which ParseAmount refuses: %v", s, n, err)
				}
			}
			return
		}
		if v <= 0 || amount.StringFromInt64(v) != s || v+EscrowOverhead < v {
			t.Fatalf("ParseAmount(%q) = %d", s, v)
		}
	})
}

// FuzzParseRefund: the contract data decoding never panics, and what it
// accepts is a single merge from a G... escrow to a G... sender with a
// refund time, whose pre-auth signer is its hash.
func FuzzParseRefund(f *testing.F) {
	escrow, sender := keypair.MustRandom(), keypair.MustRandom()
	good, err := buildRefund(escrow.Address(), 42<<32, sender.Address(), time.Unix(1_800_000_000, 0), fee, fuzzPassphrase)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good.envelope)
	f.Add(fuzzClaim(f, []byte("x")))
	f.Add("AAAA")
	f.Add("")
	f.Fuzz(func(t *testing.T, envelope string) {
		r, err := parseRefund(envelope, fuzzPassphrase)
		if err != nil {
			return
		}
		if !strkey.IsValidEd25519PublicKey(r.escrow) || !strkey.IsValidEd25519PublicKey(r.sender) || r.expiry.Unix() <= 0 {
			t.Fatalf("accepted %+v", r)
		}
		raw, err := strkey.Decode(strkey.VersionByteHashTx, r.preAuthSigner())
		if err != nil || !bytes.Equal(raw, r.hash[:]) {
			t.Fatalf("pre-auth signer %s is not the hash %s", r.preAuthSigner(), r.hashHex())
		}
	})
}
