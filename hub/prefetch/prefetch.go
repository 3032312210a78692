package prefetch

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"cosmossdk.io/log/v2"

	iavlstore "github.com/cosmos/cosmos-sdk/store/v2/iavl"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// queueSize bounds the keys waiting to be loaded; past it keys are
// dropped, and their blocks read them as they would without a prefetcher.
const queueSize = 16384

// Prefetcher loads into IAVL's node cache, off the ABCI lane, the
// tree nodes that the record transactions waiting in the mempool will write.
//
// CometBFT runs CheckTx, FinalizeBlock and Commit one at a time (its local
// ABCI client holds one lock), so what a block reads from the database
// delays every transaction behind it. Over many cars a record writes its
// car's summary and its history entry at two random places of a tree of
// millions of nodes, and the block then reads most nodes of both paths
// from the database: IAVL's Set clones each node on a key's path and loads
// both of its children (iavl v1 Node.clone). So the prefetcher walks to the
// keys a record will write (keeper.RecordTreeKeys) in the last committed
// tree, loading each node on the way and its sibling (walk), on a
// goroutine of its own, while the transaction waits for its block. It
// writes nothing and decides nothing: a dropped or failed prefetch costs
// only the reads the block would have done anyway.
type Prefetcher struct {
	// tree returns the vehicle store's committed tree at a version.
	tree   func(version int64) (storetypes.KVStore, error)
	keys   func(context.Context, *vehicletypes.MsgRecordEvents) ([][]byte, error)
	logger log.Logger

	queue chan item
	start sync.Once
	stop  sync.Once
	// done asks the goroutine to stop; stopped is closed once it has (or
	// once Close has made sure it never starts).
	done    chan struct{}
	stopped chan struct{}
}

// item is one key to load from the tree at version.
type item struct {
	version int64
	key     []byte
}

// storesByName is the root multistore's lookup of a mounted store by name,
// which unwraps the inter-block cache (rootmulti.Store.GetStoreByName).
type storesByName interface {
	GetStoreByName(name string) storetypes.Store
}

// New prefetches, from the IAVL store named store of root (once the app has
// loaded it), the keys that keys names for a record message, in the
// context CheckTx checks it in. It fails where root
// cannot look its stores up by name, rather than prefetching nothing.
func New(root storetypes.CommitMultiStore, store string, keys func(context.Context, *vehicletypes.MsgRecordEvents) ([][]byte, error), logger log.Logger) (*Prefetcher, error) {
	stores, ok := root.(storesByName)
	if !ok {
		return nil, fmt.Errorf("record prefetch: the root store %T cannot look up store %q by name", root, store)
	}
	return &Prefetcher{
		tree: func(version int64) (storetypes.KVStore, error) {
			tree, ok := stores.GetStoreByName(store).(*iavlstore.Store)
			if !ok {
				return nil, fmt.Errorf("store %q is not an IAVL store", store)
			}
			return tree.GetImmutable(version)
		},
		keys:    keys,
		logger:  logger,
		queue:   make(chan item, queueSize),
		done:    make(chan struct{}),
		stopped: make(chan struct{}),
	}, nil
}

// offer queues the tree keys of the record messages among msgs, to be read
// at ctx's height (CheckTx checks against the last committed version); a
// message without keys (keys refuses it) adds none, and when the queue is
// full the rest are dropped.
func (p *Prefetcher) offer(ctx sdk.Context, msgs []sdk.Msg) {
	p.start.Do(func() { go p.run() })
	// The keeper's reads are the prefetcher's, not the transaction's.
	ctx = ctx.WithGasMeter(storetypes.NewInfiniteGasMeter())
	version := ctx.BlockHeight()
	for _, msg := range msgs {
		records, ok := msg.(*vehicletypes.MsgRecordEvents)
		if !ok {
			continue
		}
		if len(p.queue) == cap(p.queue) {
			return
		}
		keys, err := p.keys(ctx, records)
		if err != nil {
			continue
		}
		for _, key := range keys {
			select {
			case p.queue <- item{version: version, key: key}:
			default:
				return
			}
		}
	}
}

// run loads queued keys until Close, with one view of the tree per version.
// Keys offered against an older version than the newest seen are dropped:
// their transactions are likely in a block already, and reading for them
// would only take CPU from the blocks to come.
func (p *Prefetcher) run() {
	defer close(p.stopped)
	var (
		version int64
		tree    storetypes.KVStore
	)
	for {
		select {
		case <-p.done:
			return
		case it := <-p.queue:
			if it.version < version {
				continue
			}
			if it.version > version {
				version, tree = it.version, p.view(it.version)
			}
			if tree == nil {
				continue
			}
			if err := p.load(tree, it); err != nil {
				p.logger.Debug("record prefetch failed", "err", err)
			}
		}
	}
}

// view is the committed tree at version, or nil where there is none (a
// node just started checks against version 0; an old one may be pruned).
func (p *Prefetcher) view(version int64) (view storetypes.KVStore) {
	defer func() {
		if r := recover(); r != nil {
			p.logger.Debug("record prefetch: no tree", "version", version, "panic", r)
			view = nil
		}
	}()
	tree, err := p.tree(version)
	if err != nil {
		p.logger.Debug("record prefetch: no tree", "version", version, "err", err)
		return nil
	}
	return tree
}

// load walks to the item's key in tree, reading the nodes a write of the
// key clones: each node on its path and each one's sibling, whether the key
// is there (a summary rewritten) or not (a history entry inserted). IAVL's
// iterators read them without building anything: an inner node's key is
// the least key of its right subtree, and a traversal loads a child only if
// its range overlaps the iteration's. Ascending from the key, a node where
// the path turns left loads both children (the right one follows the key)
// and one where it turns right only the path; descending to the key (its
// successor the exclusive end) it is the other way round. For a new key
// one of the two walks goes on a few nodes, down the edge of a sibling's
// subtree to the key's neighbour. A node missing from the database (a
// version pruned meanwhile) ends a walk early, silently (IAVL's iterator
// keeps no error): the block then reads what is left. The store panics
// where it cannot start an iterator; a prefetch must never take the node
// down, so that is recovered.
func (p *Prefetcher) load(tree storetypes.KVStore, it item) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("walk to a key at version %d: %v", it.version, r)
		}
	}()
	if err := tree.Iterator(it.key, nil).Close(); err != nil {
		return fmt.Errorf("walk up from a key: %w", err)
	}
	// The exclusive end just past the key: the key followed by a zero byte.
	end := append(slices.Clip(it.key), 0)
	if err := tree.ReverseIterator(nil, end).Close(); err != nil {
		return fmt.Errorf("walk down to a key: %w", err)
	}
	return nil
}

// Close stops the goroutine and returns once it has, so that the database
// can be closed after it; keys offered afterwards stay in the queue.
func (p *Prefetcher) Close() {
	p.stop.Do(func() { close(p.done) })
	p.start.Do(func() { close(p.stopped) })
	<-p.stopped
}

// Decorator hands the prefetcher the records of a transaction that
// CheckTx admits to the mempool. It is the last decorator, so only a
// transaction that passed every other check (signature, fee, sequence)
// costs the node a read; never in a block, so consensus is untouched.
type Decorator struct{ Prefetcher *Prefetcher }

// AnteHandle offers the transaction's records on their first check.
func (d Decorator) AnteHandle(ctx sdk.Context, tx sdk.Tx, simulate bool, next sdk.AnteHandler) (sdk.Context, error) {
	if ctx.IsCheckTx() && !ctx.IsReCheckTx() && !simulate {
		d.Prefetcher.offer(ctx, tx.GetMsgs())
	}
	return next(ctx, tx, simulate)
}
