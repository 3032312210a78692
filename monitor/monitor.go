// Package monitor serves a process's Prometheus metrics and its health
// check over HTTP, the same way for every off-chain process (vinrelay,
// its notary, vinindex).
package monitor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Serve serves /metrics from reg and /healthz on addr until ctx ends.
// /healthz answers 503 with unhealthy's explanation when it is not "".
// failed, if not nil, hears why the server stopped when it stops on its
// own before ctx ends (the process goes on without its metrics).
func Serve(ctx context.Context, addr string, reg *prometheus.Registry, unhealthy func() string, failed func(error)) (net.Addr, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics on %s: %w", addr, err)
	}
	serve(ctx, l, reg, unhealthy, failed)
	return l.Addr(), nil
}

// serve is Serve on a listener already bound.
func serve(ctx context.Context, l net.Listener, reg *prometheus.Registry, unhealthy func() string, failed func(error)) {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		if why := unhealthy(); why != "" {
			http.Error(w, why, http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(l); !errors.Is(err, http.ErrServerClosed) && failed != nil {
			failed(err)
		}
	}()
	go func() { <-ctx.Done(); _ = srv.Close() }()
}

// Get asks the server at addr (host:port) for path, /metrics or /healthz,
// and returns the status code and body: how harnesses and tests read a
// process's metrics and health.
func Get(addr, path string) (int, string, error) {
	resp, err := http.Get("http://" + addr + path)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	bz, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(bz), err
}
