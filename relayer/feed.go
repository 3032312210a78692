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
}

// NewFeed prepares a feed for c.
func NewFeed(c *Chain, g GlobalConfig) *Feed {
	return &Feed{chain: c, poll: g.PollInterval.Duration, watchdog: g.WatchdogTimeout.Duration}
}

// maxBlockRetries: a block whose results stay unavailable this many times
// (e.g. pruned) is skipped, and onGap asks for a clearing pass instead.
const maxBlockRetries = 10

// Run delivers blocks from height from onwards to deliver until ctx ends.
// onGap is called when blocks had to be skipped.
func (f *Feed) Run(ctx context.Context, from int64, deliver func(Block), onGap func()) error {
	c := f.chain
	next := from
	failures := 0
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
			c.log.Warn("feed: chain unreachable, will retry", "err", err)
			continue
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
				if failures++; failures < maxBlockRetries {
					c.log.Warn("feed: block results unavailable, will retry", "height", next, "err", err)
					break
				}
				c.log.Error("feed: skipping blocks whose results stay unavailable; clearing instead", "from", next, "to", latest, "err", err)
				next, failures = latest, 0
				onGap()
				continue
			}
			failures = 0
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
	res, err := f.chain.RPC.BlockResults(ctx, &h)
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
