package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vinhub/vinhub/testnet"
	"github.com/vinhub/vinhub/testnet/pgnode"
)

// follower is a vinindex following the hub into a real PostgreSQL while
// the load runs (-index), sampled ten times per block interval: the
// catch-up time needs a finer clock than the block.
type follower struct {
	pg  *pgnode.Node
	v   *testnet.Vinindex
	hub *testnet.Node

	mu      sync.Mutex
	samples []followSample
	err     error
	stop    chan struct{}
	done    chan struct{}
}

// followSample is vinindex's metrics and, just before them, the hub's
// height as the bench sees it: when a block counts as committed.
type followSample struct {
	testnet.IndexSample
	hub int64
}

// startFollower starts PostgreSQL and `vinindex run` against hub and
// returns once vinindex has caught up with the hub's current height.
func startFollower(ctx context.Context, binary, dir string, hub *testnet.Node) (*follower, error) {
	pg, err := pgnode.Start(ctx)
	if err != nil {
		return nil, err
	}
	f := &follower{pg: pg, hub: hub}
	f.v, err = testnet.StartWarehouse(ctx, pg, binary, dir, hub)
	if err != nil {
		f.close()
		return nil, err
	}
	return f, nil
}

// sample scrapes vinindex now (the baseline, before the load) and then
// every interval until finish.
func (f *follower) sample(ctx context.Context, interval time.Duration) error {
	if err := f.scrape(ctx); err != nil {
		return err
	}
	f.stop, f.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(f.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-f.stop:
				return
			case <-t.C:
				if f.scrape(ctx) != nil {
					return
				}
			}
		}
	}()
	return nil
}

func (f *follower) scrape(ctx context.Context) error {
	h, err := f.hub.Height(ctx)
	var s testnet.IndexSample
	if err == nil {
		s, err = f.v.Sample()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err != nil {
		f.err = err
		return err
	}
	f.samples = append(f.samples, followSample{IndexSample: s, hub: h})
	return nil
}

// finish waits until vinindex has indexed the hub's current height (the
// load is over), stops sampling and prints vinindex_lag_blocks during the
// load (until the hub was seen at loadEnd, the height of the load's last
// record), the time from then until vinindex had indexed loadEnd, and
// the warehouse's records against what each dealer's load committed on
// the hub.
func (f *follower) finish(ctx context.Context, loadEnd int64, committed map[string]int) error {
	h, err := f.hub.Height(ctx)
	if err != nil {
		return err
	}
	waitCtx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	if err := f.v.WaitHeight(waitCtx, h); err != nil {
		return fmt.Errorf("vinindex did not catch up with the hub at height %d: %w", h, err)
	}
	close(f.stop)
	<-f.done
	if f.err != nil {
		return f.err
	}
	if err := f.scrape(ctx); err != nil { // the caught-up state, whatever the ticker's phase
		return err
	}
	if last := f.samples[len(f.samples)-1]; last.Indexed < h {
		return fmt.Errorf("vinindex reports indexed height %d, the hub was at %d", last.Indexed, h)
	}
	records, err := f.countRecords(ctx, committed)
	if err != nil {
		return err
	}
	r := summarize(f.samples, loadEnd)
	fmt.Printf("\nvinindex following the hub (%d samples of vinindex_lag_blocks during the load):\n", len(r.lags))
	fmt.Printf("| lag p50 (blocks) | lag p99 | lag max | catch-up after the load's last block (height %d) | records indexed | rows written | rows/s |\n|---|---|---|---|---|---|---|\n", loadEnd)
	fmt.Printf("| %d | %d | %d | %.1f s | %d | %d | %.0f |\n", testnet.Percentile(r.lags, 50), testnet.Percentile(r.lags, 99), r.lags[len(r.lags)-1],
		r.catchUp.Seconds(), records, r.rows, r.rowsPerSec)
	return nil
}

// followSummary is what the samples of a run say: vinindex_lag_blocks
// sampled from the baseline until the hub was first seen at the load's
// last height (sorted), the time from then until vinindex was first seen
// having indexed it, and the rows written from the baseline until then.
type followSummary struct {
	lags       []int64
	catchUp    time.Duration
	rows       int64
	rowsPerSec float64
}

// summarize reads samples (the first a baseline before the load, the last
// with hub and indexed heights at or past loadEnd).
func summarize(samples []followSample, loadEnd int64) followSummary {
	committedAt := slices.IndexFunc(samples, func(s followSample) bool { return s.hub >= loadEnd })
	indexedAt := slices.IndexFunc(samples, func(s followSample) bool { return s.Indexed >= loadEnd })
	var r followSummary
	for _, s := range samples[:committedAt+1] {
		r.lags = append(r.lags, s.Lag)
	}
	slices.Sort(r.lags)
	base, up := samples[0], samples[indexedAt]
	// Indexed within the sample that first saw the hub there (the hub is read
	// first): no wait worth counting.
	r.catchUp = max(up.At.Sub(samples[committedAt].At), 0)
	r.rows = up.Rows - base.Rows
	if span := up.At.Sub(base.At).Seconds(); span > 0 {
		r.rowsPerSec = float64(r.rows) / span
	}
	return r
}

// countRecords checks that the warehouse holds, per dealer chain, exactly
// the records that chain's load committed on the hub, and returns them.
func (f *follower) countRecords(ctx context.Context, committed map[string]int) (int64, error) {
	db, err := pgx.Connect(ctx, f.v.DB)
	if err != nil {
		return 0, err
	}
	defer db.Close(context.Background())
	var total int64
	for chain, want := range committed {
		var n int64
		if err := db.QueryRow(ctx, `SELECT count(*) FROM `+f.v.Schema+`.records WHERE origin_chain_id = $1`, chain).Scan(&n); err != nil {
			return 0, err
		}
		if n != int64(want) {
			return 0, fmt.Errorf("warehouse holds %d records from %s, the hub %d", n, chain, want)
		}
		total += n
	}
	return total, nil
}

// close stops vinindex and PostgreSQL.
func (f *follower) close() {
	if f.stop != nil {
		select {
		case <-f.done:
		default:
			close(f.stop)
			<-f.done
		}
	}
	if f.v != nil {
		if err := f.v.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "vinindex:", err)
		}
	}
	if err := f.pg.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}
