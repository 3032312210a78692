package stellar

import (
	"context"
	"testing"
	"time"

	"github.com/stellar/go-stellar-sdk/clients/horizonclient"
	"github.com/stellar/go-stellar-sdk/keypair"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
	"github.com/vinhub/vinhub/testnet/stellarsim"
)

// net is a simulated Stellar network on 127.0.0.1 whose clock the test
// moves, closing a ledger every 20ms.
type net struct {
	sim   *stellarsim.Sim
	url   string
	clock *stellarsim.ManualClock
	ctx   context.Context
}

func startNet(t *testing.T) *net {
	t.Helper()
	clock := stellarsim.NewManualClock(time.Unix(1_800_000_000, 0))
	sim, err := stellarsim.New(stellarsim.Config{CloseInterval: 20 * time.Millisecond, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	url, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return &net{sim: sim, url: url, clock: clock, ctx: ctx}
}

// party is a funded account (10,000 XLM) with its own rail.
func (n *net) party(t *testing.T) *Rail {
	t.Helper()
	kp := keypair.MustRandom()
	if _, err := n.sim.Fund(n.ctx, kp.Address()); err != nil {
		t.Fatal(err)
	}
	r, err := New(Config{
		HorizonURL: n.url, Passphrase: n.sim.Passphrase(), Seed: kp.Seed(),
		Finality: time.Second, PollInterval: 20 * time.Millisecond, HTTPTimeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// expireAfter moves the clock past expiry and waits for a ledger that
// closed there.
func (n *net) expireAfter(t *testing.T, r *Rail, expiry time.Time) {
	t.Helper()
	n.clock.Advance(expiry.Sub(n.clock.Now()) + time.Second)
	for {
		l, err := r.latestLedger()
		if err != nil {
			t.Fatal(err)
		}
		if !l.closeTime.Before(expiry) {
			return
		}
		if err := htlc.Wait(n.ctx, 10*time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
}

func balance(t *testing.T, r *Rail, id string) int64 {
	t.Helper()
	acc, err := r.hc.AccountDetail(horizonclient.AccountRequest{AccountID: id})
	if err != nil {
		t.Fatalf("account %s: %v", id, err)
	}
	b, err := nativeBalance(acc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// swapLeg is a buyer locking lumens to a seller under a fresh secret.
type swapLeg struct {
	buyer, seller *Rail
	secret        hashlock.Secret
	terms         htlc.Terms
	contract      htlc.Contract
}

func (n *net) lock(t *testing.T, lumens string, window time.Duration) swapLeg {
	t.Helper()
	buyer, seller := n.party(t), n.party(t)
	secret, err := hashlock.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	terms := htlc.Terms{
		Hash: secret.Hash(), Sender: buyer.Account(), Recipient: seller.Account(),
		Amount: lumens, Expiry: n.clock.Now().Add(window),
	}
	c, err := buyer.Lock(n.ctx, terms)
	if err != nil {
		t.Fatalf("lock: %v", err)
	}
	return swapLeg{buyer: buyer, seller: seller, secret: secret, terms: terms, contract: c}
}

const fee = 100 // stroops, one operation at the base fee
