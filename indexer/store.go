package indexer

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
)

// ErrNewerSchema means the database holds a warehouse written by a newer
// vinindex: this one would misread it, so it writes nothing.
var ErrNewerSchema = errors.New("warehouse schema is newer than this vinindex")

// ErrNotFresh means a rebuild was pointed at a schema that already holds an index.
var ErrNotFresh = errors.New("schema already holds an index")

// ErrConcurrentWriter means the last applied height moved under us: another
// vinindex writes the same schema. The block is not applied.
var ErrConcurrentWriter = errors.New("another vinindex writes this schema")

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Store is the warehouse in one PostgreSQL schema.
type Store struct {
	dsn    string
	schema string
	conn   *pgx.Conn
}

// Cursor is where the index stands: the chain it follows and the last
// height applied (0: nothing yet).
type Cursor struct {
	ChainID string
	Height  int64
}

// OpenStore connects to the database and brings schema to SchemaVersion,
// creating it if needed. A schema at a newer version is refused with
// ErrNewerSchema before anything is written.
func OpenStore(ctx context.Context, dsn, schema string) (*Store, error) {
	if !schemaName.MatchString(schema) {
		return nil, fmt.Errorf("schema %q: use lower-case letters, digits and _ (at most 63)", schema)
	}
	return openStoreAt(ctx, dsn, schema, SchemaVersion)
}

// openStoreAt is OpenStore migrating to version (tests build a warehouse
// as an older vinindex left it).
func openStoreAt(ctx context.Context, dsn, schema string, version int) (*Store, error) {
	s := &Store{dsn: dsn, schema: schema}
	if err := s.connect(ctx); err != nil {
		return nil, err
	}
	if err := s.migrate(ctx, version); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Schema is the PostgreSQL schema the store writes.
func (s *Store) Schema() string { return s.schema }

func (s *Store) connect(ctx context.Context) error {
	cfg, err := pgx.ParseConfig(s.dsn)
	if err != nil {
		return fmt.Errorf("database url: %w", err)
	}
	cfg.RuntimeParams["search_path"] = s.schema
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("database %s@%s:%d/%s: %w", cfg.User, cfg.Host, cfg.Port, cfg.Database, err)
	}
	s.conn = conn
	return nil
}

// reconnect replaces a connection that failed (e.g. PostgreSQL restarted).
func (s *Store) reconnect(ctx context.Context) error {
	if s.conn != nil && !s.conn.IsClosed() && s.conn.Ping(ctx) == nil {
		return nil
	}
	s.Close()
	return s.connect(ctx)
}

// ensure connects again after a connection was dropped by reconnect.
func (s *Store) ensure(ctx context.Context) error {
	if s.conn != nil {
		return nil
	}
	return s.connect(ctx)
}

// Close ends the connection.
func (s *Store) Close() {
	if s.conn != nil {
		_ = s.conn.Close(context.Background())
		s.conn = nil
	}
}

// migrate applies the migrations missing up to version to in one
// transaction, under a lock so two vinindex starting together do not both
// migrate.
func (s *Store) migrate(ctx context.Context, to int) error {
	return pgx.BeginFunc(ctx, s.conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, "vinindex:"+s.schema); err != nil {
			return fmt.Errorf("lock schema %s: %w", s.schema, err)
		}
		current, err := schemaVersion(ctx, tx, s.schema)
		if err != nil {
			return err
		}
		if current > to {
			return fmt.Errorf("%w: schema %s is at version %d, this vinindex knows versions up to %d; run the newer vinindex, or rebuild into another --schema",
				ErrNewerSchema, s.schema, current, to)
		}
		if current == to {
			return nil
		}
		if _, err := tx.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+s.schema); err != nil {
			return fmt.Errorf("create schema %s: %w", s.schema, err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
			version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return fmt.Errorf("schema_version table: %w", err)
		}
		for v := current; v < to; v++ {
			if _, err := tx.Exec(ctx, migrations[v]); err != nil {
				return fmt.Errorf("migration %d of schema %s: %w", v+1, s.schema, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, v+1); err != nil {
				return err
			}
		}
		return nil
	})
}

// schemaVersion is the highest migration applied to schema (0 when it has none).
func schemaVersion(ctx context.Context, tx pgx.Tx, schema string) (int, error) {
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, schema+".schema_version").Scan(&exists); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM `+schema+`.schema_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// Cursor reads where the index stands.
func (s *Store) Cursor(ctx context.Context) (Cursor, error) {
	if err := s.ensure(ctx); err != nil {
		return Cursor{}, err
	}
	var c Cursor
	err := s.conn.QueryRow(ctx, `SELECT chain_id, height FROM index_state`).Scan(&c.ChainID, &c.Height)
	if errors.Is(err, pgx.ErrNoRows) {
		return Cursor{}, nil
	}
	if err != nil {
		return Cursor{}, fmt.Errorf("read last applied height: %w", err)
	}
	return c, nil
}

// Apply writes a block's rows and moves the cursor from prev to height in
// one transaction: either the block and its height are both stored or
// neither is, which is what makes a restart resume exactly after the last
// block applied. The cursor only moves from prev; if it stands elsewhere
// another writer got there first and nothing is written.
func (s *Store) Apply(ctx context.Context, chainID string, prev Cursor, height int64, rows []Row) error {
	if err := s.ensure(ctx); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.conn, func(tx pgx.Tx) error {
		if err := moveCursor(ctx, tx, chainID, prev, height); err != nil {
			return err
		}
		batch := &pgx.Batch{}
		for _, r := range rows {
			batch.Queue(insertSQL(r), r.Vals...)
		}
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return fmt.Errorf("block %d: write rows: %w", height, err)
		}
		return nil
	})
}

// moveCursor sets the last applied height, from prev only.
func moveCursor(ctx context.Context, tx pgx.Tx, chainID string, prev Cursor, height int64) error {
	q, args := `UPDATE index_state SET height = $1, updated_at = now() WHERE chain_id = $2 AND height = $3`, []any{height, chainID, prev.Height}
	if prev.ChainID == "" {
		q, args = `INSERT INTO index_state (chain_id, height) VALUES ($1, $2) ON CONFLICT DO NOTHING`, []any{chainID, height}
	}
	ct, err := tx.Exec(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("block %d: last applied height: %w", height, err)
	}
	if ct.RowsAffected() != 1 {
		return fmt.Errorf("block %d: %w (expected the last applied height to be %d)", height, ErrConcurrentWriter, prev.Height)
	}
	return nil
}

// insertSQL is the INSERT of one row.
func insertSQL(r Row) string {
	params := make([]string, len(r.Cols))
	for i := range params {
		params[i] = fmt.Sprintf("$%d", i+1)
	}
	q := "INSERT INTO " + r.Table + " (" + strings.Join(r.Cols, ", ") + ") VALUES (" + strings.Join(params, ", ") + ")"
	if r.FirstWins {
		q += " ON CONFLICT DO NOTHING"
	}
	return q
}

// FactTables are the tables a block's rows go to: two warehouses of the
// same chain up to the same height hold the same rows in each.
var FactTables = []string{"blocks", "vehicles", "records", "dealer_events", "dealer_bindings", "liens", "lien_releases",
	"lien_refusals", "refused_txs", "assets", "asset_events", "loans", "loan_events", "credit_score_changes", "htlc_events",
	"attestation_events", "sealed_commitments", "sealed_recipients", "evidence_anchors", "encryption_keys", "role_events",
	"genesis_entries"}

// Diff compares every fact table of this schema with the same table in
// schema other (in the same database), row for row with SQL EXCEPT both
// ways, and returns the number of differing rows per table that differs.
func (s *Store) Diff(ctx context.Context, other string) (map[string]int64, error) {
	if !schemaName.MatchString(other) {
		return nil, fmt.Errorf("schema %q: not a schema name", other)
	}
	out := map[string]int64{}
	for _, t := range FactTables {
		a, b := s.schema+"."+t, other+"."+t
		var n int64
		q := `SELECT count(*) FROM ((SELECT * FROM ` + a + ` EXCEPT ALL SELECT * FROM ` + b + `) UNION ALL (SELECT * FROM ` + b + ` EXCEPT ALL SELECT * FROM ` + a + `)) d`
		if err := s.conn.QueryRow(ctx, q).Scan(&n); err != nil {
			return nil, fmt.Errorf("compare %s with %s: %w", a, b, err)
		}
		if n != 0 {
			out[t] = n
		}
	}
	return out, nil
}
