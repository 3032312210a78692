package relayer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	ctypes "github.com/cometbft/cometbft/rpc/core/types"

	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
)

// Relayer runs every linked path of a configuration.
type Relayer struct {
	cfg    Config
	log    *slog.Logger
	m      *Metrics
	chains map[string]*Chain
	paths  []*PathRelayer
}

// Connect opens every chain the given paths use (all paths if none named),
// checks each RPC answers with the right chain id, and prepares the paths.
func Connect(ctx context.Context, cfg Config, kr keyring.Keyring, cdc *codec.ProtoCodec, log *slog.Logger, pathNames ...string) (*Relayer, error) {
	r := &Relayer{cfg: cfg, log: log, m: NewMetrics(), chains: map[string]*Chain{}}
	paths := cfg.Paths
	if len(pathNames) > 0 {
		paths = nil
		for _, n := range pathNames {
			p, err := cfg.Path(n)
			if err != nil {
				return nil, err
			}
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 {
		return nil, errors.New("no paths configured: add one with `vinrelay paths add` and link it")
	}
	for _, p := range paths {
		a, err := r.chain(ctx, p.A.Chain, kr, cdc)
		if err != nil {
			return nil, err
		}
		b, err := r.chain(ctx, p.B.Chain, kr, cdc)
		if err != nil {
			return nil, err
		}
		pr, err := NewPathRelayer(p, cfg.Global, a, b, log)
		if err != nil {
			return nil, err
		}
		r.paths = append(r.paths, pr)
	}
	return r, nil
}

func (r *Relayer) chain(ctx context.Context, id string, kr keyring.Keyring, cdc *codec.ProtoCodec) (*Chain, error) {
	if c := r.chains[id]; c != nil {
		return c, nil
	}
	cfg, err := r.cfg.Chain(id)
	if err != nil {
		return nil, err
	}
	c, _, err := OpenChain(ctx, cfg, kr, cdc, r.log, r.m)
	if err != nil {
		return nil, err
	}
	r.chains[id] = c
	return c, nil
}

// OpenChain connects to a configured chain with its key and checks, within
// 5 seconds, that its RPC answers with the configured chain id.
func OpenChain(ctx context.Context, cfg ChainConfig, kr keyring.Keyring, cdc *codec.ProtoCodec, log *slog.Logger, m *Metrics) (*Chain, *ctypes.ResultStatus, error) {
	c, err := NewChain(cfg, kr, cdc, log, m)
	if err != nil {
		return nil, nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	st, err := c.Ping(pctx)
	if err != nil {
		return nil, nil, err
	}
	return c, st, nil
}

// Metrics of this relayer.
func (r *Relayer) Metrics() *Metrics { return r.m }

// Paths being relayed.
func (r *Relayer) Paths() []*PathRelayer { return r.paths }

// Run relays until ctx ends: one event feed per chain, a clearing pass at
// start and every clear_interval (or at once after a feed gap), and two
// workers per path.
func (r *Relayer) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	from := map[string]int64{}
	for id, c := range r.chains {
		h, _, err := c.Latest(ctx)
		if err != nil {
			return err
		}
		from[id] = h
	}
	if addr := r.cfg.Global.MetricsAddr; addr != "" {
		bound, err := r.m.Serve(ctx, addr, 3*r.cfg.Global.WatchdogTimeout.Duration)
		if err != nil {
			return err
		}
		r.log.Info("serving /metrics and /healthz", "addr", bound.String())
	}
	clearNow := make(chan struct{}, 1)
	onGap := func() {
		select {
		case clearNow <- struct{}{}:
		default:
		}
	}
	for id, c := range r.chains {
		wg.Go(func() { _ = NewFeed(c, r.cfg.Global, func() { r.revive(id) }).Run(ctx, from[id], r.deliver, onGap) })
	}
	for _, p := range r.paths {
		wg.Go(func() { p.Work(ctx, 0) })
		wg.Go(func() { p.Work(ctx, 1) })
	}
	wg.Go(func() { r.clearLoop(ctx, clearNow) })
	wg.Go(func() { r.watchBalances(ctx) })
	r.log.Info("relaying", "paths", len(r.paths), "chains", len(r.chains))
	<-ctx.Done()
	return nil
}

// watchBalances reports every chain's relayer balance at once, then every
// clear_interval.
func (r *Relayer) watchBalances(ctx context.Context) {
	for {
		for _, c := range r.chains {
			bal, err := c.Balance(ctx, c.FeeDenom())
			if err != nil {
				c.log.Debug("wallet balance not readable", "err", err)
				continue
			}
			r.m.observeBalance(c.log, c.ID(), bal, c.cfg.MinBalance)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(r.cfg.Global.ClearInterval.Duration):
		}
	}
}

// revive cuts short the backoff of every path on chain, which answers again.
func (r *Relayer) revive(chain string) {
	for _, p := range r.paths {
		if ends := p.Chains(); ends[0] == chain || ends[1] == chain {
			p.Revive()
		}
	}
}

func (r *Relayer) deliver(b Block) {
	for _, p := range r.paths {
		p.Ingest(b)
	}
}

// clearLoop clears every path at once, then on an interval or when asked,
// beside the workers.
func (r *Relayer) clearLoop(ctx context.Context, now <-chan struct{}) {
	for {
		next := r.cfg.Global.ClearInterval.Duration
		for _, p := range r.paths {
			if p.halted.Load() {
				continue // nothing will be relayed on it: searching costs the nodes for nothing
			}
			if _, err := p.Clear(ctx); err != nil && ctx.Err() == nil {
				r.m.Errors.WithLabelValues("", "clear").Inc()
				r.log.Warn("clearing backlog failed; will retry", "path", p.Name(), "err", err)
			}
			if p.limited.Swap(false) {
				// More waits than clear_limit let in: come back once this
				// pass's share has had a few blocks to go out.
				next = min(next, 10*r.cfg.Global.PollInterval.Duration)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-now:
		case <-time.After(next):
		}
	}
}

// ClearOnce relays every packet, acknowledgement and timeout the chains
// show waiting now, and returns once the chains themselves show no backlog
// (or ctx ends, with the count still waiting).
func (r *Relayer) ClearOnce(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	for _, p := range r.paths {
		wg.Go(func() { p.Work(ctx, 0) })
		wg.Go(func() { p.Work(ctx, 1) })
	}
	for {
		left, err := r.clearAll(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
			return fmt.Errorf("backlog not cleared: %w (last error: %v)", ctx.Err(), err)
		case err != nil:
			r.log.Warn("clearing failed; will retry", "err", err)
		case left == 0:
			return nil
		}
		if why := r.m.Unhealthy(time.Hour); why != "" {
			return fmt.Errorf("backlog not cleared: %s", why)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d packets still waiting: %w", left, ctx.Err())
		case <-time.After(time.Second):
		}
	}
}

// clearAll runs a clearing pass on every path and returns how many packets
// the chains showed waiting, from chain state alone.
func (r *Relayer) clearAll(ctx context.Context) (int, error) {
	left := 0
	for _, p := range r.paths {
		n, err := p.Clear(ctx)
		if err != nil {
			return 0, fmt.Errorf("path %s: %w", p.Name(), err)
		}
		left += n
	}
	return left, nil
}
