package bitcoin

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/chainhash"
	"github.com/btcsuite/btcd/wire"

	"github.com/vinhub/vinhub/adapters/htlc"
)

// signedWitnesses are the witnesses of a real, signed claim and refund of
// one contract, built the way the rail builds them.
func signedWitnesses(t testing.TB, s htlc.Secret) (claim, refund wire.TxWitness, script []byte) {
	t.Helper()
	recipient, refunder := newKey(t), newKey(t)
	st := ScriptTerms{Hash: s.Hash(), Recipient: recipient.PubKey(), Refunder: refunder.PubKey(), LockTime: 1_800_000_000}
	script = mustScript(t, st)
	out := wire.OutPoint{Hash: chainhash.DoubleHashH([]byte("funding")), Index: 0}
	ctx, err := claimSpend(out, 150_000, script, s[:], p2wpkhScript(st.Recipient)).sign(recipient, 2)
	if err != nil {
		t.Fatal(err)
	}
	rtx, err := refundSpend(out, 150_000, script, st.LockTime, p2wpkhScript(st.Refunder)).sign(refunder, 2)
	if err != nil {
		t.Fatal(err)
	}
	return ctx.TxIn[0].Witness, rtx.TxIn[0].Witness, script
}

func TestSecretFromWitness(t *testing.T) {
	s := newSecret(t)
	h := s.Hash()
	claim, refund, script := signedWitnesses(t, s)
	_, _, otherScript := signedWitnesses(t, newSecret(t))
	with := func(i int, item []byte) wire.TxWitness {
		w := append(wire.TxWitness{}, claim...)
		w[i] = item
		return w
	}
	cases := []struct {
		name    string
		witness wire.TxWitness
		want    error
	}{
		{"claim", claim, nil},
		{"refund", refund, htlc.ErrRefunded},
		{"31-byte secret", with(1, s[:31]), htlc.ErrSecretLength},
		{"33-byte secret", with(1, append(append([]byte{}, s[:]...), 0)), htlc.ErrSecretLength},
		{"wrong secret", with(1, bytes.Repeat([]byte{7}, 32)), htlc.ErrWrongSecret},
		{"script of another lock", with(3, otherScript), htlc.ErrTermsMismatch},
		{"not the template", with(3, script[1:]), errWitness},
		{"selector 02", with(2, []byte{2}), errWitness},
		{"refund with a selector", wire.TxWitness{refund[0], {1}, script}, errWitness},
		{"p2wpkh witness", wire.TxWitness{claim[0], make([]byte, 33)}, errWitness},
		{"empty", nil, errWitness},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SecretFromWitness(tc.witness, h)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("SecretFromWitness: %v, want %v", err, tc.want)
			}
			if tc.want == nil && got != s {
				t.Fatalf("secret %s, want %s", got, s)
			}
		})
	}
}

// encodeWitness and decodeWitness write a witness stack as the fuzzer's
// input: a count, then each item with its length (wire's encoding).
func encodeWitness(t testing.TB, w wire.TxWitness) []byte {
	var buf bytes.Buffer
	if err := wire.WriteVarInt(&buf, 0, uint64(len(w))); err != nil {
		t.Fatal(err)
	}
	for _, item := range w {
		if err := wire.WriteVarBytes(&buf, 0, item); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

func decodeWitness(b []byte) (wire.TxWitness, bool) {
	r := bytes.NewReader(b)
	n, err := wire.ReadVarInt(r, 0)
	if err != nil || n > 16 {
		return nil, false
	}
	w := make(wire.TxWitness, n)
	for i := range w {
		if w[i], err = wire.ReadVarBytes(r, 0, 1<<12, "witness item"); err != nil {
			return nil, false
		}
	}
	return w, true
}

// FuzzSecretFromWitness: a secret is returned only from a 4-item claim
// witness whose script is the template locking h and whose second item is
// that secret, 32 bytes hashing to h.
func FuzzSecretFromWitness(f *testing.F) {
	s := newSecret(f)
	h := s.Hash()
	claim, refund, _ := signedWitnesses(f, s)
	f.Add(encodeWitness(f, claim), h[:])
	f.Add(encodeWitness(f, refund), h[:])
	f.Add(encodeWitness(f, wire.TxWitness{claim[0], s[:31], {1}, claim[3]}), h[:])
	f.Fuzz(func(t *testing.T, in, hash []byte) {
		w, ok := decodeWitness(in)
		lock, err := htlc.HashFromBytes(hash)
		if !ok || err != nil {
			return
		}
		got, err := SecretFromWitness(w, lock)
		if err != nil {
			return
		}
		if len(w) != 4 || !bytes.Equal(w[1], got[:]) || sha256.Sum256(w[1]) != [32]byte(lock) {
			t.Fatalf("secret %s from a witness that does not reveal it: %x", got, w)
		}
		st, err := ParseScript(w[3])
		if err != nil || st.Hash != lock {
			t.Fatalf("secret from a witness whose script is not the template locking %s: %v", lock, err)
		}
	})
}
