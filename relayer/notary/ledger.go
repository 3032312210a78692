package notary

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vinhub/vinhub/x/notary/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// LedgerTable is the table a dealer without a blockchain exposes to the
// notaries (docs/notary.md, "A dealer's ledger"). A row is final once its
// transaction commits; the notary reads committed rows only.
const LedgerTable = `CREATE TABLE IF NOT EXISTS vinhub_ledger (
	seq           bigserial   PRIMARY KEY,
	record_ref    text        NOT NULL UNIQUE,
	vin           text        NOT NULL,
	kind          text        NOT NULL,
	odometer_km   bigint      NOT NULL DEFAULT 0 CHECK (odometer_km >= 0),
	occurred_at   timestamptz NOT NULL,
	location      text        NOT NULL DEFAULT '',
	description   text        NOT NULL DEFAULT '',
	evidence_hash text        NOT NULL DEFAULT '',
	committed_at  timestamptz NOT NULL DEFAULT now()
)`

// ledgerLookback is how many rows below the highest sequence seen are read
// again on every poll: a bigserial is drawn when a row is inserted, not when
// its transaction commits, so a lower sequence may become visible after a
// higher one. Rows already handled are skipped without a hub query.
const ledgerLookback = 100

// ledgerBatch bounds the rows read per poll.
const ledgerBatch = 500

// LedgerSource reads a dealer's ledger table in PostgreSQL.
type LedgerSource struct {
	// ID is the ledger id governance bound to the dealer (MsgBindLedger).
	ID   string
	conn *pgx.Conn
}

// OpenLedger connects to the ledger's database.
func OpenLedger(ctx context.Context, id, dsn string) (*LedgerSource, error) {
	if err := types.ValidateLedgerID(id); err != nil {
		return nil, err
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("ledger %s: connect: %w", id, err)
	}
	return &LedgerSource{ID: id, conn: conn}, nil
}

// Close ends the connection.
func (l *LedgerSource) Close(ctx context.Context) error { return l.conn.Close(ctx) }

// Name is "ledger/<id>".
func (l *LedgerSource) Name() string { return "ledger/" + l.ID }

// Lookback is ledgerLookback: a lower sequence may commit after a higher one.
func (l *LedgerSource) Lookback() int64 { return ledgerLookback }

// Read is Rows; it read through the last row returned.
func (l *LedgerSource) Read(ctx context.Context, from int64) ([]Observed, int64, error) {
	rows, err := l.Rows(ctx, from)
	if err != nil || len(rows) == 0 {
		return nil, from, err
	}
	return rows, rows[len(rows)-1].Seq, nil
}

// Observed is one event of a source as an observation, or why it cannot
// be one.
type Observed struct {
	// Seq is the event's position in its source (a ledger row's sequence,
	// a Stellar operation id).
	Seq         int64
	Observation types.Observation
	// Err says why the event is not a valid observation (it is never signed).
	Err error
}

// Rows returns the committed rows with seq above from, in order, at most
// ledgerBatch of them.
func (l *LedgerSource) Rows(ctx context.Context, from int64) ([]Observed, error) {
	rows, err := l.conn.Query(ctx, `SELECT seq, record_ref, vin, kind, odometer_km, occurred_at, location, description,
		evidence_hash, committed_at FROM vinhub_ledger WHERE seq > $1 ORDER BY seq LIMIT $2`, from, ledgerBatch)
	if err != nil {
		return nil, fmt.Errorf("ledger %s: read rows: %w", l.ID, err)
	}
	defer rows.Close()
	var out []Observed
	for rows.Next() {
		var (
			r                                   Observed
			ref, vin, kind, loc, desc, evidence string
			km                                  int64
			occurred, committed                 time.Time
		)
		if err := rows.Scan(&r.Seq, &ref, &vin, &kind, &km, &occurred, &loc, &desc, &evidence, &committed); err != nil {
			return nil, fmt.Errorf("ledger %s: read row: %w", l.ID, err)
		}
		r.Observation, r.Err = l.observation(r.Seq, ref, vin, kind, km, occurred, loc, desc, evidence, committed)
		out = append(out, r)
	}
	return out, rows.Err()
}

// observation turns a row into the canonical observation, validated as
// the hub will validate it.
func (l *LedgerSource) observation(seq int64, ref, vin, kind string, km int64, occurred time.Time, loc, desc, evidence string, committed time.Time) (types.Observation, error) {
	k, ok := vehicletypes.RecordKind_value["RECORD_KIND_"+strings.ToUpper(strings.TrimSpace(kind))]
	if !ok || k == 0 {
		return types.Observation{}, fmt.Errorf("row %d (%s): unknown kind %q (SERVICE, MILEAGE, DAMAGE, ...)", seq, ref, kind)
	}
	var hash []byte
	if evidence != "" {
		b, err := hex.DecodeString(evidence)
		if err != nil {
			return types.Observation{}, fmt.Errorf("row %d (%s): evidence_hash is not hex: %w", seq, ref, err)
		}
		hash = b
	}
	obs := types.Observation{Platform: types.PLATFORM_LEDGER, NetworkId: l.ID, TxRef: ref, Height: uint64(seq),
		Time: committed.UTC().Truncate(time.Microsecond),
		Payload: &types.Observation_VehicleRecord{VehicleRecord: &types.VehicleRecord{Record: vehicletypes.RecordInput{
			Vin: strings.TrimSpace(vin), Kind: vehicletypes.RecordKind(k), OdometerKm: uint64(km),
			OccurredAt: occurred.UTC(), Location: loc, Description: desc, EvidenceHash: hash,
		}}}}
	if err := obs.Validate(); err != nil {
		return types.Observation{}, fmt.Errorf("row %d (%s): %w", seq, ref, err)
	}
	return obs, nil
}
