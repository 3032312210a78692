package swap

import (
	"context"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcutil"
	"github.com/btcsuite/btcd/chaincfg"
	"github.com/stellar/go-stellar-sdk/keypair"

	"github.com/vinhub/vinhub/adapters/bitcoin"
	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/adapters/stellar"
	"github.com/vinhub/vinhub/hashlock"
)

// party is one side's rails. Nothing here reaches a node: every case is
// refused before the first call over the network.
type party struct {
	rails   Rails
	stellar string
	bitcoin string
	seed    string
	wif     string
}

func newParty(t *testing.T) party {
	t.Helper()
	kp, err := keypair.Random()
	if err != nil {
		t.Fatal(err)
	}
	key, err := btcec.NewPrivateKey()
	if err != nil {
		t.Fatal(err)
	}
	wif, err := btcutil.NewWIF(key, &chaincfg.SimNetParams, true)
	if err != nil {
		t.Fatal(err)
	}
	p := party{stellar: kp.Address(), bitcoin: hex.EncodeToString(key.PubKey().SerializeCompressed()), seed: kp.Seed(), wif: wif.String()}
	p.rails = p.railsWith(t, 0)
	return p
}

// railsWith builds the party's rails configured with finality (0: the
// adapters' defaults).
func (p party) railsWith(t *testing.T, finality time.Duration) Rails {
	t.Helper()
	xlm, err := stellar.New(stellar.Config{HorizonURL: "http://127.0.0.1:1", Passphrase: "Standalone Network ; February 2017", Seed: p.seed, Finality: finality})
	if err != nil {
		t.Fatal(err)
	}
	btc, err := bitcoin.New(bitcoin.Config{RPCHost: "127.0.0.1:1", NoTLS: true, Net: "simnet", Key: p.wif, Finality: finality})
	if err != nil {
		t.Fatal(err)
	}
	return Rails{"stellar": xlm, "bitcoin": btc}
}

func plan(t *testing.T, now time.Time, seller, buyer party) Swap {
	t.Helper()
	s, err := NewPlan(now,
		LegSpec{Rail: "bitcoin", Sender: seller.bitcoin, Recipient: buyer.bitcoin, Amount: "150000", Finality: 30 * time.Second},
		LegSpec{Rail: "stellar", Sender: buyer.stellar, Recipient: seller.stellar, Amount: "250.0000000", Finality: 10 * time.Second},
		time.Minute, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNewPlan(t *testing.T) {
	now := time.Now()
	seller, buyer := newParty(t), newParty(t)
	s := plan(t, now, seller, buyer)
	if got := s.Initiator.Terms.Expiry.Sub(s.Responder.Terms.Expiry); got < s.Plan().Margin() {
		t.Fatalf("initiator expires only %s after the responder; margin %s", got, s.Plan().Margin())
	}
	if _, err := NewPlan(now, LegSpec{Rail: "stellar"}, LegSpec{Rail: "stellar"}, 0, time.Minute); err == nil {
		t.Fatal("a plan with both legs on one rail was accepted")
	}
	self := LegSpec{Rail: "bitcoin", Sender: seller.bitcoin, Recipient: seller.bitcoin, Amount: "1", Finality: time.Second}
	other := LegSpec{Rail: "stellar", Sender: buyer.stellar, Recipient: seller.stellar, Amount: "1", Finality: time.Second}
	if _, err := NewPlan(now, self, other, 0, time.Minute); !errors.Is(err, htlc.ErrInvalidTerms) {
		t.Fatalf("a leg paying its own sender: %v", err)
	}
}

func TestDocumentRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := plan(t, time.Now(), newParty(t), newParty(t))
	path := filepath.Join(dir, "swap.json")
	if err := s.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, legs := range [][2]Leg{{s.Initiator, back.Initiator}, {s.Responder, back.Responder}} {
		if err := legs[0].Terms.Match(legs[1].Terms); err != nil || legs[0].Finality != legs[1].Finality || legs[0].Rail != legs[1].Rail {
			t.Fatalf("round trip changed leg %d: %v", i, err)
		}
	}
	if back.RelayerDelay != s.RelayerDelay {
		t.Fatal("round trip changed the relayer delay")
	}
	back.Version = 9
	if err := back.Save(path); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil {
		t.Fatal("a document of another version was read")
	}
	secret, _ := hashlock.NewSecret()
	sp := filepath.Join(dir, "swap.json.secret")
	if err := SaveSecret(sp, secret); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(sp); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file mode: %v %v", fi.Mode(), err)
	}
	if got, err := LoadSecret(sp); err != nil || got != secret {
		t.Fatalf("secret round trip: %v", err)
	}
}

// TestStepsRefuse covers the refusals that need no rail: wrong keys, wrong
// stage, a plan that is no longer safe. Each leaves the document as it was.
func TestStepsRefuse(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	seller, buyer := newParty(t), newParty(t)
	secret, _ := hashlock.NewSecret()
	cases := []struct {
		name     string
		malleate func(s *Swap)
		step     func(s *Swap) error
		want     error
	}{
		{"the buyer initiates", func(*Swap) {}, func(s *Swap) error { return Initiate(ctx, s, buyer.rails, secret, 0, now) }, ErrWrongParty},
		{"initiate twice", func(s *Swap) { s.Hash = secret.Hash() }, func(s *Swap) error { return Initiate(ctx, s, seller.rails, secret, 0, now) }, ErrWrongStage},
		{"initiate after the responder's window", func(*Swap) {}, func(s *Swap) error { return Initiate(ctx, s, seller.rails, secret, 0, now.Add(time.Hour)) }, htlc.ErrUnsafeTimelocks},
		{"initiate on a shortened margin", func(s *Swap) { s.Initiator.Terms.Expiry = s.Responder.Terms.Expiry.Add(time.Second) },
			func(s *Swap) error { return Initiate(ctx, s, seller.rails, secret, 0, now) }, htlc.ErrUnsafeTimelocks},
		{"the plan's finalities are below this party's own", func(s *Swap) { s.Initiator.Finality, s.Responder.Finality = 0, 0 },
			func(s *Swap) error { return Initiate(ctx, s, seller.railsWith(t, time.Hour), secret, 0, now) }, htlc.ErrUnsafeTimelocks},
		{"the plan's relayer delay is below this party's own", func(*Swap) {},
			func(s *Swap) error { return Initiate(ctx, s, seller.rails, secret, time.Hour, now) }, htlc.ErrUnsafeTimelocks},
		{"participate before initiate", func(*Swap) {}, func(s *Swap) error { return Participate(ctx, s, buyer.rails, 0, now) }, ErrWrongStage},
		{"the seller participates", func(s *Swap) { s.Hash = secret.Hash(); s.Initiator.Contract = &htlc.Contract{Rail: "bitcoin"} },
			func(s *Swap) error { return Participate(ctx, s, seller.rails, 0, now) }, ErrWrongParty},
		{"a stranger claims", func(*Swap) {}, func(s *Swap) error { _, err := Claim(ctx, s, newParty(t).rails, &secret); return err }, ErrWrongParty},
		{"claim before the leg is locked", func(*Swap) {}, func(s *Swap) error { _, err := Claim(ctx, s, buyer.rails, &secret); return err }, ErrWrongStage},
		{"refund with nothing locked", func(*Swap) {}, func(s *Swap) error { _, err := Refund(ctx, s, seller.rails); return err }, ErrWrongParty},
		{"watch before the leg is locked", func(*Swap) {}, func(s *Swap) error { _, err := Watch(ctx, s, seller.rails, time.Millisecond); return err }, ErrWrongStage},
		{"no rail configured", func(*Swap) {}, func(s *Swap) error { return Initiate(ctx, s, Rails{}, secret, 0, now) }, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := plan(t, now, seller, buyer)
			tc.malleate(&s)
			before := s
			err := tc.step(&s)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if s.Hash != before.Hash || s.Initiator.Contract != before.Initiator.Contract || s.Responder.Contract != before.Responder.Contract {
				t.Fatal("a refused step changed the document")
			}
		})
	}
}
