package appdb_test

import (
	"fmt"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/cockroachdb/pebble"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/hub/appdb"
)

func openTemp(t *testing.T, cacheBytes int64) *appdb.PebbleDB {
	t.Helper()
	db, err := appdb.OpenPebble(filepath.Join(t.TempDir(), "application.db"), cacheBytes)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// TestPebbleReadsAndWrites: the cosmos-db contract IAVL and the SDK rely
// on — absent keys read nil, values are copies, refusals change nothing.
func TestPebbleReadsAndWrites(t *testing.T) {
	db := openTemp(t, 1<<20)

	got, err := db.Get([]byte("a"))
	require.NoError(t, err)
	require.Nil(t, got)

	value := []byte("one")
	require.NoError(t, db.Set([]byte("a"), value))
	value[0] = 'X'
	got, err = db.Get([]byte("a"))
	require.NoError(t, err)
	require.Equal(t, []byte("one"), got, "the database keeps its own copy")
	got[0] = 'Y'
	again, _ := db.Get([]byte("a"))
	require.Equal(t, []byte("one"), again, "a read hands out a copy")

	require.NoError(t, db.SetSync([]byte("b"), []byte{}))
	has, err := db.Has([]byte("b"))
	require.NoError(t, err)
	require.True(t, has, "an empty value is a value")
	it, err := db.Iterator([]byte("b"), nil)
	require.NoError(t, err)
	require.True(t, it.Valid())
	require.NotNil(t, it.Value(), "an empty value iterated is a value too")
	require.NoError(t, it.Close())

	require.NoError(t, db.Delete([]byte("a")))
	require.NoError(t, db.DeleteSync([]byte("b")))
	for _, k := range []string{"a", "b"} {
		has, err := db.Has([]byte(k))
		require.NoError(t, err)
		require.False(t, has, k)
	}

	require.ErrorContains(t, db.Set(nil, []byte("v")), "key cannot be empty")
	require.ErrorContains(t, db.Set([]byte{}, []byte("v")), "key cannot be empty")
	require.ErrorContains(t, db.Set([]byte("c"), nil), "value cannot be nil")
	require.ErrorContains(t, db.Delete(nil), "key cannot be empty")
	_, err = db.Get(nil)
	require.ErrorContains(t, err, "key cannot be empty")
	has, _ = db.Has([]byte("c"))
	require.False(t, has, "a refused write wrote nothing")
}

// TestPebbleIterators: [start, end) in both directions, nil for unbounded,
// empty bounds refused, keys and values copied, an exhausted iterator
// invalid.
func TestPebbleIterators(t *testing.T) {
	db := openTemp(t, 1<<20)
	for _, k := range []string{"a", "b", "c", "d"} {
		require.NoError(t, db.Set([]byte(k), []byte("v"+k)))
	}
	walk := func(it dbm.Iterator, err error) []string {
		t.Helper()
		require.NoError(t, err)
		defer it.Close()
		var keys []string
		for ; it.Valid(); it.Next() {
			keys = append(keys, string(it.Key()))
			require.Equal(t, "v"+string(it.Key()), string(it.Value()))
		}
		require.NoError(t, it.Error())
		require.Panics(t, func() { it.Key() }, "an exhausted iterator has no key")
		return keys
	}
	tests := []struct {
		name       string
		start, end []byte
		forward    []string
	}{
		{"unbounded", nil, nil, []string{"a", "b", "c", "d"}},
		{"start inclusive, end exclusive", []byte("b"), []byte("d"), []string{"b", "c"}},
		{"bounds between keys", []byte("a0"), []byte("c0"), []string{"b", "c"}},
		{"from start", []byte("c"), nil, []string{"c", "d"}},
		{"up to end", nil, []byte("b"), []string{"a"}},
		{"empty range", []byte("x"), []byte("y"), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.forward, walk(db.Iterator(tc.start, tc.end)))
			var reverse []string
			for i := len(tc.forward) - 1; i >= 0; i-- {
				reverse = append(reverse, tc.forward[i])
			}
			require.Equal(t, reverse, walk(db.ReverseIterator(tc.start, tc.end)))
		})
	}

	start, end := []byte("a"), []byte("c")
	it, err := db.Iterator(start, end)
	require.NoError(t, err)
	start[0], end[0] = 'c', 'z'
	s, e := it.Domain()
	require.Equal(t, []byte("a"), s, "the iterator keeps its own bounds")
	require.Equal(t, []byte("c"), e)
	key := it.Key()
	key[0] = 'Z'
	require.Equal(t, []byte("a"), it.Key(), "a key is a copy")
	require.NoError(t, it.Close())

	_, err = db.Iterator([]byte{}, nil)
	require.ErrorContains(t, err, "key cannot be empty")
	_, err = db.ReverseIterator(nil, []byte{})
	require.ErrorContains(t, err, "key cannot be empty")
}

// TestPebbleBatch: a batch applies all its writes at once, and a written
// or closed batch refuses more.
func TestPebbleBatch(t *testing.T) {
	db := openTemp(t, 1<<20)
	require.NoError(t, db.Set([]byte("gone"), []byte("v")))

	b := db.NewBatchWithSize(64)
	require.NoError(t, b.Set([]byte("k1"), []byte("v1")))
	require.NoError(t, b.Delete([]byte("gone")))
	require.ErrorContains(t, b.Set([]byte("k2"), nil), "value cannot be nil")
	size, err := b.GetByteSize()
	require.NoError(t, err)
	require.Positive(t, size)
	has, _ := db.Has([]byte("k1"))
	require.False(t, has, "nothing is applied before Write")

	require.NoError(t, b.WriteSync())
	got, _ := db.Get([]byte("k1"))
	require.Equal(t, []byte("v1"), got)
	has, _ = db.Has([]byte("gone"))
	require.False(t, has)

	require.ErrorContains(t, b.Set([]byte("k3"), []byte("v")), "batch has been written or closed")
	require.ErrorContains(t, b.Write(), "batch has been written or closed")
	_, err = b.GetByteSize()
	require.ErrorContains(t, err, "batch has been written or closed")
	require.NoError(t, b.Close(), "closing again is harmless")

	dropped := db.NewBatch()
	require.NoError(t, dropped.Set([]byte("k4"), []byte("v")))
	require.NoError(t, dropped.Close())
	has, _ = db.Has([]byte("k4"))
	require.False(t, has, "a closed batch applies nothing")
}

// TestPebbleSameFilesAsCosmosDB: a home written by cosmos-db's pebble
// opener (every vinhub home so far) opens with this one and back again.
func TestPebbleSameFilesAsCosmosDB(t *testing.T) {
	home := t.TempDir()
	dataDir := filepath.Join(home, "data")
	theirs, err := dbm.NewDB("application", dbm.PebbleDBBackend, dataDir)
	require.NoError(t, err)
	require.NoError(t, theirs.SetSync([]byte("written-by"), []byte("cosmos-db")))
	require.NoError(t, theirs.Close())

	ours, err := appdb.Open(home, dbm.PebbleDBBackend, appdb.Settings{PebbleCacheMiB: 1})
	require.NoError(t, err)
	require.IsType(t, &appdb.PebbleDB{}, ours)
	got, err := ours.Get([]byte("written-by"))
	require.NoError(t, err)
	require.Equal(t, []byte("cosmos-db"), got)
	require.NoError(t, ours.SetSync([]byte("then"), []byte("appdb")))
	require.NoError(t, ours.Close())

	theirs, err = dbm.NewDB("application", dbm.PebbleDBBackend, dataDir)
	require.NoError(t, err)
	defer theirs.Close()
	got, err = theirs.Get([]byte("then"))
	require.NoError(t, err)
	require.Equal(t, []byte("appdb"), got)

	// A home this opener creates has the format version cosmos-db's gives
	// one, so older binaries and the SDK's own commands open it.
	theirsFresh, err := dbm.NewDB("application", dbm.PebbleDBBackend, t.TempDir())
	require.NoError(t, err)
	defer theirsFresh.Close()
	oursHome := t.TempDir()
	oursFresh, err := appdb.Open(oursHome, dbm.PebbleDBBackend, appdb.DefaultSettings())
	require.NoError(t, err)
	require.NoError(t, oursFresh.Close())
	reopened, err := dbm.NewDB("application", dbm.PebbleDBBackend, filepath.Join(oursHome, "data"))
	require.NoError(t, err)
	defer reopened.Close()
	require.Equal(t, formatVersion(t, theirsFresh), formatVersion(t, reopened))
}

func formatVersion(t *testing.T, db dbm.DB) pebble.FormatMajorVersion {
	t.Helper()
	p, ok := db.(*dbm.PebbleDB)
	require.True(t, ok, "cosmos-db's pebble backend")
	return p.DB().FormatMajorVersion()
}

// TestOpenOtherBackends: a home on another backend opens as the SDK opens
// it.
func TestOpenOtherBackends(t *testing.T) {
	home := t.TempDir()
	db, err := appdb.Open(home, dbm.GoLevelDBBackend, appdb.DefaultSettings())
	require.NoError(t, err)
	defer db.Close()
	require.IsType(t, &dbm.GoLevelDB{}, db)
	require.DirExists(t, filepath.Join(home, "data", "application.db"))
}

// TestPebbleCacheIsTheConfiguredSize: reading back more data than pebble's
// own 8 MiB cache holds, through a database Open gave 64 MiB, leaves more
// than 8 MiB cached — the size app.toml asks for is the size in use
// (cosmos-db's opener would stay at 8).
func TestPebbleCacheIsTheConfiguredSize(t *testing.T) {
	const pebbleDefault = 8 << 20
	home := t.TempDir()
	db, err := appdb.Open(home, dbm.PebbleDBBackend, appdb.Settings{PebbleCacheMiB: 64})
	require.NoError(t, err)
	value := make([]byte, 1024)
	const n = 20_000 // ~20 MiB
	for i := 0; i < n; i += 1000 {
		b := db.NewBatch()
		for j := i; j < i+1000; j++ {
			copy(value, fmt.Sprintf("value %d", j))
			require.NoError(t, b.Set([]byte(fmt.Sprintf("key-%08d", j)), value))
		}
		require.NoError(t, b.Write())
	}
	// Reopened, the data is in files, whose blocks are what the cache holds.
	require.NoError(t, db.Close())
	db, err = appdb.Open(home, dbm.PebbleDBBackend, appdb.Settings{PebbleCacheMiB: 64})
	require.NoError(t, err)
	defer db.Close()
	for i := 0; i < n; i++ {
		_, err := db.Get([]byte(fmt.Sprintf("key-%08d", i)))
		require.NoError(t, err)
	}
	cached, err := strconv.ParseInt(db.Stats()["pebble.block-cache-bytes"], 10, 64)
	require.NoError(t, err)
	require.Greater(t, cached, int64(pebbleDefault))
}

// TestPebbleClosesTwice: the SDK's start command closes the app's database
// twice when the node stops; the second must not panic (pebble's does).
func TestPebbleClosesTwice(t *testing.T) {
	db, err := appdb.OpenPebble(filepath.Join(t.TempDir(), "application.db"), 1<<20)
	require.NoError(t, err)
	require.NoError(t, db.Set([]byte("k"), []byte("v")))
	require.NoError(t, db.Close())
	require.NotPanics(t, func() { require.NoError(t, db.Close()) })
}
