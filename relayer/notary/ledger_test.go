package notary_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/relayer/notary"
	"github.com/vinhub/vinhub/testnet/pgnode"
	"github.com/vinhub/vinhub/x/notary/types"
	vehicletestutil "github.com/vinhub/vinhub/x/vehicle/testutil"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// TestLedgerSourceReadsCommittedRows runs a dealer's ledger in a real
// PostgreSQL: committed rows become observations in order, a row still in
// an open transaction is not seen, and a bad row is reported, not signed.
func TestLedgerSourceReadsCommittedRows(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pg, err := pgnode.Start(ctx)
	require.NoError(t, err)
	defer pg.Stop()
	dealer, err := pg.OpenDatabase(ctx, "acme", notary.LedgerTable)
	require.NoError(t, err)
	defer dealer.Close(ctx)

	vin := vehicletestutil.VIN(5)
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	insert := `INSERT INTO vinhub_ledger (record_ref, vin, kind, odometer_km, occurred_at, location, description, evidence_hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	_, err = dealer.Exec(ctx, insert, "inv-1001", vin, "service", 61000, at, "Springfield", "annual service", strings.Repeat("ab", 32))
	require.NoError(t, err)
	_, err = dealer.Exec(ctx, insert, "inv-1002", vin, "teleport", 61500, at.Add(time.Hour), "", "", "")
	require.NoError(t, err)
	// A row whose transaction has not committed is not final.
	open, err := dealer.Begin(ctx)
	require.NoError(t, err)
	_, err = open.Exec(ctx, insert, "inv-1003", vin, "mileage", 62000, at.Add(2*time.Hour), "", "", "")
	require.NoError(t, err)

	src, err := notary.OpenLedger(ctx, "acme-sql-1", pg.DSN("acme"))
	require.NoError(t, err)
	defer src.Close(ctx)
	rows, err := src.Rows(ctx, 0)
	require.NoError(t, err)
	require.Len(t, rows, 2)

	obs := rows[0].Observation
	require.NoError(t, rows[0].Err)
	require.Equal(t, types.PLATFORM_LEDGER, obs.Platform)
	require.Equal(t, "acme-sql-1", obs.NetworkId)
	require.Equal(t, "inv-1001", obs.TxRef)
	rec := obs.GetVehicleRecord().Record
	require.Equal(t, vehicletypes.RECORD_KIND_SERVICE, rec.Kind)
	require.EqualValues(t, 61000, rec.OdometerKm)
	require.True(t, rec.OccurredAt.Equal(at))
	require.Len(t, rec.EvidenceHash, 32)
	require.NoError(t, obs.Validate())

	require.ErrorContains(t, rows[1].Err, `unknown kind "teleport"`)

	require.NoError(t, open.Commit(ctx))
	rows, err = src.Rows(ctx, rows[1].Seq)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	require.Equal(t, "inv-1003", rows[0].Observation.TxRef)

	// The same row read twice is the same observation: every notary signs
	// the same digest for it.
	again, err := src.Rows(ctx, 0)
	require.NoError(t, err)
	a, _ := again[0].Observation.Hash()
	b, _ := obs.Hash()
	require.Equal(t, a, b)
}

func TestSignerRoundTrip(t *testing.T) {
	s, err := notary.NewSigner()
	require.NoError(t, err)
	back, err := notary.ParseSigner(s.String())
	require.NoError(t, err)
	require.Equal(t, s.PubKeyHex(), back.PubKeyHex())
	obs := types.Observation{Platform: types.PLATFORM_LEDGER, NetworkId: "l", TxRef: "r", Time: time.Unix(1, 0).UTC(),
		Payload: &types.Observation_VehicleRecord{VehicleRecord: &types.VehicleRecord{}}}
	sig, err := s.Sign(obs, 2)
	require.NoError(t, err)
	digest, err := types.Digest(obs, 2)
	require.NoError(t, err)
	require.NoError(t, types.VerifySignature(back.PubKey(), digest, sig))
	_, err = notary.ParseSigner("abcd")
	require.Error(t, err)
}
