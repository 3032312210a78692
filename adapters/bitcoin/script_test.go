package bitcoin

import (
	"bytes"
	"errors"
	"math"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/txscript"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

func newKey(t testing.TB) *btcec.PrivateKey {
	t.Helper()
	k, err := btcec.NewPrivateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newSecret(t testing.TB) hashlock.Secret {
	t.Helper()
	s, err := hashlock.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustScript(t testing.TB, st ScriptTerms) []byte {
	t.Helper()
	b, err := Script(st.Hash, st.Recipient, st.Refunder, st.LockTime)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestScriptRoundTrip(t *testing.T) {
	// Locktimes at the edges of each script-number width.
	for _, lt := range []int64{MinLockTime, 1_800_000_000, 0x7fffffff, 0x80000000, math.MaxUint32} {
		want := ScriptTerms{Hash: newSecret(t).Hash(), Recipient: newKey(t).PubKey(), Refunder: newKey(t).PubKey(), LockTime: lt}
		got, err := ParseScript(mustScript(t, want))
		if err != nil {
			t.Fatalf("locktime %d: %v", lt, err)
		}
		if got.Hash != want.Hash || !got.Recipient.IsEqual(want.Recipient) || !got.Refunder.IsEqual(want.Refunder) || got.LockTime != lt {
			t.Fatalf("locktime %d: read back %+v", lt, got)
		}
	}
}

func TestScriptRefusesTerms(t *testing.T) {
	h, k := newSecret(t).Hash(), newKey(t).PubKey()
	cases := []struct {
		name      string
		recipient *btcec.PublicKey
		locktime  int64
	}{
		{"block-height locktime", k, MinLockTime - 1},
		{"locktime past uint32", k, math.MaxUint32 + 1},
		{"no recipient key", nil, MinLockTime},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Script(h, tc.recipient, k, tc.locktime); !errors.Is(err, htlc.ErrInvalidTerms) {
				t.Fatalf("Script: %v, want ErrInvalidTerms", err)
			}
		})
	}
}

func TestParseScriptRefuses(t *testing.T) {
	st := ScriptTerms{Hash: newSecret(t).Hash(), Recipient: newKey(t).PubKey(), Refunder: newKey(t).PubKey(), LockTime: 1_800_000_000}
	good := mustScript(t, st)
	build := func(f func(b *txscript.ScriptBuilder)) []byte {
		b := txscript.NewScriptBuilder()
		f(b)
		s, err := b.Script()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// tail is the script after the hash-branch prefix, as Script writes it.
	tail := func(b *txscript.ScriptBuilder) {
		b.AddOp(txscript.OP_EQUALVERIFY).AddData(st.Recipient.SerializeCompressed()).AddOp(txscript.OP_ELSE).
			AddInt64(st.LockTime).AddOp(txscript.OP_CHECKLOCKTIMEVERIFY).AddOp(txscript.OP_DROP).
			AddData(st.Refunder.SerializeCompressed()).AddOp(txscript.OP_ENDIF).AddOp(txscript.OP_CHECKSIG)
	}
	lockPush := build(func(b *txscript.ScriptBuilder) { b.AddInt64(st.LockTime) })
	cases := map[string][]byte{
		"empty":          nil,
		"truncated":      good[:len(good)-1],
		"trailing byte":  append(append([]byte{}, good...), txscript.OP_NOP),
		"not a push end": good[:40],
		"size 33": build(func(b *txscript.ScriptBuilder) {
			b.AddOp(txscript.OP_IF).AddOp(txscript.OP_SIZE).AddInt64(33).AddOp(txscript.OP_EQUALVERIFY).AddOp(txscript.OP_SHA256).AddData(st.Hash[:])
			tail(b)
		}),
		"hash160 instead of sha256": build(func(b *txscript.ScriptBuilder) {
			b.AddOp(txscript.OP_IF).AddOp(txscript.OP_SIZE).AddInt64(32).AddOp(txscript.OP_EQUALVERIFY).AddOp(txscript.OP_HASH160).AddData(st.Hash[:])
			tail(b)
		}),
		"20-byte hash": build(func(b *txscript.ScriptBuilder) {
			b.AddOp(txscript.OP_IF).AddOp(txscript.OP_SIZE).AddInt64(32).AddOp(txscript.OP_EQUALVERIFY).AddOp(txscript.OP_SHA256).AddData(st.Hash[:20])
			tail(b)
		}),
		"pushdata1 hash": build(func(b *txscript.ScriptBuilder) {
			b.AddOp(txscript.OP_IF).AddOp(txscript.OP_SIZE).AddInt64(32).AddOp(txscript.OP_EQUALVERIFY).AddOp(txscript.OP_SHA256).
				AddOp(txscript.OP_PUSHDATA1).AddOp(32).AddOps(st.Hash[:])
			tail(b)
		}),
		"uncompressed recipient": bytes.Replace(good, st.Recipient.SerializeCompressed(),
			st.Recipient.SerializeUncompressed(), 1),
		"non-minimal locktime": bytes.Replace(good, lockPush, append(append([]byte{byte(len(lockPush))}, lockPush[1:]...), 0x00), 1),
		"checksigverify":       append(append([]byte{}, good[:len(good)-1]...), txscript.OP_CHECKSIGVERIFY),
	}
	for name, script := range cases {
		t.Run(name, func(t *testing.T) {
			if bytes.Equal(script, good) {
				t.Fatal("malleation left the script unchanged")
			}
			if _, err := ParseScript(script); !errors.Is(err, errScript) {
				t.Fatalf("ParseScript: %v, want a template refusal", err)
			}
		})
	}
}

// FuzzParseScript: whatever ParseScript accepts is exactly what Script
// writes for the terms it read.
func FuzzParseScript(f *testing.F) {
	for _, lt := range []int64{MinLockTime, 0x7fffffff, 0x80000000, math.MaxUint32} {
		f.Add(mustScript(f, ScriptTerms{Hash: newSecret(f).Hash(), Recipient: newKey(f).PubKey(), Refunder: newKey(f).PubKey(), LockTime: lt}))
	}
	f.Add([]byte{txscript.OP_IF, txscript.OP_SIZE})
	f.Fuzz(func(t *testing.T, script []byte) {
		st, err := ParseScript(script)
		if err != nil {
			return
		}
		back, err := Script(st.Hash, st.Recipient, st.Refunder, st.LockTime)
		if err != nil {
			t.Fatalf("accepted script whose terms Script refuses: %v", err)
		}
		if !bytes.Equal(back, script) {
			t.Fatalf("round trip changed the script:\n in %x\nout %x", script, back)
		}
	})
}
