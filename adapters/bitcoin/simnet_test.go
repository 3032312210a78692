package bitcoin

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcutil"
	"github.com/btcsuite/btcd/chaincfg"
	"github.com/btcsuite/btcd/wire"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
	"github.com/vinhub/vinhub/testnet/btcdnode"
)

// simnet is a real btcd simnet with two parties: alice mines (so she has
// coins) and bob starts with nothing.
type simnet struct {
	node             *btcdnode.Node
	alice, bob       *Rail
	aliceKey, bobKey *btcec.PrivateKey
}

func newSimnet(t *testing.T) *simnet {
	if testing.Short() {
		t.Skip("runs a real btcd")
	}
	params := &chaincfg.SimNetParams
	s := &simnet{aliceKey: newKey(t), bobKey: newKey(t)}
	s.node = btcdnode.ForTest(t, btcdnode.Options{MiningAddr: p2wpkhAddress(s.aliceKey.PubKey(), params).EncodeAddress()})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// Activation takes 300 blocks: those up to height 200 are mature.
	if err := s.node.ActivateSegwit(ctx); err != nil {
		t.Fatal(err)
	}
	s.alice, s.bob = s.rail(t, s.aliceKey), s.rail(t, s.bobKey)
	stop := s.node.AutoMine(300 * time.Millisecond)
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("miner: %v", err)
		}
	})
	return s
}

func (s *simnet) rail(t *testing.T, key *btcec.PrivateKey) *Rail {
	wif, err := btcutil.NewWIF(key, &chaincfg.SimNetParams, true)
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Config{
		RPCHost: s.node.RPCAddr, RPCUser: s.node.RPCUser, RPCPass: s.node.RPCPass, NoTLS: true,
		Net: "simnet", Key: wif.String(), FeeRate: 2, Confirmations: 1,
		Finality: time.Second, PollInterval: 100 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

// terms for alice locking to bob, expiring after from past the chain's time.
func (s *simnet) terms(t *testing.T, h hashlock.Hash, amount int64, from time.Duration) htlc.Terms {
	now, err := s.alice.chainNow(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return htlc.Terms{Hash: h, Sender: s.alice.Account(), Recipient: s.bob.Account(),
		Amount: strconv.FormatInt(amount, 10), Expiry: now.Add(from).Truncate(time.Second)}
}

func (s *simnet) lock(t *testing.T, terms htlc.Terms) htlc.Contract {
	t.Helper()
	c, err := s.alice.Lock(testCtx(t), terms)
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	return c
}

// pastMedianTime waits (the miner runs) until the chain's median time
// past is after at.
func (s *simnet) pastMedianTime(t *testing.T, at time.Time) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		mtp, err := s.node.MedianTime()
		if err != nil {
			t.Fatal(err)
		}
		if mtp.After(at) {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("median time past never passed %s", at)
}

func balance(t *testing.T, r *Rail) int64 {
	t.Helper()
	coins, err := r.unspent(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, c := range coins {
		sum += c.value
	}
	return sum
}

// watchResult is how a WatchSecret run in the background ended.
type watchResult struct {
	secret hashlock.Secret
	err    error
}

// watchInBackground runs r.WatchSecret on c; the channel gets its result.
func watchInBackground(t *testing.T, r *Rail, c htlc.Contract) <-chan watchResult {
	ctx := testCtx(t)
	done := make(chan watchResult, 1)
	go func() {
		s, err := r.WatchSecret(ctx, c)
		done <- watchResult{s, err}
	}()
	return done
}

// wantSecret waits for a background watch and fails unless it read want.
func wantSecret(t *testing.T, watched <-chan watchResult, want hashlock.Secret) {
	t.Helper()
	if w := <-watched; w.err != nil || w.secret != want {
		t.Fatalf("WatchSecret: %s, %v; want %s", w.secret, w.err, want)
	}
}

// ownsOutput reports whether an output of transaction id is among r's coins.
func ownsOutput(t *testing.T, r *Rail, id string) bool {
	t.Helper()
	coins, err := r.unspent(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range coins {
		if c.out.Hash.String() == id {
			return true
		}
	}
	return false
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: %v, want %v", what, err, want)
	}
}

func wantState(t *testing.T, r *Rail, c htlc.Contract, want htlc.State) htlc.Status {
	t.Helper()
	st, err := r.Status(testCtx(t), c)
	if err != nil {
		t.Fatalf("Status: %v", err)
	}
	if st.State != want {
		t.Fatalf("state %s, want %s", st.State, want)
	}
	return st
}

func TestSimnet(t *testing.T) {
	s := newSimnet(t)
	// The refund waits seconds for the chain's median time to pass its
	// expiry; the other subtests run meanwhile, one after another.
	t.Run("parallel", func(t *testing.T) {
		t.Run("refund", func(t *testing.T) {
			t.Parallel()
			s.testRefund(t)
		})
		t.Run("in turn", func(t *testing.T) {
			t.Parallel()
			t.Run("lock, claim, watch", s.testClaim)
			t.Run("adapter refuses bad secrets", s.testBadSecrets)
			t.Run("script enforces the hash rule", s.testScriptRules)
			t.Run("lock refuses bad terms", s.testBadTerms)
			t.Run("node outage", s.testOutage)
			t.Run("waits end with ctx or a final answer", s.testWaits)
			t.Run("a miner's claim with selector 02", s.testNonStandardClaim)
		})
	})
}

func (s *simnet) testClaim(t *testing.T) {
	secret := newSecret(t)
	terms := s.terms(t, secret.Hash(), 150_000, 10*time.Minute)
	c := s.lock(t, terms)
	st := wantState(t, s.bob, c, htlc.StateLocked)
	if err := terms.Match(st.Terms); err != nil {
		t.Fatalf("terms read back: %v", err)
	}
	// The script alone identifies the contract: rebuilt from the terms.
	rebuilt := htlc.Contract{Rail: Name, Ref: c.Ref, Terms: terms}
	wantState(t, s.bob, rebuilt, htlc.StateLocked)
	other := rebuilt
	other.Terms.Amount = "150001"
	if _, err := s.bob.Status(testCtx(t), other); err != nil {
		t.Fatalf("amount is not in the script, Status should still read it: %v", err)
	}
	other.Terms.Expiry = other.Terms.Expiry.Add(time.Second)
	_, err := s.bob.Status(testCtx(t), other)
	wantErr(t, "status of a contract with another expiry", err, htlc.ErrTermsMismatch)

	before := balance(t, s.bob)
	watched := watchInBackground(t, s.alice, c)
	tx, err := s.bob.Claim(testCtx(t), c, secret)
	if err != nil {
		t.Fatalf("Claim: %v", err)
	}
	wantSecret(t, watched, secret)
	st = wantState(t, s.alice, c, htlc.StateClaimed)
	if st.Secret == nil || *st.Secret != secret || st.TxID != tx {
		t.Fatalf("status after claim: %+v, claim tx %s", st, tx)
	}
	got := balance(t, s.bob) - before
	if got <= 140_000 || got >= 150_000 {
		t.Fatalf("bob gained %d satoshis, want 150000 less a small fee", got)
	}
	_, err = s.bob.Claim(testCtx(t), c, secret)
	wantErr(t, "second claim", err, htlc.ErrClaimed)
	_, err = s.alice.Refund(testCtx(t), c)
	wantErr(t, "refund after claim", err, htlc.ErrClaimed)
}

func (s *simnet) testRefund(t *testing.T) {
	secret := newSecret(t)
	terms := s.terms(t, secret.Hash(), 120_000, 5*time.Second)
	// A second contract, expiring with the first, is refunded by a miner.
	other, otherSecret := terms, newSecret(t)
	other.Hash = otherSecret.Hash()
	c, mined := s.lock(t, terms), s.lock(t, other)
	_, err := s.alice.Refund(testCtx(t), c)
	wantErr(t, "refund before expiry", err, htlc.ErrNotExpired)
	if !strings.Contains(err.Error(), "median time past") || !strings.Contains(err.Error(), stamp(c.Terms.Expiry)) {
		t.Fatalf("refund error lacks the times: %v", err)
	}
	_, err = s.bob.Refund(testCtx(t), c)
	wantErr(t, "refund by the recipient", err, htlc.ErrInvalidTerms)

	s.pastMedianTime(t, c.Terms.Expiry)
	_, err = s.bob.Claim(testCtx(t), c, secret)
	wantErr(t, "claim after expiry", err, htlc.ErrExpired)
	wantState(t, s.alice, c, htlc.StateLocked)

	tx, err := s.alice.Refund(testCtx(t), c)
	if err != nil {
		t.Fatalf("Refund: %v", err)
	}
	if st := wantState(t, s.bob, c, htlc.StateRefunded); st.TxID != tx || st.Secret != nil {
		t.Fatalf("status after refund: %+v, refund tx %s", st, tx)
	}
	if !ownsOutput(t, s.alice, tx) {
		t.Fatalf("alice's coins do not include the refund %s", tx)
	}
	_, err = s.bob.Claim(testCtx(t), c, secret)
	wantErr(t, "claim after refund", err, htlc.ErrRefunded)
	_, err = s.bob.WatchSecret(testCtx(t), c)
	wantErr(t, "watch a refunded contract", err, htlc.ErrRefunded)
	_, err = s.alice.Refund(testCtx(t), c)
	wantErr(t, "second refund", err, htlc.ErrRefunded)
	s.refundNonStandard(t, mined, otherSecret)
}

func (s *simnet) testBadSecrets(t *testing.T) {
	secret := newSecret(t)
	c := s.lock(t, s.terms(t, secret.Hash(), 100_000, 10*time.Minute))
	cases := []struct {
		name     string
		rail     *Rail
		preimage []byte
		want     error
	}{
		{"31 bytes", s.bob, secret[:31], hashlock.ErrSecretLength},
		{"33 bytes", s.bob, append(append([]byte{}, secret[:]...), 0), hashlock.ErrSecretLength},
		{"wrong secret", s.bob, make([]byte, 32), hashlock.ErrWrongSecret},
		{"not the recipient", s.alice, secret[:], htlc.ErrInvalidTerms},
	}
	for _, tc := range cases {
		_, err := tc.rail.ClaimPreimage(testCtx(t), c, tc.preimage)
		wantErr(t, tc.name, err, tc.want)
	}
	wantState(t, s.bob, c, htlc.StateLocked)
	if _, err := s.bob.Claim(testCtx(t), c, secret); err != nil {
		t.Fatalf("Claim after the refusals: %v", err)
	}
}

// testScriptRules spends contracts with hand-built transactions, bypassing
// every check of the adapter: btcd itself must refuse what the script
// forbids, and take the one spend it allows.
func (s *simnet) testScriptRules(t *testing.T) {
	long := make([]byte, 33)
	if _, err := rand.Read(long); err != nil {
		t.Fatal(err)
	}
	// A lock whose only preimage the test knows is 33 bytes long.
	longLock := s.lock(t, s.terms(t, sha256.Sum256(long), 100_000, 10*time.Minute))
	secret := newSecret(t)
	c := s.lock(t, s.terms(t, secret.Hash(), 100_000, 10*time.Minute))

	cases := []struct {
		name    string
		c       htlc.Contract
		key     *btcec.PrivateKey
		spend   func(cs contractState) spend
		refusal string // in btcd's error; "" means btcd takes it
	}{
		{"33-byte preimage of the lock", longLock, s.bobKey, func(cs contractState) spend {
			return claimSpend(cs.out, cs.terms.Amount, cs.script, long, p2wpkhScript(s.bobKey.PubKey()))
		}, "OP_EQUALVERIFY failed"},
		{"wrong 32-byte secret", c, s.bobKey, func(cs contractState) spend {
			return claimSpend(cs.out, cs.terms.Amount, cs.script, make([]byte, 32), p2wpkhScript(s.bobKey.PubKey()))
		}, "OP_EQUALVERIFY failed"},
		{"right secret, refunder's signature", c, s.aliceKey, func(cs contractState) spend {
			return claimSpend(cs.out, cs.terms.Amount, cs.script, secret[:], p2wpkhScript(s.aliceKey.PubKey()))
		}, "signature not empty on failed checksig"},
		{"refund with a locktime before the script's", c, s.aliceKey, func(cs contractState) spend {
			return refundSpend(cs.out, cs.terms.Amount, cs.script, MinLockTime, p2wpkhScript(s.aliceKey.PubKey()))
		}, "locktime requirement not satisfied"},
		{"refund with a final input", c, s.aliceKey, func(cs contractState) spend {
			sp := refundSpend(cs.out, cs.terms.Amount, cs.script, cs.terms.LockTime, p2wpkhScript(s.aliceKey.PubKey()))
			sp.sequence = wire.MaxTxInSequenceNum
			return sp
		}, "transaction input is finalized"},
		{"refund before the median time past", c, s.aliceKey, func(cs contractState) spend {
			return refundSpend(cs.out, cs.terms.Amount, cs.script, cs.terms.LockTime, p2wpkhScript(s.aliceKey.PubKey()))
		}, "not finalized"},
		{"right secret, recipient's signature", c, s.bobKey, func(cs contractState) spend {
			return claimSpend(cs.out, cs.terms.Amount, cs.script, secret[:], p2wpkhScript(s.bobKey.PubKey()))
		}, ""},
	}
	for _, tc := range cases {
		cs, err := s.bob.state(testCtx(t), tc.c)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := tc.spend(cs).sign(tc.key, 2)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.node.Client().SendRawTransaction(tx, false)
		switch {
		case tc.refusal == "" && err != nil:
			t.Fatalf("%s: btcd refused the valid spend: %v", tc.name, err)
		case tc.refusal != "" && (err == nil || !strings.Contains(err.Error(), tc.refusal)):
			t.Fatalf("%s: btcd answered %v, want a refusal with %q", tc.name, err, tc.refusal)
		}
	}
	wantState(t, s.bob, longLock, htlc.StateLocked)
}

func (s *simnet) testBadTerms(t *testing.T) {
	secret := newSecret(t)
	good := s.terms(t, secret.Hash(), 100_000, 10*time.Minute)
	cases := []struct {
		name string
		edit func(*htlc.Terms)
	}{
		{"someone else's coins", func(tm *htlc.Terms) { tm.Sender, tm.Recipient = tm.Recipient, tm.Sender }},
		{"zero amount", func(tm *htlc.Terms) { tm.Amount = "0" }},
		{"negative amount", func(tm *htlc.Terms) { tm.Amount = "-5" }},
		{"fractional amount", func(tm *htlc.Terms) { tm.Amount = "1.5" }},
		{"leading zero", func(tm *htlc.Terms) { tm.Amount = "0100000" }},
		{"dust", func(tm *htlc.Terms) { tm.Amount = "500" }},
		{"more than exists", func(tm *htlc.Terms) { tm.Amount = "2100000000000001" }},
		{"block-height expiry", func(tm *htlc.Terms) { tm.Expiry = time.Unix(1000, 0) }},
		{"expired", func(tm *htlc.Terms) { tm.Expiry = time.Now().Add(-time.Hour) }},
		{"recipient not a key", func(tm *htlc.Terms) { tm.Recipient = "02abcd" }},
		{"recipient upper-case", func(tm *htlc.Terms) { tm.Recipient = strings.ToUpper(tm.Recipient) }},
		{"no hash", func(tm *htlc.Terms) { tm.Hash = hashlock.Hash{} }},
	}
	for _, tc := range cases {
		tm := good
		tc.edit(&tm)
		_, err := s.alice.Lock(testCtx(t), tm)
		wantErr(t, tc.name, err, htlc.ErrInvalidTerms)
	}
	_, err := s.bob.Status(testCtx(t), htlc.Contract{Ref: wire.OutPoint{Index: 0}.String(), Terms: good})
	wantErr(t, "status of a contract never locked", err, htlc.ErrNotFound)
}
