package client

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
)

// failBackAfter: while on a backup RPC endpoint, the primary is tried
// again first this long after the last try.
const failBackAfter = 30 * time.Second

// failover sends each RPC request to the endpoint that answered last, and
// to the next ones in configured order if it does not answer (no
// connection, or an HTTP 5xx); while on a backup it tries the primary
// first again every failBack, so it fails back once the primary is up.
// A JSON-RPC error is an answer: it does not fail over.
type failover struct {
	endpoints []*url.URL
	base      http.RoundTripper
	log       *slog.Logger
	failBack  time.Duration

	mu          sync.Mutex
	active      int
	primaryTry  time.Time
	switchCount int
}

// order is the endpoints to try, in order, for a request at now.
func (f *failover) order(now time.Time) []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	start := f.active
	if start != 0 && now.Sub(f.primaryTry) >= f.failBack {
		f.primaryTry, start = now, 0
	}
	out := make([]int, len(f.endpoints))
	for i := range out {
		out[i] = (start + i) % len(f.endpoints)
	}
	return out
}

// use makes endpoint i the active one.
func (f *failover) use(i int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.active == i {
		return
	}
	from := f.endpoints[f.active].Host
	f.active, f.primaryTry = i, time.Now()
	f.switchCount++
	if i == 0 {
		f.log.Info("rpc: back on the primary endpoint", "rpc", f.endpoints[0].Host, "from", from)
		return
	}
	f.log.Warn("rpc: endpoint not answering; failed over", "from", from, "to", f.endpoints[i].Host)
}

// RoundTrip implements http.RoundTripper.
func (f *failover) RoundTrip(req *http.Request) (*http.Response, error) {
	order := f.order(time.Now())
	var lastErr error
	for n, i := range order {
		r, err := f.to(req, i)
		if err != nil {
			return nil, err
		}
		resp, err := f.base.RoundTrip(r)
		if err == nil && resp.StatusCode < http.StatusInternalServerError {
			f.use(i)
			return resp, nil
		}
		if n == len(order)-1 {
			return resp, err
		}
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			err = fmt.Errorf("%s answered %s", f.endpoints[i].Host, resp.Status)
		}
		lastErr = err
		if req.Context().Err() != nil {
			return nil, lastErr
		}
	}
	return nil, lastErr
}

// to is req sent to endpoint i, with a fresh copy of its body.
func (f *failover) to(req *http.Request, i int) (*http.Request, error) {
	r := req.Clone(req.Context())
	e := f.endpoints[i]
	r.URL.Scheme, r.URL.Host, r.Host = e.Scheme, e.Host, ""
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = body
	}
	return r, nil
}

// httpEndpoint parses an RPC address; tcp:// is plain HTTP.
func httpEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme == "tcp" {
		u.Scheme = "http"
	}
	return u, nil
}

// NewRPC is an RPC client of cfg's chain with timeout seconds per call,
// failing over to cfg.BackupRPCs (and back) when the endpoint in use does
// not answer. The websocket, if used, is the primary's.
func NewRPC(cfg Config, timeoutSeconds uint, log *slog.Logger) (*rpchttp.HTTP, error) {
	return newRPC(cfg, timeoutSeconds, log, failBackAfter)
}

func newRPC(cfg Config, timeoutSeconds uint, log *slog.Logger, failBack time.Duration) (*rpchttp.HTTP, error) {
	if len(cfg.BackupRPCs) == 0 {
		return rpchttp.NewWithTimeout(cfg.RPC, "/websocket", timeoutSeconds)
	}
	// Not jsonrpcclient's default client: its transport dials the primary
	// whatever address a request names.
	hc := &http.Client{}
	f := &failover{base: http.DefaultTransport.(*http.Transport).Clone(), log: log.With("chain", cfg.ID), failBack: failBack}
	for _, raw := range append([]string{cfg.RPC}, cfg.BackupRPCs...) {
		u, err := httpEndpoint(raw)
		if err != nil {
			return nil, fmt.Errorf("rpc %q: %w", raw, err)
		}
		f.endpoints = append(f.endpoints, u)
	}
	hc.Transport = f
	hc.Timeout = time.Duration(timeoutSeconds) * time.Second
	return rpchttp.NewWithClient(cfg.RPC, "/websocket", hc)
}
