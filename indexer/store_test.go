package indexer_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/indexer"
	"github.com/vinhub/vinhub/testnet/pgnode"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// warehouse is a real PostgreSQL with one database for a test.
type warehouse struct {
	pg  *pgnode.Node
	sql *pgx.Conn
	dsn string
}

func startWarehouse(ctx context.Context, t *testing.T) *warehouse {
	t.Helper()
	pg, err := pgnode.Start(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = pg.Stop() })
	conn, err := pg.OpenDatabase(ctx, "warehouse")
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return &warehouse{pg: pg, sql: conn, dsn: pg.DSN("warehouse")}
}

// index opens schema and indexes the hub up to height to.
func (w *warehouse) index(ctx context.Context, t *testing.T, h *fakeHub, schema string, to int64) *indexer.Store {
	t.Helper()
	store, err := indexer.OpenStore(ctx, w.dsn, schema)
	require.NoError(t, err)
	t.Cleanup(store.Close)
	ix, err := indexer.New(ctx, h, store, 1, nil, quiet)
	require.NoError(t, err)
	require.NoError(t, ix.CatchUp(ctx, to))
	return store
}

func (w *warehouse) int(ctx context.Context, t *testing.T, q string, args ...any) int64 {
	t.Helper()
	var n int64
	require.NoError(t, w.sql.QueryRow(ctx, q, args...).Scan(&n))
	return n
}

// TestWarehouseViews indexes the finance story into a real PostgreSQL and
// asks the regulators' questions.
func TestWarehouseViews(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w := startWarehouse(ctx, t)
	h := newFakeHub()
	financeStory(t, h)

	w.index(ctx, t, h, "wh", 5)
	// docs/warehouse.md: which cars are pledged to whom, and who tried to
	// pledge one twice, in one query.
	var pledged, tried string
	require.NoError(t, w.sql.QueryRow(ctx, `SELECT l.vin, r.requested_by AS tried_again
		FROM (SELECT unnest(vins) AS vin, holder, lender FROM wh.active_liens_by_holder) l
		LEFT JOIN wh.refused_double_pledges r USING (vin)`).Scan(&pledged, &tried))
	require.Equal(t, []string{vin, "dealer-a/acme"}, []string{pledged, tried})
	var holder, lienLender string
	var liens int64
	require.NoError(t, w.sql.QueryRow(ctx, `SELECT holder, lender, liens FROM wh.active_liens_by_holder`).Scan(&holder, &lienLender, &liens))
	require.Equal(t, []any{"hub:asset", lender, int64(1)}, []any{holder, lienLender, liens})
	require.Equal(t, int64(1), w.int(ctx, t, `SELECT count(*) FROM wh.loan_book`))

	w.index(ctx, t, h, "wh", int64(len(h.blocks)))
	require.Zero(t, w.int(ctx, t, `SELECT count(*) FROM wh.active_liens_by_holder`), "every lien was released")

	rows, err := w.sql.Query(ctx, `SELECT path, height, vin, requested_by, coalesce(lender, ''), held_lien_id, coalesce(tx_hash, '')
		FROM wh.refused_double_pledges ORDER BY height`)
	require.NoError(t, err)
	type refusal struct {
		path    string
		height  int64
		vin, by string
		lender  string
		held    int64
		txHash  string
	}
	var got []refusal
	for rows.Next() {
		var r refusal
		require.NoError(t, rows.Scan(&r.path, &r.height, &r.vin, &r.by, &r.lender, &r.held, &r.txHash))
		got = append(got, r)
	}
	require.NoError(t, rows.Err())
	require.Equal(t, []refusal{
		{"ibc", 5, vin, "dealer-a/acme", "dealer1lender", 1, ""},
		{"hub", 8, vin, owner, lender, 2, "B1"},
	}, got, "who tried to pledge the car twice, and who held it")

	var dealer string
	var flagged int64
	require.NoError(t, w.sql.QueryRow(ctx, `SELECT dealer_id, flagged_records FROM wh.flagged_odometers_by_dealer`).Scan(&dealer, &flagged))
	require.Equal(t, "bayside", dealer)
	require.Equal(t, int64(1), flagged)

	var month time.Time
	var defaults int64
	var principal string
	require.NoError(t, w.sql.QueryRow(ctx, `SELECT month, defaults, principal::text FROM wh.defaults_by_month`).Scan(&month, &defaults, &principal))
	require.Equal(t, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), month.UTC())
	require.Equal(t, int64(1), defaults)
	require.Equal(t, "5000", principal)

	var bookLender, open string
	require.NoError(t, w.sql.QueryRow(ctx, `SELECT lender, open_principal::text FROM wh.loan_book`).Scan(&bookLender, &open))
	require.Equal(t, lender, bookLender)
	require.Equal(t, "7000", open, "the repaid and the defaulted loans are not open")

	require.Equal(t, int64(2), w.int(ctx, t, `SELECT count(*) FROM wh.vehicle_timeline WHERE vin = $1 AND fact = 'record'`, vin))
	require.Equal(t, int64(3), w.int(ctx, t, `SELECT count(*) FROM wh.vehicle_timeline WHERE vin = $1 AND fact = 'lien granted'`, vin))
}

// TestResumeExactlyOnce stops indexing part-way, resumes with a new
// indexer, has a stale writer try to apply a block again, and compares
// the result with a rebuild into a second schema, row for row.
func TestResumeExactlyOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w := startWarehouse(ctx, t)
	h := newFakeHub()
	financeStory(t, h)

	first := w.index(ctx, t, h, "live", 5)
	stale, err := indexer.New(ctx, h, first, 1, nil, quiet)
	require.NoError(t, err)
	require.Equal(t, int64(5), stale.Height(), "a restart resumes after the last block applied")
	resumed, err := indexer.New(ctx, h, first, 1, nil, quiet)
	require.NoError(t, err)
	require.NoError(t, resumed.CatchUp(ctx, 7))
	before := w.int(ctx, t, `SELECT count(*) FROM live.loan_events`)
	require.ErrorIs(t, stale.CatchUp(ctx, 7), indexer.ErrConcurrentWriter, "block 6 is applied already")
	require.Equal(t, before, w.int(ctx, t, `SELECT count(*) FROM live.loan_events`), "the refused block wrote nothing")
	require.Equal(t, int64(7), w.int(ctx, t, `SELECT height FROM live.index_state`))
	require.NoError(t, resumed.CatchUp(ctx, int64(len(h.blocks))))

	w.index(ctx, t, h, "again", int64(len(h.blocks)))
	diff, err := first.Diff(ctx, "again")
	require.NoError(t, err)
	require.Empty(t, diff, "the resumed index equals a rebuild")

	// A rebuild that differs is seen: drop a row from the copy.
	_, err = w.sql.Exec(ctx, `DELETE FROM again.loan_events WHERE event = 'defaulted'`)
	require.NoError(t, err)
	diff, err = first.Diff(ctx, "again")
	require.NoError(t, err)
	require.Equal(t, map[string]int64{"loan_events": 1}, diff)
}

// TestNewerSchemaRefused: a schema migrated by a newer vinindex is left
// alone, with an error naming both versions.
func TestNewerSchemaRefused(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w := startWarehouse(ctx, t)
	h := newFakeHub()
	financeStory(t, h)
	w.index(ctx, t, h, "wh", 3)
	_, err := w.sql.Exec(ctx, `INSERT INTO wh.schema_version (version) VALUES ($1)`, indexer.SchemaVersion+1)
	require.NoError(t, err)

	_, err = indexer.OpenStore(ctx, w.dsn, "wh")
	require.ErrorIs(t, err, indexer.ErrNewerSchema)
	require.ErrorContains(t, err, fmt.Sprintf("at version %d", indexer.SchemaVersion+1))
	require.ErrorContains(t, err, fmt.Sprintf("up to %d", indexer.SchemaVersion))
	require.Equal(t, int64(3), w.int(ctx, t, `SELECT height FROM wh.index_state`), "nothing written")
	require.Equal(t, int64(indexer.SchemaVersion+1), w.int(ctx, t, `SELECT count(*) FROM wh.schema_version`))
}

// TestIndexerSurvivesDatabaseRestart follows the hub while PostgreSQL is
// stopped and started again and new blocks keep coming: the indexer
// catches up by itself and its tables equal a rebuild.
func TestIndexerSurvivesDatabaseRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	w := startWarehouse(ctx, t)
	h := newFakeHub()
	full := newFakeHub()
	financeStory(t, full)
	h.records = full.records
	h.blocks = full.blocks[:4]

	store, err := indexer.OpenStore(ctx, w.dsn, "live")
	require.NoError(t, err)
	defer store.Close()
	m := indexer.NewMetrics()
	ix, err := indexer.New(ctx, h, store, 1, m, quiet)
	require.NoError(t, err)
	followCtx, stopFollow := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- ix.Follow(followCtx, 20*time.Millisecond) }()
	waitIndexed(ctx, t, m, 4)

	require.NoError(t, w.pg.Halt())
	for _, b := range full.blocks[4:] {
		h.mu.Lock()
		h.blocks = append(h.blocks, b)
		h.mu.Unlock()
	}
	time.Sleep(300 * time.Millisecond)
	require.Contains(t, m.Unhealthy(200*time.Millisecond), "no block applied", "/healthz fails while blocks cannot be written")
	require.NoError(t, w.pg.Resume(ctx))
	waitIndexed(ctx, t, m, int64(len(full.blocks)))
	require.Empty(t, m.Unhealthy(time.Minute))
	stopFollow()
	require.NoError(t, <-done)
	var failures dto.Metric
	require.NoError(t, m.Errors.WithLabelValues("database").Write(&failures))
	require.Positive(t, failures.GetCounter().GetValue(), "blocks came while the database was down")

	conn, err := pgx.Connect(ctx, w.dsn)
	require.NoError(t, err)
	defer conn.Close(ctx)
	w.sql = conn
	w.index(ctx, t, full, "again", int64(len(full.blocks)))
	diff, err := store.Diff(ctx, "again")
	require.NoError(t, err)
	require.Empty(t, diff)
}

func waitIndexed(ctx context.Context, t *testing.T, m *indexer.Metrics, height int64) {
	t.Helper()
	for {
		if indexedHeight(m) >= height {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("indexer stuck at %d, want %d", indexedHeight(m), height)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func indexedHeight(m *indexer.Metrics) int64 {
	var d dto.Metric
	_ = m.Indexed.Write(&d)
	return int64(d.GetGauge().GetValue())
}

// TestMigrateForwardFromVersion2: a warehouse that a version-2 vinindex
// indexed is migrated by this one, which goes on indexing the sealed,
// anchored and ownership facts; the migration notes up to which height
// the older build could not see them, the views show them, and the result
// equals a rebuild (the older blocks held none of the new facts).
func TestMigrateForwardFromVersion2(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w := startWarehouse(ctx, t)
	h := newFakeHub()
	financeStory(t, h)
	old := int64(len(h.blocks))
	sealedStory(t, h)

	v2, err := indexer.OpenStoreAt(ctx, w.dsn, "live", 2)
	require.NoError(t, err)
	ix, err := indexer.New(ctx, h, v2, 1, nil, quiet)
	require.NoError(t, err)
	require.NoError(t, ix.CatchUp(ctx, old))
	v2.Close()
	require.Equal(t, int64(2), w.int(ctx, t, `SELECT max(version) FROM live.schema_version`))

	live := w.index(ctx, t, h, "live", int64(len(h.blocks)))
	require.Equal(t, int64(indexer.SchemaVersion), w.int(ctx, t, `SELECT max(version) FROM live.schema_version`))
	require.Equal(t, old, w.int(ctx, t, `SELECT indexed_height FROM live.migration_gaps WHERE version = 3`))
	require.Equal(t, old, w.int(ctx, t, `SELECT indexed_height FROM live.migration_gaps WHERE version = 4`),
		"a warehouse an older vinindex filled is noted as holding no genesis")

	require.Equal(t, int64(1), w.int(ctx, t, `SELECT count(*) FROM live.evidence_anchors WHERE hash = $1 AND vin = $2`, anchoredHash, vin))
	require.Equal(t, int64(2), w.int(ctx, t, `SELECT count(*) FROM live.sealed_commitments WHERE record_id = 3`))
	require.Equal(t, int64(3), w.int(ctx, t, `SELECT count(*) FROM live.sealed_recipients WHERE address = $1`, regulator),
		"the record, the application and the loan offer are sealed to the regulator")
	require.Equal(t, int64(1), w.int(ctx, t, `SELECT count(*) FROM live.sealed_commitments WHERE loan_id = 4 AND field = 'terms'`))
	var detail string
	require.NoError(t, w.sql.QueryRow(ctx, `SELECT detail FROM live.vehicle_timeline WHERE vin = $1 AND fact = 'ownership change'`, vin).Scan(&detail))
	require.Equal(t, "asset 1 from "+owner+" to "+buyer+" (TITLE_CAUSE_SALE, asset asset/1)", detail)
	require.Equal(t, int64(3), w.int(ctx, t, `SELECT count(*) FROM live.vehicle_timeline WHERE vin = $1 AND fact = 'record'`, vin),
		"the ownership record is shown as an ownership change, not twice")
	require.Equal(t, int64(1), w.int(ctx, t, `SELECT count(*) FROM live.vehicle_timeline WHERE vin = $1 AND fact = 'evidence anchored'`, vin))
	var version int64
	var isRegulator bool
	require.NoError(t, w.sql.QueryRow(ctx, `SELECT current_version, regulator FROM live.encryption_key_holders WHERE address = $1`, regulator).
		Scan(&version, &isRegulator))
	require.Equal(t, int64(2), version, "the rotation is the current key")
	require.True(t, isRegulator)
	require.Equal(t, int64(0), w.int(ctx, t, `SELECT count(*) FROM live.encryption_key_holders WHERE regulator AND address <> $1`, regulator))

	w.index(ctx, t, h, "again", int64(len(h.blocks)))
	require.Zero(t, w.int(ctx, t, `SELECT count(*) FROM again.migration_gaps`), "a rebuild misses nothing")
	diff, err := live.Diff(ctx, "again")
	require.NoError(t, err)
	require.Empty(t, diff, "the migrated index equals a rebuild")
}
