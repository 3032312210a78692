package indexer

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vinhub/vinhub/monitor"
)

// Metrics are vinindex's Prometheus series.
type Metrics struct {
	Registry *prometheus.Registry
	// Indexed is the last height applied; Chain the hub's latest height
	// seen; Lag the difference, in blocks.
	Indexed, Chain, Lag prometheus.Gauge
	Blocks              prometheus.Counter
	Rows                *prometheus.CounterVec
	Errors              *prometheus.CounterVec

	mu           sync.Mutex
	lastProgress time.Time
}

// NewMetrics registers every series on a fresh registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Indexed:  prometheus.NewGauge(prometheus.GaugeOpts{Name: "vinindex_indexed_height", Help: "Last hub height applied to the warehouse."}),
		Chain:    prometheus.NewGauge(prometheus.GaugeOpts{Name: "vinindex_chain_height", Help: "Latest hub height seen."}),
		Lag:      prometheus.NewGauge(prometheus.GaugeOpts{Name: "vinindex_lag_blocks", Help: "Blocks committed on the hub and not yet in the warehouse."}),
		Blocks:   prometheus.NewCounter(prometheus.CounterOpts{Name: "vinindex_blocks_indexed_total", Help: "Blocks applied."}),
		Rows: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "vinindex_rows_written_total",
			Help: "Rows written, by table."}, []string{"table"}),
		Errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "vinindex_errors_total",
			Help: "Failures retried, by what failed (hub, database)."}, []string{"kind"}),
	}
	m.Registry.MustRegister(m.Indexed, m.Chain, m.Lag, m.Blocks, m.Rows, m.Errors,
		prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	return m
}

func (m *Metrics) applied(rows []Row) {
	m.Blocks.Inc()
	for _, r := range rows {
		m.Rows.WithLabelValues(r.Table).Inc()
	}
}

// observe sets the indexed and latest heights and the lag between them.
func (m *Metrics) observe(indexed, latest int64) {
	m.Indexed.Set(float64(indexed))
	m.Chain.Set(float64(latest))
	m.Lag.Set(float64(max(latest-indexed, 0)))
}

// progressed notes a successful step: a block applied, or the hub polled
// with nothing left to apply.
func (m *Metrics) progressed() {
	m.mu.Lock()
	m.lastProgress = time.Now()
	m.mu.Unlock()
}

// Unhealthy explains why /healthz fails: no successful step (a block
// applied, or the hub found with nothing new) for longer than stale. ""
// means healthy.
func (m *Metrics) Unhealthy(stale time.Duration) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if since := time.Since(m.lastProgress); since > stale {
		return fmt.Sprintf("no block applied and no successful poll for %s", since.Round(time.Second))
	}
	return ""
}

// Serve serves /metrics and /healthz on addr until ctx ends.
func (m *Metrics) Serve(ctx context.Context, addr string, stale time.Duration) (net.Addr, error) {
	return monitor.Serve(ctx, addr, m.Registry, func() string { return m.Unhealthy(stale) }, nil)
}
