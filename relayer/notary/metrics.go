package notary

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vinhub/vinhub/monitor"
)

// Metrics of a notary, per source.
type Metrics struct {
	reg *prometheus.Registry
	// Observed counts final events read from a source; Signed those this
	// notary posted; Skipped those already decided or signed, or invalid.
	Observed, Signed *prometheus.CounterVec
	Skipped, Errors  *prometheus.CounterVec
	// Height is the highest source height (ledger sequence) handled.
	Height *prometheus.GaugeVec

	mu       sync.Mutex
	lastPoll map[string]time.Time
}

// NewMetrics registers the notary's metrics.
func NewMetrics() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), lastPoll: map[string]time.Time{}}
	m.Observed = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "vinrelay_notary_observed_total", Help: "Final events read from a source."}, []string{"source"})
	m.Signed = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "vinrelay_notary_signed_total", Help: "Observations this notary signed and posted."}, []string{"source"})
	m.Skipped = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "vinrelay_notary_skipped_total", Help: "Observations not signed, by reason."}, []string{"source", "reason"})
	m.Errors = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "vinrelay_notary_errors_total", Help: "Failed polls or submissions."}, []string{"source"})
	m.Height = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "vinrelay_notary_source_height", Help: "Highest source height handled."}, []string{"source"})
	m.reg.MustRegister(m.Observed, m.Signed, m.Skipped, m.Errors, m.Height)
	return m
}

func (m *Metrics) polled(source string) {
	m.mu.Lock()
	m.lastPoll[source] = time.Now()
	m.mu.Unlock()
}

// Unhealthy names a source not polled successfully within maxAge, or "".
func (m *Metrics) Unhealthy(sources []string, maxAge time.Duration) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range sources {
		if time.Since(m.lastPoll[s]) > maxAge {
			return fmt.Sprintf("source %s not polled for %s", s, maxAge)
		}
	}
	return ""
}

// Serve serves /metrics and /healthz on addr until ctx ends.
func (m *Metrics) Serve(ctx context.Context, addr string, sources []string, maxAge time.Duration) (net.Addr, error) {
	return monitor.Serve(ctx, addr, m.reg, func() string { return m.Unhealthy(sources, maxAge) }, nil)
}
