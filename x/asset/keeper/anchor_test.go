package keeper_test

import (
	"bytes"
	"encoding/hex"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	anchortypes "github.com/vinhub/vinhub/x/anchor/types"
	"github.com/vinhub/vinhub/x/asset/types"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

func (f *fixture) anchoring(t *testing.T, hexHash string) anchortypes.Anchoring {
	t.Helper()
	h, err := hex.DecodeString(hexHash)
	require.NoError(t, err)
	a, err := f.anchors.Get(f.ctx, h)
	require.NoError(t, err)
	return a
}

// Accepted evidence hashes of records, applications and valuations are
// anchored where they were accepted; a hash anchored before keeps its first
// anchoring; a refused message anchors nothing.
func TestEvidenceAnchoredOnAcceptance(t *testing.T) {
	f := setup(t)
	reportHash := bytes.Repeat([]byte{0xcd}, 32)
	_, err := f.vehicle.RecordBatch(f.ctx, "acme", reporter, []vehicletypes.RecordInput{{
		Vin: carVIN, Kind: vehicletypes.RECORD_KIND_INSPECTION, OdometerKm: 42_100, OccurredAt: start, EvidenceHash: reportHash,
	}})
	require.NoError(t, err)
	rec := f.anchoring(t, hex.EncodeToString(reportHash))
	require.Equal(t, anchortypes.EVIDENCE_KIND_RECORD_EVIDENCE, rec.Kind)
	require.Equal(t, carVIN, rec.Vin)
	require.Equal(t, reporter.String(), rec.Submitter)
	require.Equal(t, "vehicle/record/2", rec.Source)

	id := f.applyCar(t)
	app := f.anchoring(t, hash1)
	require.Equal(t, anchortypes.Anchoring{Sha256: app.Sha256, Kind: anchortypes.EVIDENCE_KIND_ASSET_DOCUMENT, Vin: carVIN,
		Submitter: owner.String(), Height: 10, AnchoredAt: start, Source: "asset/1/application"}, app)

	// A refused approval (the examiner lost the role) anchors nothing.
	require.NoError(t, f.roles.RevokeRole(f.ctx, examiner, membershiptypes.ROLE_EXAMINER))
	_, err = f.msgs.Approve(f.ctx, &types.MsgApprove{Examiner: examiner.String(), AssetId: id, Valuation: coin(50_000), EvidenceHash: hash2})
	require.ErrorIs(t, err, membershiptypes.ErrMissingRole)
	h2, _ := hex.DecodeString(hash2)
	_, err = f.anchors.Get(f.ctx, h2)
	require.ErrorIs(t, err, anchortypes.ErrNotAnchored)
	require.NoError(t, f.roles.GrantRole(f.ctx, examiner, membershiptypes.ROLE_EXAMINER, "back"))

	f.advance(time.Hour)
	_, err = f.msgs.Approve(f.ctx, &types.MsgApprove{Examiner: examiner.String(), AssetId: id, Valuation: coin(50_000), EvidenceHash: hash2})
	require.NoError(t, err)
	val := f.anchoring(t, hash2)
	require.Equal(t, anchortypes.EVIDENCE_KIND_VALUATION_REPORT, val.Kind)
	require.Equal(t, "asset/1/valuation/0", val.Source)
	require.Equal(t, int64(11), val.Height)

	// Revaluing on the application's document keeps the application's anchoring.
	f.advance(time.Hour)
	_, err = f.msgs.Revalue(f.ctx, &types.MsgRevalue{Examiner: examiner.String(), AssetId: id, Valuation: coin(48_000), EvidenceHash: hash1})
	require.NoError(t, err)
	require.Equal(t, app, f.anchoring(t, hash1))
	f.check(t)
}
