package bitcoin

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcutil"
	"github.com/btcsuite/btcd/chaincfg"
	"github.com/btcsuite/btcd/chaincfg/chainhash"
	"github.com/btcsuite/btcd/wire"

	"github.com/vinhub/vinhub/adapters/htlc"
)

// rpcProxy stands between a rail and btcd's RPC port, both on 127.0.0.1,
// to play the node's troubles: refusing connections (a restart),
// answering 503 (a node up but failing), or losing its reply to one
// sendrawtransaction that btcd took.
type rpcProxy struct {
	addr     string
	forward  *httputil.ReverseProxy
	failing  atomic.Bool
	dropSend atomic.Bool
	mu       sync.Mutex
	srv      *http.Server
}

func newRPCProxy(t *testing.T, nodeAddr string) *rpcProxy {
	p := &rpcProxy{forward: httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: nodeAddr})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(func() { p.refuse() })
	return p
}

func (p *rpcProxy) serve(ln net.Listener) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = p.srv.Serve(ln) }()
}

// refuse closes the port: connections are refused, as while btcd restarts.
func (p *rpcProxy) refuse() {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.srv.Close()
}

// reopen listens on the same port again.
func (p *rpcProxy) reopen(t *testing.T) {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatalf("reopen %s: %v", p.addr, err)
	}
	p.serve(ln)
}

func (p *rpcProxy) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if p.failing.Load() {
		http.Error(w, "node restarting", http.StatusServiceUnavailable)
		return
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	if !bytes.Contains(body, []byte(`"sendrawtransaction"`)) || !p.dropSend.CompareAndSwap(true, false) {
		p.forward.ServeHTTP(w, req)
		return
	}
	// btcd gets the transaction; its reply is lost on the way back.
	p.forward.ServeHTTP(httptest.NewRecorder(), req)
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		_ = conn.Close()
	}
}

// proxiedRail is a rail with key whose node calls go through p.
func (s *simnet) proxiedRail(t *testing.T, p *rpcProxy, key string) *Rail {
	r, err := New(Config{
		RPCHost: p.addr, RPCUser: s.node.RPCUser, RPCPass: s.node.RPCPass, NoTLS: true,
		Net: "simnet", Key: key, FeeRate: 2, Confirmations: 1,
		Finality: time.Second, PollInterval: 100 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

func wifOf(t *testing.T, r *Rail) string {
	w, err := btcutil.NewWIF(r.key, &chaincfg.SimNetParams, true)
	if err != nil {
		t.Fatal(err)
	}
	return w.String()
}

// testOutage: a watch rides out a node that fails and then refuses
// connections, and reads the claim made once it is back; a lock whose
// broadcast reply is lost still returns its contract, confirmed.
func (s *simnet) testOutage(t *testing.T) {
	p := newRPCProxy(t, s.node.RPCAddr)
	alice := s.proxiedRail(t, p, wifOf(t, s.alice))

	p.dropSend.Store(true)
	secret := newSecret(t)
	c, err := alice.Lock(testCtx(t), s.terms(t, secret.Hash(), 100_000, 10*time.Minute))
	if err != nil || p.dropSend.Load() {
		t.Fatalf("Lock with its broadcast reply lost: %v (reply dropped: %v)", err, !p.dropSend.Load())
	}
	wantState(t, s.bob, c, htlc.StateLocked)

	watched := watchInBackground(t, alice, c)
	p.failing.Store(true)
	time.Sleep(5 * alice.poll)
	p.refuse()
	time.Sleep(5 * alice.poll)
	select {
	case w := <-watched:
		t.Fatalf("WatchSecret ended while the node was down: %v", w.err)
	default:
	}
	p.failing.Store(false)
	p.reopen(t)
	if _, err := s.bob.Claim(testCtx(t), c, secret); err != nil {
		t.Fatalf("Claim: %v", err)
	}
	wantSecret(t, watched, secret)
}

// testWaits: a lock whose wait for confirmations ends returns its whole
// contract; a transaction the node does not know is sent again; a refused
// one and a contract output that does not exist end a wait at once, a
// funding transaction never seen does not.
func (s *simnet) testWaits(t *testing.T) {
	slow := s.rail(t, s.aliceKey)
	slow.confs = 1_000_000
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	terms := s.terms(t, newSecret(t).Hash(), 100_000, 10*time.Minute)
	c, err := slow.Lock(ctx, terms)
	wantErr(t, "Lock without its confirmations", err, context.DeadlineExceeded)
	if c.Rail != Name || c.Ref == "" || c.Terms != terms || c.Data["script"] == "" || c.Data["address"] == "" {
		t.Fatalf("Lock returned %+v with its error, want the whole contract", c)
	}
	if _, err := s.bob.Status(testCtx(t), c); err != nil {
		t.Fatalf("Status of the contract returned with the error: %v", err)
	}

	coins, err := s.alice.unspent(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(coins, func(a, b utxo) int { return cmp.Compare(b.value, a.value) })
	pay := p2wpkhScript(s.bob.pub)
	tx, err := s.alice.fundingTx(coins[:1], wire.NewTxOut(50_000, pay))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.alice.waitConfirmed(testCtx(t), tx); err != nil {
		t.Fatalf("waitConfirmed of a transaction the node never had: %v", err)
	}
	double, err := s.alice.fundingTx(coins[:1], wire.NewTxOut(60_000, pay))
	if err != nil {
		t.Fatal(err)
	}
	err = s.alice.waitConfirmed(testCtx(t), double)
	if !isRefusal(err) {
		t.Fatalf("waitConfirmed of a double spend: %v, want the node's refusal", err)
	}

	noOutput := htlc.Contract{Rail: Name, Ref: coins[0].out.Hash.String() + ":7", Terms: terms}
	_, err = s.bob.WatchSecret(testCtx(t), noOutput)
	wantErr(t, "watch an output that never existed", err, htlc.ErrNotFound)
	notContract := noOutput
	notContract.Ref = coins[0].out.String()
	_, err = s.bob.WatchSecret(testCtx(t), notContract)
	wantErr(t, "watch an output that is not the contract", err, htlc.ErrTermsMismatch)
	unseen := noOutput
	unseen.Ref = chainhash.DoubleHashH([]byte("never broadcast")).String() + ":0"
	ctx, cancel = context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err = s.bob.WatchSecret(ctx, unseen)
	wantErr(t, "watch a funding transaction not seen yet", err, context.DeadlineExceeded)
	if !strings.Contains(err.Error(), "not known") {
		t.Fatalf("watch error lacks the node's answer: %v", err)
	}
}

// TestDeadNode: with nothing listening, rpcclient would retry each call
// for about 20 seconds; every wait still ends with its context.
func TestDeadNode(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	wif, err := btcutil.NewWIF(newKey(t), &chaincfg.SimNetParams, true)
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Config{RPCHost: addr, RPCUser: "u", RPCPass: "p", NoTLS: true, Net: "simnet", Key: wif.String(), PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	s := newSecret(t)
	terms := htlc.Terms{Hash: s.Hash(), Sender: r.Account(), Recipient: pubHex(newKey(t).PubKey()), Amount: "100000", Expiry: time.Now().Add(time.Hour)}
	c := htlc.Contract{Rail: Name, Ref: "0000000000000000000000000000000000000000000000000000000000000001:0", Terms: terms}
	calls := map[string]func(context.Context) error{
		"Status":      func(ctx context.Context) error { _, err := r.Status(ctx, c); return err },
		"WatchSecret": func(ctx context.Context) error { _, err := r.WatchSecret(ctx, c); return err },
		"Lock":        func(ctx context.Context) error { _, err := r.Lock(ctx, terms); return err },
		"Claim":       func(ctx context.Context) error { _, err := r.Claim(ctx, c, s); return err },
		"Refund":      func(ctx context.Context) error { _, err := r.Refund(ctx, c); return err },
	}
	for name, run := range calls {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			start := time.Now()
			err := run(ctx)
			if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
				t.Fatalf("%s against a dead node: %v after %s, want the context's deadline", name, err, time.Since(start).Round(time.Millisecond))
			}
		})
	}
}
