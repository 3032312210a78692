package vehicle_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	anchortypes "github.com/vinhub/vinhub/x/anchor/types"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// TestIBCRecordEvidenceAnchoredOnHub: a dealer chain's record with an
// evidence hash is accepted by the hub, which anchors the hash under the
// dealer chain's reporter (IBC records have no hub reporter). The dealer
// chain runs no x/anchor and anchors nothing itself.
func TestIBCRecordEvidenceAnchoredOnHub(t *testing.T) {
	forEachVersion(t, func(t *testing.T, l *link) {
		l.bind()
		in := mileage(vinA, 41_000, 3)
		in.EvidenceHash = bytes.Repeat([]byte{0xe1}, 32)
		ack := l.relay(l.record(in))
		results := ack.GetRecordBatch().GetResults()
		require.Len(t, results, 1)
		require.Equal(t, types.RECORD_OUTCOME_ACCEPTED, results[0].Outcome, results[0].Reason)

		a, err := l.hubApp.AnchorKeeper.Get(l.hub.GetContext(), in.EvidenceHash)
		require.NoError(t, err)
		require.Equal(t, anchortypes.EVIDENCE_KIND_RECORD_EVIDENCE, a.Kind)
		require.Equal(t, vinA, a.Vin)
		require.Equal(t, l.dealer.SenderAccount.GetAddress().String(), a.Submitter)
		require.Equal(t, "vehicle/record/1", a.Source)
	})
}
