package relayer

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/vinhub/vinhub/monitor"
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
	Skipped      *prometheus.CounterVec
	FeedHeight   *prometheus.GaugeVec
	// OldestPending is the age of the oldest packet (recv) or ack waiting.
	OldestPending *prometheus.GaugeVec
	// WalletBalance and WalletLow watch the relayer's fee balance per chain.
	WalletBalance *prometheus.GaugeVec
	WalletLow     *prometheus.GaugeVec
	// Misbehaviour counts conflicting client updates found, by outcome of
	// submitting the evidence; Halted is 1 for a path stopped for good.
	Misbehaviour *prometheus.CounterVec
	Halted       *prometheus.GaugeVec

	// progressMu guards lastProgress: per chain, when its feed last
	// processed a block. halted is set when a path stopped for good.
	progressMu   sync.Mutex
	lastProgress map[string]time.Time
	halted       atomic.Value
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
		Skipped: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "vinrelay_packets_skipped_total",
			Help: "Packets not relayed, by path, sending chain and reason (port_not_allowed: a port not on the path's allow_ports)."}, []string{"path", "chain", "reason"}),
		FeedHeight: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "vinrelay_feed_height",
			Help: "Last block processed by each chain's event feed."}, []string{"chain"}),
		OldestPending: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "vinrelay_oldest_pending_seconds",
			Help: "Age of the oldest packet waiting, by path, destination chain and kind (recv, ack); 0 when none."}, []string{"path", "chain", "kind"}),
		WalletBalance: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "vinrelay_wallet_balance",
			Help: "The relayer account's balance of the fee denom, by chain."}, []string{"chain", "denom"}),
		WalletLow: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "vinrelay_wallet_low",
			Help: "1 when the relayer account's balance is below the chain's min_balance."}, []string{"chain"}),
		Misbehaviour: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "vinrelay_misbehaviour_total",
			Help: "Client updates found conflicting with the tracked chain's own header, by path, host chain and outcome (submitted: the client is frozen; submit_failed; no_evidence: the forged header was not found)."}, []string{"path", "chain", "outcome"}),
		Halted: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "vinrelay_path_halted",
			Help: "1 when a path stopped relaying for good (misbehaviour)."}, []string{"path"}),
		lastProgress: map[string]time.Time{},
	}
	m.Registry.MustRegister(m.Relayed, m.Backlog, m.TxLatency, m.Errors, m.ClientExpiry, m.Redundant, m.Skipped, m.FeedHeight,
		m.OldestPending, m.WalletBalance, m.WalletLow, m.Misbehaviour, m.Halted,
		prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	return m
}

// observeBalance sets chain's wallet gauges from bal and warns when it is
// below minBalance (a coin of the same denom; empty: no alert). It
// reports whether the wallet is low.
func (m *Metrics) observeBalance(log *slog.Logger, chain string, bal sdk.Coin, minBalance string) bool {
	m.WalletBalance.WithLabelValues(chain, bal.Denom).Set(bal.Amount.ToLegacyDec().MustFloat64())
	floor, err := sdk.ParseCoinNormalized(minBalance)
	low := err == nil && floor.Denom == bal.Denom && bal.Amount.LT(floor.Amount)
	if !low {
		m.WalletLow.WithLabelValues(chain).Set(0)
		return false
	}
	m.WalletLow.WithLabelValues(chain).Set(1)
	log.Warn("relayer wallet balance low: top it up before relay txs fail for fees", "balance", bal, "min_balance", minBalance)
	return true
}

// progress records that chain's feed processed a block (or started).
func (m *Metrics) progress(chain string) {
	m.progressMu.Lock()
	m.lastProgress[chain] = time.Now()
	m.progressMu.Unlock()
}

// halt marks the relayer unhealthy for good (e.g. misbehaviour detected).
func (m *Metrics) halt(reason string) { m.halted.Store(reason) }

// Unhealthy explains why /healthz fails: a path halted, or a chain's feed
// processed no block for longer than stale. "" means healthy.
func (m *Metrics) Unhealthy(stale time.Duration) string {
	if reason, _ := m.halted.Load().(string); reason != "" {
		return "halted: " + reason
	}
	m.progressMu.Lock()
	defer m.progressMu.Unlock()
	var late []string
	for chain, at := range m.lastProgress {
		if time.Since(at) > stale {
			late = append(late, fmt.Sprintf("%s (no block processed since %s)", chain, at.UTC().Format(time.RFC3339)))
		}
	}
	slices.Sort(late)
	return strings.Join(late, "; ")
}

// Serve exposes /metrics and /healthz on addr until ctx ends. /healthz
// fails when a chain's feed has processed no block for stale, or a path
// halted. The server stopping on its own counts as a metrics_server error.
func (m *Metrics) Serve(ctx context.Context, addr string, stale time.Duration) (net.Addr, error) {
	return monitor.Serve(ctx, addr, m.Registry, func() string { return m.Unhealthy(stale) },
		func(error) { m.Errors.WithLabelValues("", "metrics_server").Inc() })
}
