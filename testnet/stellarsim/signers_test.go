package stellarsim

import (
	"bytes"
	"crypto/sha256"
	"slices"
	"testing"

	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/strkey"
	"github.com/stellar/go-stellar-sdk/txnbuild"
)

func threshold(v txnbuild.Threshold) *txnbuild.Threshold { return &v }

func addSigner(address string, weight txnbuild.Threshold) txnbuild.Operation {
	return &txnbuild.SetOptions{Signer: &txnbuild.Signer{Address: address, Weight: weight}}
}

// signerWeights is an account's signers as Horizon lists them.
func (n *testNet) signerWeights(t *testing.T, id string) map[string]int32 {
	t.Helper()
	acc := n.account(t, id)
	return acc.SignerSummary()
}

func wantCodes(t *testing.T, step string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s: result codes %v, want %v", step, got, want)
	}
}

// TestThresholds: the transaction needs the source's low threshold and
// each operation its own level: payments medium, signer changes high.
func TestThresholds(t *testing.T) {
	n := startNet(t)
	a, b, c := n.funded(t), n.funded(t), n.funded(t)
	setup := &txnbuild.SetOptions{
		MasterWeight: threshold(2), LowThreshold: threshold(1), MediumThreshold: threshold(2), HighThreshold: threshold(3),
		Signer: &txnbuild.Signer{Address: b.Address(), Weight: 1},
	}
	_, got := n.submit(t, n.sign(t, n.build(t, a.Address(), txOpts{}, setup), a))
	wantCodes(t, "setup", got, "tx_success")
	if w := n.signerWeights(t, a.Address()); w[a.Address()] != 2 || w[b.Address()] != 1 || n.account(t, a.Address()).SubentryCount != 1 {
		t.Fatalf("signers after setup: %v", w)
	}

	steps := []struct {
		name    string
		op      txnbuild.Operation
		signers []*keypair.Full
		want    []string
	}{
		{"b alone reaches low, not medium", pay(c.Address(), "1"), []*keypair.Full{b}, []string{"tx_failed", "op_bad_auth"}},
		{"master reaches medium", pay(c.Address(), "1"), []*keypair.Full{a}, []string{"tx_success"}},
		{"master alone not high", addSigner(c.Address(), 1), []*keypair.Full{a}, []string{"tx_failed", "op_bad_auth"}},
		{"master and b reach high", addSigner(c.Address(), 1), []*keypair.Full{a, b}, []string{"tx_success"}},
		{"bump sequence needs low only", &txnbuild.BumpSequence{BumpTo: 0}, []*keypair.Full{c}, []string{"tx_success"}},
		{"home domain needs medium", &txnbuild.SetOptions{HomeDomain: txnbuild.NewHomeDomain("cars.example")}, []*keypair.Full{b, c}, []string{"tx_success"}},
		{"removing a signer needs high", addSigner(b.Address(), 0), []*keypair.Full{b, c}, []string{"tx_failed", "op_bad_auth"}},
		{"more signatures than needed", pay(c.Address(), "1"), []*keypair.Full{a, b}, []string{"tx_bad_auth_extra"}},
	}
	for _, s := range steps {
		_, got := n.submit(t, n.sign(t, n.build(t, a.Address(), txOpts{}, s.op), s.signers...))
		wantCodes(t, s.name, got, s.want...)
	}
	if acc := n.account(t, a.Address()); acc.SubentryCount != 2 || acc.HomeDomain != "cars.example" {
		t.Fatalf("after the steps: %d subentries, home domain %q", acc.SubentryCount, acc.HomeDomain)
	}
}

// TestHashXSigner: a sha256_hash signer is satisfied by a decorated
// signature whose hint is the hash's last 4 bytes and whose bytes are the
// preimage; anyone who knows the preimage can use it.
func TestHashXSigner(t *testing.T) {
	n := startNet(t)
	a, b := n.funded(t), n.funded(t)
	preimage := bytes.Repeat([]byte{0x42}, 32)
	h := sha256.Sum256(preimage)
	hashX, err := strkey.Encode(strkey.VersionByteHashX, h[:])
	if err != nil {
		t.Fatal(err)
	}
	setup := []txnbuild.Operation{addSigner(hashX, 1), &txnbuild.SetOptions{MasterWeight: threshold(0)}}
	_, got := n.submit(t, n.sign(t, n.build(t, a.Address(), txOpts{}, setup...), a))
	wantCodes(t, "add hashX signer", got, "tx_success")
	if typ := n.account(t, a.Address()).Signers[0].Type; typ != "sha256_hash" {
		t.Fatalf("signer type %q", typ)
	}

	withPreimage := func(x []byte, keys ...*keypair.Full) *txnbuild.Transaction {
		tx := n.build(t, a.Address(), txOpts{}, pay(b.Address(), "1"))
		tx, err := tx.SignHashX(x)
		if err != nil {
			t.Fatal(err)
		}
		return n.sign(t, tx, keys...)
	}
	wrong := bytes.Repeat([]byte{0x43}, 32)
	_, got = n.submit(t, withPreimage(wrong))
	wantCodes(t, "wrong preimage", got, "tx_bad_auth")
	_, got = n.submit(t, n.sign(t, n.build(t, a.Address(), txOpts{}, pay(b.Address(), "1")), a))
	wantCodes(t, "master key at weight 0", got, "tx_bad_auth")
	_, got = n.submit(t, withPreimage(preimage, a))
	wantCodes(t, "preimage and an unused master signature", got, "tx_bad_auth_extra")
	_, got = n.submit(t, withPreimage(preimage))
	wantCodes(t, "right preimage", got, "tx_success")
}

// TestPreAuthSigner: a preauth_tx signer authorizes exactly one
// transaction, needs no signature, and is removed when that transaction
// is applied, whether its operations succeed or fail.
func TestPreAuthSigner(t *testing.T) {
	n := startNet(t)
	for _, tc := range []struct {
		name string
		to   func(b *keypair.Full) string
		want []string
	}{
		{"operations succeed", func(b *keypair.Full) string { return b.Address() }, []string{"tx_success"}},
		{"operation fails", func(*keypair.Full) string { return keypair.MustRandom().Address() }, []string{"tx_failed", "op_no_destination"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := n.funded(t), n.funded(t)
			// The pre-authorized transaction uses the sequence number after
			// the one that adds its signer.
			pre := n.build(t, a.Address(), txOpts{seqDelta: 1}, pay(tc.to(b), "5"))
			hash, err := pre.Hash(n.sim.Passphrase())
			if err != nil {
				t.Fatal(err)
			}
			preAuth, _ := strkey.Encode(strkey.VersionByteHashTx, hash[:])
			_, got := n.submit(t, n.sign(t, n.build(t, a.Address(), txOpts{}, addSigner(preAuth, 1)), a))
			wantCodes(t, "add preauth signer", got, "tx_success")
			if w := n.signerWeights(t, a.Address()); w[preAuth] != 1 {
				t.Fatalf("signers: %v", w)
			}
			other := n.build(t, a.Address(), txOpts{}, pay(b.Address(), "6"))
			_, got = n.submit(t, other)
			wantCodes(t, "another unsigned transaction", got, "tx_bad_auth")

			_, got = n.submit(t, pre)
			wantCodes(t, "the pre-authorized transaction", got, tc.want...)
			acc := n.account(t, a.Address())
			if _, still := acc.SignerSummary()[preAuth]; still || acc.SubentryCount != 0 {
				t.Fatalf("preauth signer not removed: %v, %d subentries", acc.SignerSummary(), acc.SubentryCount)
			}
		})
	}
}

// TestSignerReserves: every signer is a subentry that raises the minimum
// balance by the base reserve; the fee must come out of what is above it.
func TestSignerReserves(t *testing.T) {
	n := startNet(t)
	a, b := n.funded(t), n.funded(t)
	poor := keypair.MustRandom()
	// The reserve of a bare account (1 XLM) and one signer (0.5 XLM), and
	// three fees of 100 stroops.
	create := &txnbuild.CreateAccount{Destination: poor.Address(), Amount: "1.5000300"}
	_, got := n.submit(t, n.sign(t, n.build(t, a.Address(), txOpts{}, create), a))
	wantCodes(t, "create", got, "tx_success")
	if seq := n.account(t, poor.Address()).Sequence; seq&0xffffffff != 0 || seq == 0 {
		t.Fatalf("a new account's sequence number is ledger<<32, got %d", seq)
	}

	_, got = n.submit(t, n.sign(t, n.build(t, poor.Address(), txOpts{}, addSigner(b.Address(), 1)), poor))
	wantCodes(t, "first signer", got, "tx_success")
	_, got = n.submit(t, n.sign(t, n.build(t, poor.Address(), txOpts{}, addSigner(a.Address(), 1)), poor))
	wantCodes(t, "second signer", got, "tx_failed", "op_low_reserve")
	payment := func() *txnbuild.Transaction {
		return n.sign(t, n.build(t, poor.Address(), txOpts{}, pay(a.Address(), "0.0000001")), poor)
	}
	_, got = n.submit(t, payment())
	wantCodes(t, "payment out of the reserve", got, "tx_failed", "op_underfunded")
	if bal := n.balance(t, poor.Address()); bal != xlm("1.5") {
		t.Fatalf("balance %d, want exactly the reserve", bal)
	}
	_, got = n.submit(t, payment())
	wantCodes(t, "fee out of the reserve", got, "tx_insufficient_balance")
}
