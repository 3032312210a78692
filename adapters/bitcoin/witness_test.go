package bitcoin

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/chaincfg/chainhash"
	"github.com/btcsuite/btcd/txscript"
	"github.com/btcsuite/btcd/wire"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// signedWitnesses are the witnesses of a real, signed claim and refund of
// one contract, built the way the rail builds them.
func signedWitnesses(t testing.TB, s hashlock.Secret) (claim, refund wire.TxWitness, script []byte) {
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
	with := func(w wire.TxWitness, edits map[int][]byte) wire.TxWitness {
		w = append(wire.TxWitness{}, w...)
		for i, item := range edits {
			w[i] = item
		}
		return w
	}
	cases := []struct {
		name    string
		witness wire.TxWitness
		want    error
	}{
		{"claim", claim, nil},
		{"refund", refund, htlc.ErrRefunded},
		{"31-byte secret", with(claim, map[int][]byte{1: s[:31]}), hashlock.ErrSecretLength},
		{"33-byte secret", with(claim, map[int][]byte{1: append(append([]byte{}, s[:]...), 0)}), hashlock.ErrSecretLength},
		{"wrong secret", with(claim, map[int][]byte{1: bytes.Repeat([]byte{7}, 32)}), hashlock.ErrWrongSecret},
		{"script of another lock", with(claim, map[int][]byte{3: otherScript}), htlc.ErrTermsMismatch},
		{"not the template", with(claim, map[int][]byte{3: script[1:]}), errWitness},
		// Consensus takes any true selector; only relay policy wants 01.
		{"claim, selector 02", with(claim, map[int][]byte{2: {2}}), nil},
		{"claim, selector ff", with(claim, map[int][]byte{2: {0xff}}), nil},
		{"claim, selector 0080 (negative zero)", with(claim, map[int][]byte{2: {0, 0x80}}), errWitness},
		{"claim, selector 8000", with(claim, map[int][]byte{2: {0x80, 0}}), nil},
		{"claim, selector 02, 31-byte secret", with(claim, map[int][]byte{1: s[:31], 2: {2}}), hashlock.ErrSecretLength},
		{"claim, selector 02, wrong secret", with(claim, map[int][]byte{1: make([]byte, 32), 2: {2}}), hashlock.ErrWrongSecret},
		{"claim, empty selector", with(claim, map[int][]byte{2: {}}), errWitness},
		{"claim, selector 00", with(claim, map[int][]byte{2: {0}}), errWitness},
		{"claim, selector 80 (negative zero)", with(claim, map[int][]byte{2: {0x80}}), errWitness},
		{"refund, selector 00", with(refund, map[int][]byte{1: {0}}), htlc.ErrRefunded},
		{"refund, selector 0000", with(refund, map[int][]byte{1: {0, 0}}), htlc.ErrRefunded},
		{"refund, selector 80", with(refund, map[int][]byte{1: {0x80}}), htlc.ErrRefunded},
		{"refund, selector 01", with(refund, map[int][]byte{1: {1}}), errWitness},
		{"refund, selector 0080", with(refund, map[int][]byte{1: {0, 0x80}}), htlc.ErrRefunded},
		{"refund, script of another lock", with(refund, map[int][]byte{2: otherScript}), htlc.ErrTermsMismatch},
		{"five items", append(wire.TxWitness{{}}, claim...), errWitness},
		{"the script alone", wire.TxWitness{script}, errWitness},
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

// consensusFlags are the script rules btcd applies to a block's
// transactions once segwit is active: MINIMALIF is not among them.
const consensusFlags = txscript.ScriptBip16 | txscript.ScriptVerifyDERSignatures | txscript.ScriptVerifyCheckLockTimeVerify |
	txscript.ScriptVerifyCheckSequenceVerify | txscript.ScriptVerifyWitness | txscript.ScriptStrictMultiSig

// TestWitnessAgreesWithConsensus signs claims and refunds with each branch
// selector and runs them through btcd's script engine: SecretFromWitness
// must read as a claim or a refund exactly the spends a block may carry,
// while relay policy passes only the selectors the rail writes.
func TestWitnessAgreesWithConsensus(t *testing.T) {
	s := newSecret(t)
	recipient, refunder := newKey(t), newKey(t)
	st := ScriptTerms{Hash: s.Hash(), Recipient: recipient.PubKey(), Refunder: refunder.PubKey(), LockTime: 1_800_000_000}
	script := mustScript(t, st)
	out := wire.OutPoint{Hash: chainhash.DoubleHashH([]byte("funding")), Index: 0}
	const amount = 150_000
	selectors := [][]byte{{}, {0}, {0, 0}, {0x80}, {0, 0x80}, {1}, {2}, {0xff}, {0x80, 0}, {0, 1}}
	for _, sel := range selectors {
		claim := claimSpend(out, amount, script, s[:], p2wpkhScript(st.Recipient))
		claim.witness = func(sig []byte) wire.TxWitness { return wire.TxWitness{sig, s[:], sel, script} }
		refund := refundSpend(out, amount, script, st.LockTime, p2wpkhScript(st.Refunder))
		refund.witness = func(sig []byte) wire.TxWitness { return wire.TxWitness{sig, sel, script} }
		for _, sp := range []struct {
			name    string
			spend   spend
			key     *btcec.PrivateKey
			want    error
			minimal bool // the selector relay policy passes on this branch
		}{
			{"claim", claim, recipient, nil, bytes.Equal(sel, []byte{1})},
			{"refund", refund, refunder, htlc.ErrRefunded, len(sel) == 0},
		} {
			tx, err := sp.spend.sign(sp.key, 2)
			if err != nil {
				t.Fatal(err)
			}
			valid := runScript(t, tx, script, amount, consensusFlags) == nil
			standard := runScript(t, tx, script, amount, txscript.StandardVerifyFlags) == nil
			_, err = SecretFromWitness(tx.TxIn[0].Witness, st.Hash)
			read := errors.Is(err, sp.want) && (sp.want != nil || err == nil)
			if read != valid {
				t.Errorf("%s with selector %x: consensus valid %v, SecretFromWitness %v", sp.name, sel, valid, err)
			}
			if standard != sp.minimal {
				t.Errorf("%s with selector %x: relay policy passes it: %v, want %v", sp.name, sel, standard, sp.minimal)
			}
		}
	}
}

// runScript runs input 0 of tx, spending a P2WSH output of script.
func runScript(t *testing.T, tx *wire.MsgTx, script []byte, amount int64, flags txscript.ScriptFlags) error {
	t.Helper()
	pk := witnessProgram(script)
	fetcher := txscript.NewCannedPrevOutputFetcher(pk, amount)
	vm, err := txscript.NewEngine(pk, tx, 0, flags, nil, txscript.NewTxSigHashes(tx, fetcher), amount, fetcher)
	if err != nil {
		t.Fatal(err)
	}
	return vm.Execute()
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
// witness with a true selector whose script is the template locking h and
// whose second item is that secret, 32 bytes hashing to h; ErrRefunded
// only for a 3-item witness with a false selector and that script.
func FuzzSecretFromWitness(f *testing.F) {
	s := newSecret(f)
	h := s.Hash()
	claim, refund, _ := signedWitnesses(f, s)
	f.Add(encodeWitness(f, claim), h[:])
	f.Add(encodeWitness(f, refund), h[:])
	f.Add(encodeWitness(f, wire.TxWitness{claim[0], s[:31], {1}, claim[3]}), h[:])
	f.Add(encodeWitness(f, wire.TxWitness{claim[0], s[:], {2}, claim[3]}), h[:])
	f.Add(encodeWitness(f, wire.TxWitness{refund[0], {0x80}, refund[2]}), h[:])
	f.Fuzz(func(t *testing.T, in, hash []byte) {
		w, ok := decodeWitness(in)
		lock, err := hashlock.HashFromBytes(hash)
		if !ok || err != nil {
			return
		}
		got, err := SecretFromWitness(w, lock)
		switch {
		case errors.Is(err, htlc.ErrRefunded):
			if len(w) != 3 || scriptTrue(w[1]) {
				t.Fatalf("refund from a witness that is not [signature, false, script]: %x", w)
			}
		case err == nil:
			if len(w) != 4 || !scriptTrue(w[2]) || !bytes.Equal(w[1], got[:]) || sha256.Sum256(w[1]) != [32]byte(lock) {
				t.Fatalf("secret %s from a witness that does not reveal it: %x", got, w)
			}
		default:
			return
		}
		st, err := ParseScript(w[len(w)-1])
		if err != nil || st.Hash != lock {
			t.Fatalf("claim or refund from a witness whose script is not the template locking %s: %v", lock, err)
		}
	})
}
