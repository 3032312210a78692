package indexer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Indexer copies the hub's blocks into the warehouse, one SQL transaction
// per block.
type Indexer struct {
	src     Source
	store   *Store
	metrics *Metrics
	log     *slog.Logger
	chainID string
	cursor  Cursor
	// genesisPending: a fresh warehouse indexing from the first block
	// applies the genesis before it.
	genesisPending bool
}

// New checks that the node serves the chain the warehouse holds (a fresh
// warehouse takes the node's) and reads where the index stands. from is
// the first height a fresh warehouse indexes (1: the genesis state, then
// every block). m may be nil.
func New(ctx context.Context, src Source, store *Store, from int64, m *Metrics, log *slog.Logger) (*Indexer, error) {
	chainID, err := src.ChainID(ctx)
	if err != nil {
		return nil, err
	}
	cur, err := store.Cursor(ctx)
	if err != nil {
		return nil, err
	}
	if cur.ChainID != "" && cur.ChainID != chainID {
		return nil, fmt.Errorf("schema %s indexes chain %q but the node serves %q: point vinindex at a %s node or use another --schema",
			store.Schema(), cur.ChainID, chainID, cur.ChainID)
	}
	fresh := cur.ChainID == ""
	if fresh {
		if from < 1 {
			from = 1
		}
		cur.Height = from - 1
	}
	if m == nil {
		m = NewMetrics()
	}
	m.Indexed.Set(float64(cur.Height))
	return &Indexer{src: src, store: store, metrics: m, log: log, chainID: chainID, cursor: cur, genesisPending: fresh && from == 1}, nil
}

// Height is the last height applied.
func (ix *Indexer) Height() int64 { return ix.cursor.Height }

// Latest is the hub's latest committed height.
func (ix *Indexer) Latest(ctx context.Context) (int64, error) { return ix.src.Latest(ctx) }

// prefetch is how many blocks are read and mapped ahead of the one being
// written: reading (RPC, queries at the height) is most of the work, and
// blocks can be read in any order as long as they are applied in order.
const prefetch = 8

// read is one block read and mapped.
type read struct {
	rows []Row
	err  error
}

// CatchUp applies every block after the last applied one up to height to,
// in order, reading up to prefetch blocks ahead; a fresh warehouse applies
// the genesis first.
func (ix *Indexer) CatchUp(ctx context.Context, to int64) error {
	if ix.genesisPending {
		if err := ix.applyGenesis(ctx); err != nil {
			return err
		}
	}
	if to <= ix.cursor.Height {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pending := make(chan chan read, prefetch)
	go func() {
		defer close(pending)
		for h := ix.cursor.Height + 1; h <= to; h++ {
			ch := make(chan read, 1)
			select {
			case pending <- ch:
			case <-ctx.Done():
				return
			}
			go func() {
				rows, err := ix.read(ctx, h)
				ch <- read{rows, err}
			}()
		}
	}()
	for ch := range pending {
		r := <-ch
		if r.err != nil {
			return r.err
		}
		h := ix.cursor.Height + 1
		if err := ix.store.Apply(ctx, ix.chainID, ix.cursor, h, r.rows); err != nil {
			return err
		}
		ix.cursor = Cursor{ChainID: ix.chainID, Height: h}
		ix.metrics.applied(r.rows)
		ix.metrics.observe(h, to)
		ix.metrics.progressed()
	}
	return ctx.Err()
}

// applyGenesis applies the genesis state as the height before the first
// block, in one transaction that creates the cursor: a restart finds the
// cursor and never applies it twice, and a rebuild from genesis is complete.
func (ix *Indexer) applyGenesis(ctx context.Context) error {
	g, err := ix.src.Genesis(ctx)
	if err != nil {
		return hubError{err}
	}
	if g.ChainID != ix.chainID {
		return hubError{fmt.Errorf("the node serves chain %q but its genesis is of %q", ix.chainID, g.ChainID)}
	}
	rows, err := MapGenesis(ctx, g)
	if err != nil {
		return hubError{err}
	}
	if err := ix.store.Apply(ctx, ix.chainID, ix.cursor, g.Height(), rows); err != nil {
		return err
	}
	ix.cursor = Cursor{ChainID: ix.chainID, Height: g.Height()}
	ix.genesisPending = false
	ix.metrics.applied(rows)
	ix.metrics.Indexed.Set(float64(g.Height()))
	return nil
}

// read reads and maps the block at height h.
func (ix *Indexer) read(ctx context.Context, h int64) ([]Row, error) {
	b, err := ix.src.Block(ctx, h)
	if err != nil {
		return nil, hubError{err}
	}
	rows, err := Map(ctx, b, ix.src)
	if err != nil {
		return nil, hubError{err}
	}
	return rows, nil
}

// hubError marks a failure to read the hub (as opposed to the database).
type hubError struct{ error }

func (e hubError) Unwrap() error { return e.error }

// Follow applies new blocks as the hub commits them, polling every poll,
// until ctx ends. A hub or database that goes away is waited for: the
// failed block is read and applied again once both answer, and the
// transaction that did not commit left nothing behind. Another writer on
// the schema stops it.
func (ix *Indexer) Follow(ctx context.Context, poll time.Duration) error {
	for {
		err := ix.followOnce(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, ErrConcurrentWriter):
			return err
		case err != nil:
			ix.failed(ctx, err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(poll):
		}
	}
}

func (ix *Indexer) followOnce(ctx context.Context) error {
	latest, err := ix.src.Latest(ctx)
	if err != nil {
		return hubError{err}
	}
	ix.metrics.observe(ix.cursor.Height, latest)
	if err := ix.CatchUp(ctx, latest); err != nil {
		return err
	}
	ix.metrics.progressed()
	return nil
}

// failed counts and logs a failure and, when the database failed, connects
// again (the cursor is read back: a commit whose answer was lost may have
// applied the block after all).
func (ix *Indexer) failed(ctx context.Context, err error) {
	var he hubError
	if errors.As(err, &he) {
		ix.metrics.Errors.WithLabelValues("hub").Inc()
		ix.log.Warn("hub unavailable; retrying", "height", ix.cursor.Height+1, "error", err)
		return
	}
	ix.metrics.Errors.WithLabelValues("database").Inc()
	ix.log.Warn("database write failed; retrying", "height", ix.cursor.Height+1, "error", err)
	if rerr := ix.store.reconnect(ctx); rerr != nil {
		ix.log.Warn("database unavailable", "error", rerr)
		return
	}
	cur, cerr := ix.store.Cursor(ctx)
	if cerr != nil {
		return
	}
	if cur.ChainID != "" {
		ix.cursor = cur
		ix.genesisPending = false
		ix.metrics.Indexed.Set(float64(cur.Height))
	}
}
