package stellar

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stellar/go-stellar-sdk/amount"
	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/network"
	hProtocol "github.com/stellar/go-stellar-sdk/protocols/horizon"
	"github.com/stellar/go-stellar-sdk/txnbuild"
	"github.com/stellar/go-stellar-sdk/xdr"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// scene is one escrow's parties and refund, built offline: what the
// history reader is fed in the tests that need no network.
type scene struct {
	escrow, sender, recipient, stranger *keypair.Full
	secret                              hashlock.Secret
	seq                                 int64
	refund                              refundTx
}

func newScene(t testing.TB) scene {
	t.Helper()
	s := scene{
		escrow: keypair.MustRandom(), sender: keypair.MustRandom(), recipient: keypair.MustRandom(),
		stranger: keypair.MustRandom(), seq: 42 << 32,
	}
	s.secret, _ = hashlock.NewSecret()
	var err error
	s.refund, err = buildRefund(s.escrow.Address(), s.seq, s.sender.Address(), time.Unix(1_800_000_600, 0), fee, fuzzPassphrase)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (s scene) history() *escrowHistory {
	c := htlc.Contract{Terms: htlc.Terms{Hash: s.secret.Hash()}}
	return newEscrowHistory(c, s.refund, fuzzPassphrase)
}

// tx builds a transaction from source at the escrow's next sequence
// number, signed by keys and, when preimage is set, by it.
func (s scene) tx(t testing.TB, source string, preimage []byte, keys []*keypair.Full, ops ...txnbuild.Operation) string {
	t.Helper()
	tx, err := txnbuild.NewTransaction(txnbuild.TransactionParams{
		SourceAccount:        &txnbuild.SimpleAccount{AccountID: source, Sequence: s.seq},
		IncrementSequenceNum: true, Operations: ops, BaseFee: fee,
		Preconditions: txnbuild.Preconditions{TimeBounds: txnbuild.NewInfiniteTimeout()},
	})
	if err != nil {
		t.Fatal(err)
	}
	if tx, err = tx.Sign(fuzzPassphrase, keys...); err != nil {
		t.Fatal(err)
	}
	if preimage != nil {
		if tx, err = tx.SignHashX(preimage); err != nil {
			t.Fatal(err)
		}
	}
	env, err := tx.Base64()
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// feeBump wraps envelope in a fee bump paid and signed by payer, as
// anyone holding a signed transaction may.
func feeBump(t testing.TB, envelope, passphrase string, payer *keypair.Full) string {
	t.Helper()
	parsed, err := txnbuild.TransactionFromXDR(envelope)
	if err != nil {
		t.Fatal(err)
	}
	inner, ok := parsed.Transaction()
	if !ok {
		t.Fatal("not a v1 transaction")
	}
	bump, err := txnbuild.NewFeeBumpTransaction(txnbuild.FeeBumpTransactionParams{Inner: inner, FeeAccount: payer.Address(), BaseFee: 2 * fee})
	if err != nil {
		t.Fatal(err)
	}
	if bump, err = bump.Sign(passphrase, payer); err != nil {
		t.Fatal(err)
	}
	env, err := bump.Base64()
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// listed is the envelope as Horizon lists it: under the hash of the
// envelope, which for a fee bump is the outer transaction's.
func listed(t *testing.T, envelope string) *hProtocol.Transaction {
	t.Helper()
	var env xdr.TransactionEnvelope
	if err := xdr.SafeUnmarshalBase64(envelope, &env); err != nil {
		t.Fatal(err)
	}
	h, err := network.HashTransactionInEnvelope(env, fuzzPassphrase)
	if err != nil {
		t.Fatal(err)
	}
	return &hProtocol.Transaction{Hash: hex.EncodeToString(h[:]), EnvelopeXdr: envelope}
}

// TestScanSettlements: what the history reader makes of each transaction
// that can follow the lock. The refund counts by its inner hash even when
// someone fee-bumped it (Horizon lists the outer hash), and anything
// spending from the escrow with the preimage is a claim that revealed the
// secret, merge or not.
func TestScanSettlements(t *testing.T) {
	s := newScene(t)
	escrow, recipient := s.escrow.Address(), s.recipient.Address()
	claim, err := buildClaim(inspection{refund: s.refund, seq: s.seq}, s.recipient, s.secret, fee, fuzzPassphrase)
	if err != nil {
		t.Fatal(err)
	}
	claimEnv, _ := claim.Base64()
	payOut := &txnbuild.Payment{SourceAccount: escrow, Destination: recipient, Amount: "1", Asset: txnbuild.NativeAsset{}}
	wrong := make([]byte, 32)
	if bumped := listed(t, feeBump(t, s.refund.envelope, fuzzPassphrase, s.stranger)); bumped.Hash == s.refund.hashHex() {
		t.Fatal("Horizon would list the fee-bumped refund under the refund's own hash")
	}
	cases := []struct {
		name     string
		envelope string
		want     htlc.State
		stray    bool
	}{
		{"refund", s.refund.envelope, htlc.StateRefunded, false},
		{"refund fee-bumped by a stranger", feeBump(t, s.refund.envelope, fuzzPassphrase, s.stranger), htlc.StateRefunded, false},
		{"claim", claimEnv, htlc.StateClaimed, false},
		{"claim fee-bumped", feeBump(t, claimEnv, fuzzPassphrase, s.stranger), htlc.StateClaimed, false},
		{"payment out of the escrow with the preimage", s.tx(t, escrow, s.secret[:], []*keypair.Full{s.recipient}, payOut), htlc.StateClaimed, false},
		{"bump sequence with the preimage", s.tx(t, escrow, s.secret[:], []*keypair.Full{s.recipient}, &txnbuild.BumpSequence{BumpTo: s.seq + 100}), htlc.StateClaimed, false},
		{"the recipient's transaction paying out of the escrow with the preimage", s.tx(t, recipient, s.secret[:], []*keypair.Full{s.recipient}, payOut), htlc.StateClaimed, false},
		{"a donation", s.tx(t, s.stranger.Address(), nil, []*keypair.Full{s.stranger}, &txnbuild.Payment{Destination: escrow, Amount: "0.0000001", Asset: txnbuild.NativeAsset{}}), htlc.StateUnknown, false},
		{"a payment out with another preimage", s.tx(t, escrow, wrong, []*keypair.Full{s.recipient}, payOut), htlc.StateUnknown, false},
		{"a merge without the preimage", s.tx(t, escrow, nil, []*keypair.Full{s.recipient}, &txnbuild.AccountMerge{Destination: recipient}), htlc.StateUnknown, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := s.history()
			tx := listed(t, tc.envelope)
			if err := h.scan(tx); err != nil {
				t.Fatal(err)
			}
			if h.state != tc.want || (h.strayMerge != nil) != tc.stray {
				t.Fatalf("state %q, stray merge %v; want %q, %v", h.state, h.strayMerge != nil, tc.want, tc.stray)
			}
			if tc.want == htlc.StateUnknown {
				return
			}
			if h.end != tx {
				t.Fatalf("settled by %v, want the transaction %s", h.end, tx.Hash)
			}
			if (h.state == htlc.StateClaimed) != (h.secret == s.secret) {
				t.Fatalf("state %s with secret %s", h.state, h.secret)
			}
		})
	}
}

// TestScanIsOneWay: after the transaction that settled the escrow,
// nothing changes what the history says.
func TestScanIsOneWay(t *testing.T) {
	s := newScene(t)
	h := s.history()
	claim := s.tx(t, s.escrow.Address(), s.secret[:], []*keypair.Full{s.recipient}, &txnbuild.BumpSequence{BumpTo: s.seq + 100})
	for _, env := range []string{claim, s.refund.envelope} {
		if err := h.scan(listed(t, env)); err != nil {
			t.Fatal(err)
		}
	}
	if h.state != htlc.StateClaimed || h.end.EnvelopeXdr != claim {
		t.Fatalf("state %s after a claim and then the refund", h.state)
	}
}

// TestFunding: the escrow's first transaction must be the sender's
// create_account of it, for more than the overhead; its starting balance
// is the amount, whatever arrives later.
func TestFunding(t *testing.T) {
	s := newScene(t)
	escrow, sender := s.escrow.Address(), s.sender.Address()
	create := func(from *keypair.Full, lumens string) string {
		return s.tx(t, from.Address(), nil, []*keypair.Full{from}, &txnbuild.CreateAccount{Destination: escrow, Amount: lumens})
	}
	cases := []struct {
		name     string
		envelope string
		funded   string
		err      string
	}{
		{"the sender's create_account", create(s.sender, "27.6"), "27.6000000", ""},
		{"created by someone else", create(s.stranger, "27.6"), "", "not by the sender " + sender},
		{"no more than the overhead", create(s.sender, amount.StringFromInt64(EscrowOverhead)), "", "not more than"},
		{"a payment first", s.tx(t, sender, nil, []*keypair.Full{s.sender}, &txnbuild.Payment{Destination: escrow, Amount: "30", Asset: txnbuild.NativeAsset{}}), "", "not the sender's create_account"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := s.history()
			if err := h.scan(listed(t, tc.envelope)); err != nil {
				t.Fatal(err)
			}
			if tc.err != "" {
				if h.fundErr == nil || !strings.Contains(h.fundErr.Error(), tc.err) {
					t.Fatalf("funding error %v, want one mentioning %q", h.fundErr, tc.err)
				}
				return
			}
			if h.fundErr != nil || amount.StringFromInt64(h.funded) != tc.funded {
				t.Fatalf("funded %d (%v), want %s", h.funded, h.fundErr, tc.funded)
			}
			// A later donation changes nothing.
			if err := h.scan(listed(t, create(s.stranger, "100"))); err != nil || amount.StringFromInt64(h.funded) != tc.funded {
				t.Fatalf("after a second create_account: %v %d", err, h.funded)
			}
		})
	}
}

// FuzzScan: whatever Horizon lists, the history reader never panics, and
// a claim it reports carries the preimage of the lock.
func FuzzScan(f *testing.F) {
	s := newScene(f)
	f.Add(s.refund.envelope)
	f.Add(s.tx(f, s.escrow.Address(), s.secret[:], []*keypair.Full{s.recipient}, &txnbuild.BumpSequence{BumpTo: s.seq + 100}))
	f.Add(feeBump(f, s.refund.envelope, fuzzPassphrase, s.stranger))
	f.Add("AAAA")
	f.Fuzz(func(t *testing.T, envelope string) {
		h := s.history()
		if err := h.scan(&hProtocol.Transaction{EnvelopeXdr: envelope}); err != nil {
			return
		}
		if h.state == htlc.StateClaimed && hashlock.Hash(sha256.Sum256(h.secret[:])) != s.secret.Hash() {
			t.Fatalf("claimed with %s, which is not the lock's preimage", h.secret)
		}
	})
}
