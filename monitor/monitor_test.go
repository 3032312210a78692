package monitor

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
)

// get returns the status and body of path at addr.
func get(t *testing.T, addr net.Addr, path string) (int, string) {
	t.Helper()
	code, body, err := Get(addr.String(), path)
	require.NoError(t, err)
	return code, body
}

// TestServe: /metrics shows the registry's series; /healthz answers 200
// "ok" while healthy and 503 with the explanation otherwise; the server
// stops when ctx ends without that counting as a failure; an address in
// use is refused, naming it.
func TestServe(t *testing.T) {
	reg := prometheus.NewRegistry()
	steps := prometheus.NewCounter(prometheus.CounterOpts{Name: "monitor_test_steps_total", Help: "Steps."})
	reg.MustRegister(steps)
	steps.Add(3)
	var why atomic.Value // the handler reads it while the test sets it
	why.Store("")
	failed := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	addr, err := Serve(ctx, "127.0.0.1:0", reg, func() string { return why.Load().(string) }, func(err error) { failed <- err })
	require.NoError(t, err)

	code, body := get(t, addr, "/metrics")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "monitor_test_steps_total 3\n")
	code, body = get(t, addr, "/healthz")
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "ok\n", body)
	why.Store("feed stalled")
	code, body = get(t, addr, "/healthz")
	require.Equal(t, http.StatusServiceUnavailable, code)
	require.Equal(t, "feed stalled\n", body)

	_, err = Serve(ctx, addr.String(), reg, func() string { return "" }, nil)
	require.ErrorContains(t, err, "metrics on "+addr.String())

	cancel()
	require.Eventually(t, func() bool {
		_, err := http.Get("http://" + addr.String() + "/healthz")
		return err != nil
	}, 5*time.Second, 10*time.Millisecond, "server still answers after ctx ended")
	select {
	case err := <-failed:
		t.Fatalf("stopping with ctx reported as a failure: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
}

// TestServeFailed: a server that stops on its own (its listener gone)
// reports why to failed.
func TestServeFailed(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	failed := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	serve(ctx, l, prometheus.NewRegistry(), func() string { return "" }, func(err error) { failed <- err })
	require.NoError(t, l.Close())
	select {
	case err := <-failed:
		require.ErrorIs(t, err, net.ErrClosed)
	case <-time.After(5 * time.Second):
		t.Fatal("the server stopped without reporting it")
	}
}
