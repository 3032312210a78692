package prefetch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"testing"
	"time"

	"cosmossdk.io/log/v2"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/iavl"
	"github.com/stretchr/testify/require"
	protov2 "google.golang.org/protobuf/proto"

	"github.com/cosmos/cosmos-sdk/store/v2/cache"
	iavlstore "github.com/cosmos/cosmos-sdk/store/v2/iavl"
	"github.com/cosmos/cosmos-sdk/store/v2/rootmulti"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

const (
	accord = "1HGCM82633A004352"
	golf   = "WVWZZZ1JZXW000001"
)

// treeKeys stands in for the vehicle keeper's RecordTreeKeys: two keys per
// record, named after its VIN, and none for a message with a VIN that is
// not one.
func treeKeys(_ context.Context, msg *vehicletypes.MsgRecordEvents) ([][]byte, error) {
	var keys [][]byte
	for _, in := range msg.Records {
		if _, err := vehicletypes.ParseVIN(in.Vin); err != nil {
			return nil, err
		}
		keys = append(keys, []byte("summary/"+in.Vin), []byte("history/"+in.Vin))
	}
	return keys, nil
}

func records(vins ...string) *vehicletypes.MsgRecordEvents {
	msg := &vehicletypes.MsgRecordEvents{}
	for _, vin := range vins {
		msg.Records = append(msg.Records, vehicletypes.RecordInput{Vin: vin, OccurredAt: time.Unix(1, 0)})
	}
	return msg
}

// queued drains what offer queued.
func queued(p *Prefetcher) []item {
	var out []item
	for {
		select {
		case it := <-p.queue:
			out = append(out, it)
		default:
			return out
		}
	}
}

// oneStore is a root multistore holding one store, as the prefetcher
// looks stores up.
type oneStore struct {
	storetypes.CommitMultiStore
	store storetypes.Store
}

func (o oneStore) GetStoreByName(string) storetypes.Store { return o.store }

// prefetcherOf prefetches from store.
func prefetcherOf(t testing.TB, store storetypes.Store, keys func(context.Context, *vehicletypes.MsgRecordEvents) ([][]byte, error)) *Prefetcher {
	t.Helper()
	p, err := New(oneStore{store: store}, "vehicle", keys, log.NewNopLogger())
	require.NoError(t, err)
	return p
}

// idle is a prefetcher whose goroutine never runs, so the queue can be read.
func idle(t *testing.T) *Prefetcher {
	p := prefetcherOf(t, nil, treeKeys)
	p.start.Do(func() {})
	return p
}

// TestOffer: every record's keys, at the height CheckTx checks against,
// from record messages only; a message the keeper gives no keys is
// skipped; a full queue drops the rest rather than holding up CheckTx.
func TestOffer(t *testing.T) {
	p := idle(t)
	p.offer(sdk.Context{}.WithBlockHeight(7), []sdk.Msg{
		records(accord, golf),
		&banktypes.MsgSend{},
		records(golf, "NOT-A-VIN"),
		records(accord),
	})
	require.Equal(t, []item{
		{7, []byte("summary/" + accord)}, {7, []byte("history/" + accord)},
		{7, []byte("summary/" + golf)}, {7, []byte("history/" + golf)},
		{7, []byte("summary/" + accord)}, {7, []byte("history/" + accord)},
	}, queued(p))

	full := make([]string, queueSize)
	for i := range full {
		full[i] = accord
	}
	done := make(chan struct{})
	go func() {
		p.offer(sdk.Context{}.WithBlockHeight(8), []sdk.Msg{records(full...)})
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("offer blocked on a full queue")
	}
	require.Len(t, queued(p), queueSize)
}

// fakeTx is a transaction of msgs.
type fakeTx []sdk.Msg

func (tx fakeTx) GetMsgs() []sdk.Msg                    { return tx }
func (tx fakeTx) GetMsgsV2() ([]protov2.Message, error) { return nil, nil }

// TestDecorator: a transaction's first check offers its records at the
// height CheckTx checks against; a recheck, a simulation and a block do
// not; the next decorator always runs.
func TestDecorator(t *testing.T) {
	tx := fakeTx{records(accord)}
	tests := []struct {
		name   string
		ctx    sdk.Context
		sim    bool
		offers bool
	}{
		{"check", sdk.Context{}.WithIsCheckTx(true), false, true},
		{"recheck", sdk.Context{}.WithIsReCheckTx(true), false, false},
		{"simulate", sdk.Context{}.WithIsCheckTx(true), true, false},
		{"block", sdk.Context{}, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := idle(t)
			ran := false
			_, err := Decorator{Prefetcher: p}.AnteHandle(tc.ctx.WithBlockHeight(41), tx, tc.sim,
				func(ctx sdk.Context, _ sdk.Tx, _ bool) (sdk.Context, error) {
					ran = true
					return ctx, nil
				})
			require.NoError(t, err)
			require.True(t, ran)
			got := queued(p)
			if !tc.offers {
				require.Empty(t, got)
				return
			}
			require.Len(t, got, 2)
			require.Equal(t, int64(41), got[0].version)
		})
	}
}

// treeKey is key i of the test tree: hashes, so writes land at random
// places, as a car's summary and history entries do.
func treeKey(i uint64) []byte {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], i)
	h := sha256.Sum256(n[:])
	return h[:]
}

// committedTree writes n keys to a fresh IAVL store and commits them as
// version 1: keys 0, 2, 4, ... below 2n, so odd keys are new ones.
func committedTree(t testing.TB, n uint64) (dbm.DB, storetypes.CommitID) {
	t.Helper()
	db := dbm.NewMemDB()
	key := storetypes.NewKVStoreKey("vehicle")
	store, err := iavlstore.LoadStoreWithOpts(db, log.NewNopLogger(), key, storetypes.CommitID{}, 0, 1000, true)
	require.NoError(t, err)
	for i := range n {
		store.Set(treeKey(2*i), []byte("value"))
	}
	return db, store.Commit()
}

// reload opens the committed tree as a node does at start: its node cache
// empty, reads from the database counted in stat.
func reload(t *testing.T, db dbm.DB, id storetypes.CommitID, stat *iavl.Statistics) storetypes.CommitKVStore {
	return reloadWithCache(t, db, id, 100_000, stat)
}

// reloadWithCache is reload with a node cache of size nodes.
func reloadWithCache(t testing.TB, db dbm.DB, id storetypes.CommitID, size int, stat *iavl.Statistics) storetypes.CommitKVStore {
	t.Helper()
	store, err := iavlstore.LoadStoreWithOpts(db, log.NewNopLogger(), storetypes.NewKVStoreKey("vehicle"), id, 0, size, true, iavl.StatOption(stat))
	require.NoError(t, err)
	return store
}

// TestLoadWarmsTheWrite: writing a key of a deep tree reads nodes from the
// database (a cold IAVL cache), and reads none once the prefetcher has
// walked to the key at the committed version: the walk loaded every node
// the write clones. Both for a key that exists (a summary rewritten) and
// for a new one (a history entry inserted), in the tree's middle and at its
// edges (the least and greatest keys, where a walk has no neighbour on one
// side); and it reads hardly more than the write would.
func TestLoadWarmsTheWrite(t *testing.T) {
	const n = 20_000
	db, id := committedTree(t, n)
	least, greatest := treeKey(0), treeKey(0)
	for i := range uint64(n) {
		k := treeKey(2 * i)
		if bytes.Compare(k, least) < 0 {
			least = k
		}
		if bytes.Compare(k, greatest) > 0 {
			greatest = k
		}
	}
	for _, tc := range []struct {
		name string
		key  []byte
		// extra is how many more nodes than the write itself the walk may
		// read: none for a key that exists or one past either end, a few
		// for a new key in between (measured: 4), whose second walk goes
		// down a sibling's subtree to the key's neighbour.
		extra uint64
	}{
		{"existing key", treeKey(n), 0},
		{"new key", treeKey(n + 1), 8},
		{"new least key", []byte{0}, 0},
		{"new greatest key", bytes.Repeat([]byte{0xff}, 40), 0},
		{"existing least key", least, 0},
		{"existing greatest key", greatest, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cold := &iavl.Statistics{}
			reload(t, db, id, cold).Set(tc.key, []byte("new value"))
			require.Greater(t, cold.GetCacheMissCnt(), uint64(10), "a cold write reads its path from the database")

			warm := &iavl.Statistics{}
			store := reload(t, db, id, warm)
			p := prefetcherOf(t, store, treeKeys)
			tree := p.view(id.Version)
			require.NotNil(t, tree)
			require.NoError(t, p.load(tree, item{version: id.Version, key: tc.key}))
			require.Greater(t, warm.GetCacheMissCnt(), uint64(10), "the walk read the path from the database")
			require.LessOrEqual(t, warm.GetCacheMissCnt(), cold.GetCacheMissCnt()+tc.extra, "the walk reads little the write does not")

			before := warm.GetCacheMissCnt()
			store.Set(tc.key, []byte("new value"))
			require.Equal(t, before, warm.GetCacheMissCnt(), "the write reads nothing from the database")
		})
	}
}

// TestRunLoadsOfferedKeys: offered keys are loaded by the prefetcher's own
// goroutine, and Close returns once it has stopped.
func TestRunLoadsOfferedKeys(t *testing.T) {
	db, id := committedTree(t, 5_000)
	stat := &iavl.Statistics{}
	store := reload(t, db, id, stat)
	keys := func(context.Context, *vehicletypes.MsgRecordEvents) ([][]byte, error) {
		return [][]byte{treeKey(7)}, nil
	}
	p := prefetcherOf(t, store, keys)
	t.Cleanup(p.Close)

	p.offer(sdk.Context{}.WithBlockHeight(id.Version), []sdk.Msg{records(accord)})
	require.Eventually(t, func() bool { return stat.GetCacheMissCnt() > 10 }, 10*time.Second, 10*time.Millisecond,
		"the goroutine reads the key's nodes")
	p.Close()
	select {
	case <-p.stopped:
	default:
		t.Fatal("Close returned before the goroutine stopped")
	}
}

// TestCloseBeforeStart: closing a prefetcher that never ran returns at
// once, and a later offer starts nothing.
func TestCloseBeforeStart(t *testing.T) {
	p := prefetcherOf(t, nil, treeKeys)
	done := make(chan struct{})
	go func() {
		p.Close()
		p.offer(sdk.Context{}.WithBlockHeight(3), []sdk.Msg{records(accord)})
		p.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close waited for a goroutine that never ran")
	}
}

// TestNoTree: a version the store does not have (a node just started
// checks against 0), a store that is not IAVL and a root store that cannot
// look stores up give no view or no prefetcher.
func TestNoTree(t *testing.T) {
	db, id := committedTree(t, 100)
	p := prefetcherOf(t, reload(t, db, id, &iavl.Statistics{}), treeKeys)
	require.Nil(t, p.view(0))
	require.Nil(t, p.view(id.Version+1))

	require.Nil(t, prefetcherOf(t, nil, treeKeys).view(id.Version))

	_, err := New(nil, "vehicle", treeKeys, log.NewNopLogger())
	require.ErrorContains(t, err, "cannot look up store")
}

// TestRootStore: the node's own root store, with its inter-block cache in
// front of the IAVL stores, gives the prefetcher the committed tree to
// walk (TestLoadWarmsTheWrite: what the walk loads).
func TestRootStore(t *testing.T) {
	root := rootmulti.NewStore(dbm.NewMemDB(), log.NewNopLogger())
	root.SetIAVLDisableFastNode(true) // as a node's app.toml has it
	root.SetInterBlockCache(cache.NewCommitKVStoreCacheManager(cache.DefaultCommitKVStoreCacheSize))
	key := storetypes.NewKVStoreKey("vehicle")
	root.MountStoreWithDB(key, storetypes.StoreTypeIAVL, nil)
	require.NoError(t, root.LoadLatestVersion())
	root.GetKVStore(key).Set(treeKey(1), []byte("value"))
	id := root.Commit()

	p, err := New(root, "vehicle", treeKeys, log.NewNopLogger())
	require.NoError(t, err)
	tree := p.view(id.Version)
	require.NotNil(t, tree, "the IAVL store behind the inter-block cache")
	require.Equal(t, []byte("value"), tree.Get(treeKey(1)), "the committed version")
}
