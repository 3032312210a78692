package appdb

import (
	"bytes"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/cockroachdb/pebble"
	dbm "github.com/cosmos/cosmos-db"
)

// The cosmos-db contract's refusals, with its wording.
var (
	errKeyEmpty    = errors.New("key cannot be empty")
	errValueNil    = errors.New("value cannot be nil")
	errBatchClosed = errors.New("batch has been written or closed")
)

// PebbleDB is a pebble database behind cosmos-db's DB interface, opened
// with a block cache of the caller's size. Writes that the interface does
// not ask to sync are not synced, as cosmos-db's own pebble backend does
// (without its ForceSync build flag, which vinhub does not use): IAVL and
// the store commit each block with a batch's WriteSync.
type PebbleDB struct {
	db     *pebble.DB
	closed atomic.Bool
}

var _ dbm.DB = (*PebbleDB)(nil)

// OpenPebble opens (or creates) the pebble database in dir with a block
// cache of cacheBytes. The other options are cosmos-db's, so the files stay
// the same format whichever opener last wrote them.
func OpenPebble(dir string, cacheBytes int64) (*PebbleDB, error) {
	cache := pebble.NewCache(cacheBytes)
	// The database takes its own reference to the cache.
	defer cache.Unref()
	opts := &pebble.Options{
		Cache:                    cache,
		Logger:                   quietLogger{},
		MaxConcurrentCompactions: func() int { return 3 },
	}
	db, err := pebble.Open(dir, opts)
	if err != nil {
		return nil, fmt.Errorf("open pebble database %s: %w", dir, err)
	}
	return &PebbleDB{db: db}, nil
}

// Get returns a copy of key's value, or nil if key is absent.
func (p *PebbleDB) Get(key []byte) ([]byte, error) {
	if len(key) == 0 {
		return nil, errKeyEmpty
	}
	value, closer, err := p.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer closer.Close()
	// The value is pebble's until closer is closed; a stored empty value
	// must not read as absent (nil), whatever slice pebble hands out for it.
	return append([]byte{}, value...), nil
}

// Has reports whether key is present.
func (p *PebbleDB) Has(key []byte) (bool, error) {
	value, err := p.Get(key)
	return value != nil, err
}

// Set writes key without syncing.
func (p *PebbleDB) Set(key, value []byte) error { return p.set(key, value, pebble.NoSync) }

// SetSync writes key and syncs.
func (p *PebbleDB) SetSync(key, value []byte) error { return p.set(key, value, pebble.Sync) }

func (p *PebbleDB) set(key, value []byte, opts *pebble.WriteOptions) error {
	if err := checkKV(key, value); err != nil {
		return err
	}
	return p.db.Set(key, value, opts)
}

// Delete removes key without syncing.
func (p *PebbleDB) Delete(key []byte) error { return p.delete(key, pebble.NoSync) }

// DeleteSync removes key and syncs.
func (p *PebbleDB) DeleteSync(key []byte) error { return p.delete(key, pebble.Sync) }

func (p *PebbleDB) delete(key []byte, opts *pebble.WriteOptions) error {
	if len(key) == 0 {
		return errKeyEmpty
	}
	return p.db.Delete(key, opts)
}

// Iterator walks [start, end) in ascending order; nil means unbounded.
func (p *PebbleDB) Iterator(start, end []byte) (dbm.Iterator, error) {
	return p.iterator(start, end, false)
}

// ReverseIterator walks [start, end) in descending order; nil means
// unbounded.
func (p *PebbleDB) ReverseIterator(start, end []byte) (dbm.Iterator, error) {
	return p.iterator(start, end, true)
}

func (p *PebbleDB) iterator(start, end []byte, reverse bool) (dbm.Iterator, error) {
	if (start != nil && len(start) == 0) || (end != nil && len(end) == 0) {
		return nil, errKeyEmpty
	}
	// Pebble keeps the bounds while the iterator lives; the caller may not.
	start, end = bytes.Clone(start), bytes.Clone(end)
	source, err := p.db.NewIter(&pebble.IterOptions{LowerBound: start, UpperBound: end})
	if err != nil {
		return nil, err
	}
	if reverse {
		source.Last()
	} else {
		source.First()
	}
	return &pebbleIterator{source: source, start: start, end: end, reverse: reverse}, nil
}

// Close closes the database; a second Close does nothing. The SDK's start
// command closes the app twice on the way out (with CometBFT's node, then in
// its own clean-up), and pebble panics on a second close.
func (p *PebbleDB) Close() error {
	if !p.closed.CompareAndSwap(false, true) {
		return nil
	}
	return p.db.Close()
}

// NewBatch starts a batch of writes.
func (p *PebbleDB) NewBatch() dbm.Batch { return &pebbleBatch{batch: p.db.NewBatch()} }

// NewBatchWithSize starts a batch of writes; pebble sizes its batches itself.
func (p *PebbleDB) NewBatchWithSize(int) dbm.Batch { return p.NewBatch() }

// Print writes every key and value to standard output, for debugging.
func (p *PebbleDB) Print() error {
	it, err := p.Iterator(nil, nil)
	if err != nil {
		return err
	}
	defer it.Close()
	for ; it.Valid(); it.Next() {
		fmt.Printf("[%X]:\t[%X]\n", it.Key(), it.Value())
	}
	return it.Error()
}

// Stats reports pebble's metrics (levels, compactions, caches) as one
// table under "pebble.metrics", and the bytes the block cache holds.
func (p *PebbleDB) Stats() map[string]string {
	m := p.db.Metrics()
	return map[string]string{
		"pebble.metrics":           m.String(),
		"pebble.block-cache-bytes": fmt.Sprint(m.BlockCache.Size),
	}
}

// checkKV refuses what the cosmos-db contract refuses: an empty key, a nil
// value.
func checkKV(key, value []byte) error {
	if len(key) == 0 {
		return errKeyEmpty
	}
	if value == nil {
		return errValueNil
	}
	return nil
}

// pebbleBatch is a batch of writes, applied at once by Write.
type pebbleBatch struct {
	batch *pebble.Batch
}

// Set adds a write of key.
func (b *pebbleBatch) Set(key, value []byte) error {
	if err := checkKV(key, value); err != nil {
		return err
	}
	if b.batch == nil {
		return errBatchClosed
	}
	return b.batch.Set(key, value, nil)
}

// Delete adds a removal of key.
func (b *pebbleBatch) Delete(key []byte) error {
	if len(key) == 0 {
		return errKeyEmpty
	}
	if b.batch == nil {
		return errBatchClosed
	}
	return b.batch.Delete(key, nil)
}

// Write applies the batch without syncing and closes it.
func (b *pebbleBatch) Write() error { return b.commit(pebble.NoSync) }

// WriteSync applies the batch, syncs and closes it.
func (b *pebbleBatch) WriteSync() error { return b.commit(pebble.Sync) }

func (b *pebbleBatch) commit(opts *pebble.WriteOptions) error {
	if b.batch == nil {
		return errBatchClosed
	}
	if err := b.batch.Commit(opts); err != nil {
		return err
	}
	return b.Close()
}

// Close drops the batch; closing twice is not an error.
func (b *pebbleBatch) Close() error {
	if b.batch == nil {
		return nil
	}
	err := b.batch.Close()
	b.batch = nil
	return err
}

// GetByteSize is the batch's size in bytes so far.
func (b *pebbleBatch) GetByteSize() (int, error) {
	if b.batch == nil {
		return 0, errBatchClosed
	}
	return b.batch.Len(), nil
}

// pebbleIterator is a cosmos-db iterator over a bounded pebble iterator:
// pebble keeps it inside [start, end), so it is valid exactly while pebble's
// is.
type pebbleIterator struct {
	source     *pebble.Iterator
	start, end []byte
	reverse    bool
}

// Domain is the iterator's bounds as opened.
func (it *pebbleIterator) Domain() ([]byte, []byte) { return it.start, it.end }

// Valid reports whether the iterator is at a key; a failed read ends it.
func (it *pebbleIterator) Valid() bool { return it.source.Error() == nil && it.source.Valid() }

// Key is a copy of the current key.
func (it *pebbleIterator) Key() []byte {
	it.mustBeValid()
	return bytes.Clone(it.source.Key())
}

// Value is a copy of the current value.
func (it *pebbleIterator) Value() []byte {
	it.mustBeValid()
	return bytes.Clone(it.source.Value())
}

// Next moves to the next key in the iterator's order.
func (it *pebbleIterator) Next() {
	it.mustBeValid()
	if it.reverse {
		it.source.Prev()
		return
	}
	it.source.Next()
}

// Error is the read error that ended the iterator, if any.
func (it *pebbleIterator) Error() error { return it.source.Error() }

// Close releases the iterator.
func (it *pebbleIterator) Close() error { return it.source.Close() }

// mustBeValid panics past the end, as the cosmos-db contract says.
func (it *pebbleIterator) mustBeValid() {
	if !it.Valid() {
		panic("iterator is invalid")
	}
}

// quietLogger drops pebble's informational logs (flushes, compactions),
// which would drown the node's; fatal errors still stop the process.
type quietLogger struct{}

func (quietLogger) Infof(string, ...any) {}

func (quietLogger) Fatalf(format string, args ...any) { pebble.DefaultLogger.Fatalf(format, args...) }
