package e2e

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/indexer"
	"github.com/vinhub/vinhub/testnet"
	"github.com/vinhub/vinhub/testnet/loopback"
	"github.com/vinhub/vinhub/testnet/pgnode"
	vehicletestutil "github.com/vinhub/vinhub/x/vehicle/testutil"
)

// TestWarehouse runs a hub, a real PostgreSQL and a `vinindex run`
// following the hub while the vehicle and finance demos run. vinindex is
// SIGKILLed mid-stream and restarted, PostgreSQL is stopped and started
// while the hub keeps committing, and the hub itself is restarted; then
// the warehouse's numbers match the chain's own queries and its tables
// equal, row for row, a `vinindex rebuild` from genesis into a second
// schema. Bad input (no hub, no database, an unknown role, a schema
// written by a newer vinindex) exits non-zero with a clear message and
// writes nothing.
func TestWarehouse(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: real hub, PostgreSQL and vinindex processes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	bins := binaries(t)
	dir := t.TempDir()

	pg, err := pgnode.Start(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = pg.Stop() })
	db, err := pg.OpenDatabase(ctx, "warehouse")
	require.NoError(t, err)
	db.Close(ctx)

	spec := testnet.DemoChainSpec(bins.hub, filepath.Join(dir, "hub"))
	spec.Keys = append(spec.Keys, testnet.FinanceDemoKeys...)
	spec.Roles = testnet.FinanceDemoRoles
	spec.VotingPeriod = 8 * time.Second
	node := startNode(ctx, t, spec)

	live, err := testnet.NewVinindex(bins.indexer, dir, node, pg.DSN("warehouse"), "live")
	require.NoError(t, err)
	require.NoError(t, live.Start())
	require.NoError(t, live.WaitReady(ctx))
	t.Cleanup(func() {
		_ = live.Stop()
		if t.Failed() {
			logTail(t, live.Log())
		}
	})

	summary, err := testnet.RunVehicleDemo(ctx, node, testWriter{t})
	require.NoError(t, err)

	t.Log("vinindex is SIGKILLed mid-stream and restarted")
	require.NoError(t, live.Kill())
	require.NoError(t, live.Start())
	require.NoError(t, live.WaitReady(ctx), "the restarted vinindex connects to the hub and the database")
	h, err := node.Height(ctx)
	require.NoError(t, err)
	require.NoError(t, live.WaitHeight(ctx, h), "the restarted vinindex resumes")

	t.Log("PostgreSQL stops while the hub keeps committing, then comes back")
	require.NoError(t, pg.Halt())
	require.NoError(t, node.WaitHeight(ctx, h+4))
	require.NoError(t, pg.Resume(ctx))

	finance, err := testnet.RunFinanceDemo(ctx, node, testWriter{t})
	require.NoError(t, err)

	t.Log("the hub restarts")
	require.NoError(t, node.Restart())
	require.NoError(t, node.WaitHeight(ctx, 2))
	h, err = node.Height(ctx)
	require.NoError(t, err)
	require.NoError(t, node.WaitHeight(ctx, h+2))

	sql, err := pgx.Connect(ctx, pg.DSN("warehouse"))
	require.NoError(t, err)
	defer sql.Close(ctx)
	require.NoError(t, live.WaitHeight(ctx, h+2))
	requireHealthy(t, live)
	require.NoError(t, live.Stop())
	var indexed int64
	require.NoError(t, sql.QueryRow(ctx, `SELECT height FROM live.index_state`).Scan(&indexed))

	t.Run("the warehouse's numbers are the chain's", func(t *testing.T) {
		requireMatchesChain(ctx, t, sql, node, summary, finance)
	})

	t.Run("after the crashes the tables equal a rebuild from genesis", func(t *testing.T) {
		rebuilt, err := testnet.NewVinindex(bins.indexer, dir, node, pg.DSN("warehouse"), "rebuilt")
		require.NoError(t, err)
		out, err := rebuilt.Exec(ctx, "rebuild", "--to-height", strconv.FormatInt(indexed, 10))
		require.NoError(t, err)
		require.Contains(t, string(out), "rebuilt rebuilt")
		store, err := indexer.OpenStore(ctx, pg.DSN("warehouse"), "live")
		require.NoError(t, err)
		defer store.Close()
		diff, err := store.Diff(ctx, "rebuilt")
		require.NoError(t, err)
		require.Empty(t, diff, "live and rebuilt differ (rows per table)")
		var blocks int64
		require.NoError(t, sql.QueryRow(ctx, `SELECT count(*) FROM rebuilt.blocks WHERE height > 0`).Scan(&blocks))
		require.Equal(t, indexed, blocks, "every height is there once")
		require.NoError(t, sql.QueryRow(ctx, `SELECT count(*) FROM rebuilt.blocks WHERE height = 0 AND txs = 0`).Scan(&blocks))
		require.Equal(t, int64(1), blocks, "and the genesis, as height 0")

		_, err = rebuilt.Exec(ctx, "rebuild", "--to-height", strconv.FormatInt(indexed, 10))
		require.ErrorContains(t, err, "already holds an index", "a rebuild never writes over an index")
	})

	t.Run("bad input exits non-zero with a clear message and writes nothing", func(t *testing.T) {
		requireBadInput(ctx, t, bins.indexer, dir, node, pg, sql)
	})
}

// requireHealthy checks vinindex's /healthz and that /metrics shows its lag.
func requireHealthy(t *testing.T, v *testnet.Vinindex) {
	t.Helper()
	resp, err := http.Get("http://" + v.MetricsAddr + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp, err = http.Get("http://" + v.MetricsAddr + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	bz, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	for _, series := range []string{"vinindex_indexed_height", "vinindex_lag_blocks", `vinindex_rows_written_total{table="blocks"}`} {
		require.Contains(t, string(bz), series)
	}
}

// requireMatchesChain checks the views against the chain's own queries.
func requireMatchesChain(ctx context.Context, t *testing.T, sql *pgx.Conn, node *testnet.Node, summary testnet.Summary, finance testnet.FinanceOutcome) {
	count := func(q string, args ...any) int64 {
		t.Helper()
		var n int64
		require.NoError(t, sql.QueryRow(ctx, q, args...).Scan(&n))
		return n
	}
	// The genesis dealer, its reporter and the founding roles are genesis
	// facts: indexed at height 0, as the events a block would carry.
	reporter, err := node.KeyAddress(ctx, testnet.DemoGenesisReporter)
	require.NoError(t, err)
	require.Equal(t, int64(1), count(`SELECT count(*) FROM live.dealer_events WHERE height = 0 AND dealer_id = $1 AND event = 'registered'`,
		testnet.DemoGenesisDealer))
	require.Equal(t, int64(1), count(`SELECT count(*) FROM live.dealer_events WHERE height = 0 AND dealer_id = $1 AND event = 'reporter admitted'
		AND reporter = $2`, testnet.DemoGenesisDealer, reporter))
	for key, role := range testnet.FinanceDemoRoles {
		addr, err := node.KeyAddress(ctx, key)
		require.NoError(t, err)
		require.Equal(t, int64(1), count(`SELECT count(*) FROM live.role_events WHERE height = 0 AND granted AND address = $1 AND role = $2`,
			addr, "ROLE_"+strings.ToUpper(role)), key)
	}
	require.Positive(t, count(`SELECT count(*) FROM live.genesis_entries WHERE module = 'vehicle' AND field = 'params'`))

	// The vehicle demo's records; the finance demo's default then adds the
	// hub's ownership record (a title move).
	require.Equal(t, summary.RecordCount, strconv.FormatInt(count(`SELECT count(*) FROM live.records WHERE vin = $1 AND title_cause IS NULL`,
		testnet.DemoVIN), 10))

	var hist struct {
		Records []struct {
			DealerID string `json:"dealer_id"`
			Flags    []struct {
				Code string `json:"code"`
			} `json:"flags"`
			TitleOrigin *struct {
				Cause string `json:"cause"`
			} `json:"title_origin"`
		} `json:"records"`
	}
	require.NoError(t, node.Query(ctx, &hist, "vehicle", "history", testnet.DemoVIN))
	require.Equal(t, int64(len(hist.Records)), count(`SELECT count(*) FROM live.records WHERE vin = $1`, testnet.DemoVIN))
	flagged := map[string]int64{}
	for _, r := range hist.Records {
		for _, f := range r.Flags {
			if f.Code == "FLAG_CODE_ODOMETER_ROLLBACK" {
				flagged[r.DealerID]++
			}
		}
	}
	require.NotEmpty(t, flagged, "the demo flags a rollback")
	for dealer, n := range flagged {
		require.Equal(t, n, count(`SELECT flagged_records FROM live.flagged_odometers_by_dealer WHERE dealer_id = $1`, dealer), dealer)
	}

	var defaults struct{ Loans []testnet.Loan }
	require.NoError(t, node.Query(ctx, &defaults, "asset", "defaults"))
	require.Equal(t, int64(len(defaults.Loans)), count(`SELECT coalesce(sum(defaults), 0) FROM live.defaults_by_month`))
	require.Equal(t, finance.DefaultedLoan.ID, strconv.FormatInt(count(`SELECT loan_id FROM live.loan_events WHERE event = 'defaulted'`), 10))

	var repaid string
	require.NoError(t, sql.QueryRow(ctx, `SELECT amount::text FROM live.loan_events WHERE loan_id = $1 AND event = 'repaid'`,
		finance.RepaidLoan.ID).Scan(&repaid))
	require.Equal(t, finance.RepaidLoan.Repaid.Amount, repaid)

	var active struct{ Loans []testnet.Loan }
	require.NoError(t, node.Query(ctx, &active, "asset", "loans", "active"))
	require.Equal(t, int64(len(active.Loans)), count(`SELECT coalesce(sum(open_loans), 0) FROM live.loan_book`))

	var lien struct {
		Active *struct{ ID string } `json:"active"`
	}
	require.NoError(t, node.Query(ctx, &lien, "vehicle", "lien-by-vin", testnet.DemoVIN))
	onChain := int64(0)
	if lien.Active != nil {
		onChain = 1
	}
	require.Equal(t, onChain, count(`SELECT count(*) FROM live.active_liens WHERE vin = $1`, testnet.DemoVIN))
	require.Equal(t, int64(2), count(`SELECT count(*) FROM live.liens WHERE vin = $1`, testnet.DemoVIN), "one lien per pledge")

	owner, err := node.KeyAddress(ctx, testnet.DemoOwner)
	require.NoError(t, err)
	require.Equal(t, int64(finance.ScoreAfter.Score), count(`SELECT new_score FROM live.credit_score_changes WHERE address = $1
		ORDER BY height DESC, event_index DESC LIMIT 1`, owner))
	require.Positive(t, count(`SELECT count(*) FROM live.vehicle_timeline WHERE vin = $1`, testnet.DemoVIN))

	var titleMoves []string
	for _, r := range hist.Records {
		if r.TitleOrigin != nil {
			titleMoves = append(titleMoves, r.TitleOrigin.Cause)
		}
	}
	require.NotEmpty(t, titleMoves, "the default moves the title: an ownership record")
	rows, err := sql.Query(ctx, `SELECT cause FROM live.ownership_changes WHERE vin = $1 ORDER BY record_id`, testnet.DemoVIN)
	require.NoError(t, err)
	indexedMoves, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Equal(t, titleMoves, indexedMoves, "ownership records and their causes")
	require.Equal(t, int64(len(titleMoves)), count(`SELECT count(*) FROM live.vehicle_timeline WHERE vin = $1 AND fact = 'ownership change'`, testnet.DemoVIN))

	var anchors struct {
		Anchorings []struct {
			Sha256 []byte `json:"sha256"`
		} `json:"anchorings"`
	}
	require.NoError(t, node.Query(ctx, &anchors, "evidence", "by-vin", testnet.DemoVIN))
	require.NotEmpty(t, anchors.Anchorings, "the demo's records and application carry evidence hashes")
	for _, a := range anchors.Anchorings {
		require.Equal(t, int64(1), count(`SELECT count(*) FROM live.evidence_anchors WHERE hash = $1 AND vin = $2`, hex.EncodeToString(a.Sha256), testnet.DemoVIN))
	}
	require.Equal(t, int64(len(anchors.Anchorings)), count(`SELECT count(*) FROM live.evidence_anchors WHERE vin = $1`, testnet.DemoVIN))
}

// requireBadInput runs vinindex against an unreachable hub, an unreachable
// database, a role that does not exist and a schema at a newer version.
func requireBadInput(ctx context.Context, t *testing.T, binary, dir string, node *testnet.Node, pg *pgnode.Node, sql *pgx.Conn) {
	ports, err := loopback.Ports(2)
	require.NoError(t, err)
	run := func(t *testing.T, rpc, dsn, schema string) string {
		t.Helper()
		v, err := testnet.NewVinindex(binary, dir, node, dsn, schema)
		require.NoError(t, err)
		if rpc != "" {
			v.RPC = rpc
		}
		runCtx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		_, err = v.Exec(runCtx, "run", "--metrics", "")
		require.Error(t, err, "vinindex must exit non-zero")
		require.NotErrorIs(t, runCtx.Err(), context.DeadlineExceeded, "vinindex must exit, not hang")
		return err.Error()
	}
	schemaExists := func(schema string) bool {
		var ok bool
		require.NoError(t, sql.QueryRow(ctx, `SELECT to_regnamespace($1) IS NOT NULL`, schema).Scan(&ok))
		return ok
	}

	t.Run("unreachable hub", func(t *testing.T) {
		msg := run(t, fmt.Sprintf("http://127.0.0.1:%d", ports[0]), pg.DSN("warehouse"), "nohub")
		require.Contains(t, msg, "unreachable")
		require.Contains(t, msg, "--rpc")
		require.False(t, schemaExists("nohub"), "nothing written")
	})
	t.Run("unreachable database", func(t *testing.T) {
		msg := run(t, "", fmt.Sprintf("postgres://postgres@127.0.0.1:%d/warehouse?sslmode=disable", ports[1]), "nodb")
		require.Contains(t, msg, "database")
		require.Contains(t, msg, "connect")
	})
	t.Run("wrong credentials", func(t *testing.T) {
		dsn := strings.Replace(pg.DSN("warehouse"), "postgres@", "intruder:guess@", 1)
		msg := run(t, "", dsn, "intruder")
		require.Contains(t, msg, `role "intruder" does not exist`)
		require.False(t, schemaExists("intruder"), "nothing written")
	})
	t.Run("schema written by a newer vinindex", func(t *testing.T) {
		var height int64
		require.NoError(t, sql.QueryRow(ctx, `SELECT height FROM live.index_state`).Scan(&height))
		_, err := sql.Exec(ctx, `INSERT INTO live.schema_version (version) VALUES ($1)`, indexer.SchemaVersion+1)
		require.NoError(t, err)
		msg := run(t, "", pg.DSN("warehouse"), "live")
		require.Contains(t, msg, "newer")
		require.Contains(t, msg, fmt.Sprintf("version %d", indexer.SchemaVersion+1))
		var after int64
		require.NoError(t, sql.QueryRow(ctx, `SELECT height FROM live.index_state`).Scan(&after))
		require.Equal(t, height, after, "nothing written")
	})
}

// requireIBCRefusalIndexed runs vinindex on the relay network's hub (records
// that arrived over IBC v2 and v1, their origins read at each height) while
// two dealer chains ask the hub for a lien on the same VIN over IBC: the
// second is refused because the first holds it, and that refusal, which
// the hub commits as an answer, is a row of refused_double_pledges. The
// live tables then equal a rebuild.
func requireIBCRefusalIndexed(ctx context.Context, t *testing.T, nw *testnet.Network) {
	t.Helper()
	pg, err := pgnode.Start(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = pg.Stop() })
	hub := nw.Hub.Node(0)
	live, err := testnet.StartWarehouse(ctx, pg, binaries(t).indexer, t.TempDir(), hub)
	if live != nil {
		t.Cleanup(func() {
			_ = live.Stop()
			if t.Failed() {
				logTail(t, live.Log())
			}
		})
	}
	require.NoError(t, err)
	sql, err := pgx.Connect(ctx, live.DB)
	require.NoError(t, err)
	defer sql.Close(ctx)

	vin := vehicletestutil.VIN(4242)
	first, second := nw.Dealers[0], nw.Dealers[1]
	for _, d := range []*testnet.Chain{first, second} {
		lender, err := d.Node(0).KeyAddress(ctx, d.ReporterKey)
		require.NoError(t, err)
		res, err := d.Node(0).Tx(ctx, d.ReporterKey, "vehicle", "request-lien", d.DealerID, vin, lender)
		require.NoError(t, err)
		require.Zero(t, res.Code, res.RawLog)
		if d == first {
			waitRow(ctx, t, sql, `SELECT count(*) FROM vinindex.active_liens WHERE vin = $1`, vin)
		}
	}
	waitRow(ctx, t, sql, `SELECT count(*) FROM vinindex.refused_double_pledges WHERE vin = $1`, vin)
	var path, by string
	var held int64
	require.NoError(t, sql.QueryRow(ctx, `SELECT path, requested_by, held_lien_id FROM vinindex.refused_double_pledges WHERE vin = $1`, vin).
		Scan(&path, &by, &held))
	require.Equal(t, "ibc", path)
	require.Equal(t, second.ID()+"/"+second.DealerID, by)
	var holder string
	require.NoError(t, sql.QueryRow(ctx, `SELECT holder_chain_id || '/' || holder_dealer_id FROM vinindex.liens WHERE lien_id = $1`, held).Scan(&holder))
	require.Equal(t, first.ID()+"/"+first.DealerID, holder, "the refusal names the lien that held the VIN")
	var ibcRecords int64
	require.NoError(t, sql.QueryRow(ctx, `SELECT count(*) FROM vinindex.records WHERE origin_chain_id IS NOT NULL`).Scan(&ibcRecords))
	require.Positive(t, ibcRecords, "records that came over IBC keep their origin")

	require.NoError(t, live.Stop())
	var indexed int64
	require.NoError(t, sql.QueryRow(ctx, `SELECT height FROM vinindex.index_state`).Scan(&indexed))
	rebuilt, err := testnet.NewVinindex(binaries(t).indexer, t.TempDir(), hub, live.DB, "rebuilt")
	require.NoError(t, err)
	_, err = rebuilt.Exec(ctx, "rebuild", "--to-height", strconv.FormatInt(indexed, 10))
	require.NoError(t, err)
	store, err := indexer.OpenStore(ctx, live.DB, "vinindex")
	require.NoError(t, err)
	defer store.Close()
	diff, err := store.Diff(ctx, "rebuilt")
	require.NoError(t, err)
	require.Empty(t, diff)
}

// waitRow waits until the count query q returns at least one.
func waitRow(ctx context.Context, t *testing.T, sql *pgx.Conn, q string, args ...any) {
	t.Helper()
	for {
		var n int64
		if err := sql.QueryRow(ctx, q, args...).Scan(&n); err == nil && n > 0 {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no row for %s %v", q, args)
		case <-time.After(300 * time.Millisecond):
		}
	}
}
