package relayer

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are vinrelay's Prometheus series.
type Metrics struct {
	Registry     *prometheus.Registry
	Relayed      *prometheus.CounterVec
	Backlog      *prometheus.GaugeVec
	TxLatency    *prometheus.HistogramVec
	Errors       *prometheus.CounterVec
	ClientExpiry *prometheus.GaugeVec
	Redundant    *prometheus.CounterVec
	FeedHeight   *prometheus.GaugeVec

	// lastProgress is the unix time of the last processed block on any feed.
	lastProgress atomic.Int64
}

// NewMetrics registers every series on a fresh registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Relayed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "vinrelay_packets_relayed_total",
			Help: "Messages delivered, by path, destination chain and kind (recv, ack, timeout)."}, []string{"path", "chain", "kind"}),
		Backlog: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "vinrelay_backlog",
			Help: "Packets waiting, by path, destination chain and kind."}, []string{"path", "chain", "kind"}),
		TxLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "vinrelay_tx_latency_seconds",
			Help: "Broadcast to commit of relay transactions.", Buckets: prometheus.ExponentialBuckets(0.25, 2, 8)}, []string{"chain"}),
		Errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "vinrelay_errors_total",
			Help: "Errors by chain and kind."}, []string{"chain", "kind"}),
		ClientExpiry: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "vinrelay_client_expiry_seconds",
			Help: "Seconds until a light client expires without an update."}, []string{"chain", "client"}),
		Redundant: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "vinrelay_redundant_skipped_total",
			Help: "Messages not sent because the counterparty already had them."}, []string{"path", "chain"}),
		FeedHeight: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "vinrelay_feed_height",
			Help: "Last block processed by each chain's event feed."}, []string{"chain"}),
	}
	m.Registry.MustRegister(m.Relayed, m.Backlog, m.TxLatency, m.Errors, m.ClientExpiry, m.Redundant, m.FeedHeight,
		prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	return m
}

// progress records that a feed processed a block.
func (m *Metrics) progress() { m.lastProgress.Store(time.Now().Unix()) }

// Serve exposes /metrics and /healthz on addr until ctx ends. /healthz
// fails when no feed has processed a block for stale.
func (m *Metrics) Serve(ctx context.Context, addr string, stale time.Duration) (net.Addr, error) {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		last := time.Unix(m.lastProgress.Load(), 0)
		if time.Since(last) > stale {
			http.Error(w, "no block processed since "+last.UTC().Format(time.RFC3339), http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Errors.WithLabelValues("", "metrics_server").Inc()
		}
	}()
	return ln.Addr(), nil
}
