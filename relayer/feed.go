package relayer

import (
	"context"
	"fmt"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	"github.com/vinhub/vinhub/client"
)

// Block is what a feed hands on for each committed height: the events of
// its transactions, in order.
type Block struct {
	Chain  string
	Height int64
	Events []client.Event
}

// Feed delivers every block of a chain exactly once and in order, from a
// starting height on. A websocket subscription to new block headers wakes
// it up at once; a poll every PollInterval is the fallback; block contents
// always come from block_results, so a missed notification only delays a
// block, never loses it. A websocket that stays silent while the chain
// advances (the classic dead-feed failure) is detected and resubscribed.
type Feed struct {
	chain    *Chain
	poll     time.Duration
	watchdog time.Duration
	// results serves block_results with a longer timeout than other calls:
	// a heavy block's results take long to build and send.
	results blockResults
	// patience is how long a block's results may stay unavailable before
	// the feed skips ahead and asks for a clearing pass instead.
	patience time.Duration
	// onRecover is called when the chain answers again after an outage,
	// so relay steps backed off meanwhile resume at once.
	onRecover func()
}

// blockResults is the one RPC call the feed makes with its own timeout.
type blockResults interface {
	BlockResults(ctx context.Context, height *int64) (*ctypes.ResultBlockResults, error)
}

// Feed timing: block_results of a heavy block may take this long to serve,
// and a block's results may stay unavailable this long before it is skipped.
const (
	blockResultsTimeoutSeconds = 120
	defaultBlockPatience       = 5 * time.Minute
)

// NewFeed prepares a feed for c; onRecover (may be nil) is called when c
// answers again after an outage.
func NewFeed(c *Chain, g GlobalConfig, onRecover func()) *Feed {
	f := &Feed{chain: c, poll: g.PollInterval.Duration, watchdog: g.WatchdogTimeout.Duration, results: c.RPC,
		patience: defaultBlockPatience, onRecover: onRecover}
	if rpc, err := client.NewRPC(c.Config, blockResultsTimeoutSeconds, c.log); err == nil {
		f.results = rpc
	}
	if f.onRecover == nil {
		f.onRecover = func() {}
	}
	return f
}

// outage paces what the feed logs while a call keeps failing: the first
// failure, then one line after 1 s, 2 s, 4 s ... (at most one a minute)
// saying how many failed meanwhile; and one line once it works again.
type outage struct {
	since, nextLog time.Time
	every          time.Duration
	failures       int
}

// Logging pace of an outage.
const (
	outageFirstRepeat = time.Second
	outageMaxRepeat   = time.Minute
)

// fail records a failure at now and reports whether to log it.
func (o *outage) fail(now time.Time) bool {
	o.failures++
	if o.since.IsZero() {
		o.since, o.every, o.nextLog = now, outageFirstRepeat, now.Add(outageFirstRepeat)
		return true
	}
	if now.Before(o.nextLog) {
		return false
	}
	o.every = min(2*o.every, outageMaxRepeat)
	o.nextLog = now.Add(o.every)
	return true
}

// end records a success at now; it returns how long the outage lasted and
// how many calls failed, or ok false if there was none.
func (o *outage) end(now time.Time) (lasted time.Duration, failures int, ok bool) {
	if o.since.IsZero() {
		return 0, 0, false
	}
	lasted, failures = now.Sub(o.since), o.failures
	*o = outage{}
	return lasted, failures, true
}

// Run delivers blocks from height from onwards to deliver until ctx ends.
// onGap is called when blocks had to be skipped.
func (f *Feed) Run(ctx context.Context, from int64, deliver func(Block), onGap func()) error {
	c := f.chain
	next := from
	var down, missing outage
	c.m.progress(c.ID())
	ws, events := f.subscribe(ctx)
	defer func() {
		if ws != nil {
			_ = ws.Stop()
		}
	}()
	lastWS := time.Now()
	ticker := time.NewTicker(f.poll)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case _, ok := <-events:
			if !ok {
				events = nil
			}
			lastWS = time.Now()
		case <-ticker.C:
		}
		latest, _, err := c.Latest(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			c.m.Errors.WithLabelValues(c.ID(), "rpc_unreachable").Inc()
			if down.fail(time.Now()) {
				c.log.Warn("feed: chain unreachable, will retry", "err", err, "failures", down.failures, "down_for", time.Since(down.since).Round(time.Millisecond))
			}
			continue
		}
		if lasted, failures, ok := down.end(time.Now()); ok {
			c.log.Info("feed: chain reachable again; resuming relay steps", "down_for", lasted.Round(time.Millisecond), "failures", failures)
			f.onRecover()
		}
		if latest >= next && time.Since(lastWS) > f.watchdog {
			c.m.Errors.WithLabelValues(c.ID(), "feed_silent").Inc()
			c.log.Warn("feed: websocket silent while the chain advances; resubscribing", "silent_for", time.Since(lastWS).Round(time.Second))
			if ws != nil {
				_ = ws.Stop()
			}
			ws, events = f.subscribe(ctx)
			lastWS = time.Now()
		}
		for ; next <= latest; next++ {
			b, err := f.block(ctx, next)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				c.m.Errors.WithLabelValues(c.ID(), "block_results").Inc()
				now := time.Now()
				if missing.fail(now) && now.Sub(missing.since) < f.patience {
					c.log.Warn("feed: block results unavailable, will retry", "height", next, "err", err, "failures", missing.failures)
				}
				if now.Sub(missing.since) < f.patience {
					break
				}
				c.log.Error("feed: skipping blocks whose results stay unavailable; clearing instead", "from", next, "to", latest,
					"unavailable_for", now.Sub(missing.since).Round(time.Second), "err", err)
				missing.end(now)
				next = latest
				onGap()
				continue
			}
			missing.end(time.Now())
			deliver(b)
			c.m.FeedHeight.WithLabelValues(c.ID()).Set(float64(next))
			c.m.progress(c.ID())
		}
	}
}

// subscribe opens a fresh websocket subscription; on failure the feed runs
// on polling alone until the watchdog retries.
func (f *Feed) subscribe(ctx context.Context) (*rpchttp.HTTP, <-chan ctypes.ResultEvent) {
	c := f.chain
	ws, err := rpchttp.New(c.Config.RPC, "/websocket")
	if err == nil {
		err = ws.Start()
	}
	if err != nil {
		c.log.Warn("feed: websocket unavailable, polling", "err", err)
		return nil, nil
	}
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	events, err := ws.Subscribe(sctx, "vinrelay", "tm.event='NewBlockHeader'", 16)
	if err != nil {
		_ = ws.Stop()
		c.log.Warn("feed: websocket subscribe failed, polling", "err", err)
		return nil, nil
	}
	return ws, events
}

func (f *Feed) block(ctx context.Context, h int64) (Block, error) {
	res, err := f.results.BlockResults(ctx, &h)
	if err != nil {
		return Block{}, fmt.Errorf("block results %d: %w", h, err)
	}
	b := Block{Chain: f.chain.ID(), Height: h}
	for _, tx := range res.TxsResults {
		if tx.Code != 0 {
			continue
		}
		b.Events = append(b.Events, client.FlattenEvents(tx.Events)...)
	}
	b.Events = append(b.Events, client.FlattenEvents(res.FinalizeBlockEvents)...)
	return b, nil
}
