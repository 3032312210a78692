package stellar

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// proxy serves the simulator's Horizon through 127.0.0.1, answering a
// request with fault(request) when that is not nil: what an overloaded
// Horizon or the load balancer in front of it does.
func (n *net) proxy(t *testing.T, fault func(*http.Request) http.HandlerFunc) string {
	t.Helper()
	target, err := url.Parse(n.url)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f := fault(r); f != nil {
			f(w, r)
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// via is r's party speaking to Horizon at url, giving up on a request
// after 200ms.
func via(t *testing.T, r *Rail, url string) *Rail {
	t.Helper()
	cfg := r.cfg
	cfg.HorizonURL, cfg.HTTPTimeout = url, 200*time.Millisecond
	v, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func problem(status int) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"type":"https://stellar.org/horizon-errors/x","title":%q,"status":%d}`, http.StatusText(status), status)
	}
}

// transientFaults are answers that say nothing about the escrow.
var transientFaults = []http.HandlerFunc{
	problem(http.StatusServiceUnavailable),
	problem(http.StatusTooManyRequests),
	func(w http.ResponseWriter, _ *http.Request) { // a load balancer's page
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, "<html><body>502 Bad Gateway</body></html>")
	},
	func(w http.ResponseWriter, _ *http.Request) { // the connection drops
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	},
	func(w http.ResponseWriter, r *http.Request) { // slower than the client waits
		select {
		case <-r.Context().Done():
		case <-time.After(time.Second):
		}
	},
}

// firstGETsFail answers the first GETs with each transient fault in turn
// and counts them.
func firstGETsFail(served *atomic.Int32) func(*http.Request) http.HandlerFunc {
	return func(r *http.Request) http.HandlerFunc {
		if r.Method != http.MethodGet {
			return nil
		}
		if i := int(served.Add(1)) - 1; i < len(transientFaults) {
			return transientFaults[i]
		}
		return nil
	}
}

// TestTransientHorizonErrors: Status and WatchSecret ask again through
// timeouts, dropped connections, 5xx and 429 until Horizon answers.
func TestTransientHorizonErrors(t *testing.T) {
	n := startNet(t)
	leg := n.lock(t, "10.0000000", 10*time.Minute)

	var served atomic.Int32
	seller := via(t, leg.seller, n.proxy(t, firstGETsFail(&served)))
	st, err := seller.Status(n.ctx, leg.contract)
	if err != nil || st.State != htlc.StateLocked || leg.terms.Match(st.Terms) != nil {
		t.Fatalf("status through the faults: %v %+v", err, st)
	}
	if int(served.Load()) <= len(transientFaults) {
		t.Fatalf("only %d requests: the faults were not all met", served.Load())
	}

	served.Store(0)
	buyer := via(t, leg.buyer, n.proxy(t, firstGETsFail(&served)))
	watched := make(chan error, 1)
	var revealed hashlock.Secret
	go func() {
		var werr error
		revealed, werr = buyer.WatchSecret(n.ctx, leg.contract)
		watched <- werr
	}()
	if _, err := leg.seller.Claim(n.ctx, leg.contract, leg.secret); err != nil {
		t.Fatal(err)
	}
	if err := <-watched; err != nil || revealed != leg.secret {
		t.Fatalf("watch through the faults: %v, secret %s", err, revealed)
	}
}

// TestDefiniteHorizonAnswers: a 4xx answer is final, so Status and
// WatchSecret return it at once; with only transient errors they give up
// when the context ends, saying what the last one was.
func TestDefiniteHorizonAnswers(t *testing.T) {
	n := startNet(t)
	leg := n.lock(t, "10.0000000", 10*time.Minute)
	status := func(r *Rail, ctx context.Context) error { _, err := r.Status(ctx, leg.contract); return err }
	watch := func(r *Rail, ctx context.Context) error { _, err := r.WatchSecret(ctx, leg.contract); return err }
	always := func(f http.HandlerFunc) func(*http.Request) http.HandlerFunc {
		return func(r *http.Request) http.HandlerFunc {
			if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/transactions") {
				return f
			}
			return nil
		}
	}
	cases := []struct {
		name     string
		status   int
		ask      func(*Rail, context.Context) error
		deadline bool
	}{
		{"status, 400", http.StatusBadRequest, status, false},
		{"watch, 400", http.StatusBadRequest, watch, false},
		{"watch, 404", http.StatusNotFound, watch, false},
		{"status, 503 until the deadline", http.StatusServiceUnavailable, status, true},
		{"watch, 503 until the deadline", http.StatusServiceUnavailable, watch, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := via(t, leg.buyer, n.proxy(t, always(problem(tc.status))))
			ctx, cancel := context.WithTimeout(n.ctx, 300*time.Millisecond)
			defer cancel()
			err := tc.ask(r, ctx)
			if err == nil {
				t.Fatal("no error")
			}
			if errors.Is(err, context.DeadlineExceeded) != tc.deadline {
				t.Fatalf("%v; want the deadline: %v", err, tc.deadline)
			}
			if want := http.StatusText(tc.status); !strings.Contains(err.Error(), want) {
				t.Fatalf("%v does not say what Horizon answered (%s)", err, want)
			}
		})
	}
}
