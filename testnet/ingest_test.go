package testnet

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/client"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// TestIngestRecordsArePlausible: the ingestion benchmark's records are
// valid, dated in the past, and each car's readings rise no faster than the
// hub's default odometer ceiling allows, so the hub flags none of them and
// the benchmark measures a record's common path. (Its records once advanced
// a second per km: every car's second record onward was flagged implausible.)
func TestIngestRecordsArePlausible(t *testing.T) {
	params := vehicletypes.DefaultParams()
	for _, tc := range []struct {
		signers int
		scatter bool
	}{{1, false}, {2, false}, {3, false}, {2, true}, {3, true}} {
		signers := tc.signers
		l := &IngestLoad{Signers: make([]*client.Chain, signers), VINs: 10_000, FirstVIN: IngestFirstVIN, Scatter: tc.scatter}
		last := map[string]vehicletypes.RecordInput{}
		for s := range signers {
			// Three passes over the signer's share of cars, then its last
			// record of three million.
			for _, n := range append(rangeOf(0, 3*l.VINs/signers+7), 3_000_000) {
				in := l.record(s, n, "")
				_, err := in.Validate("bench")
				require.NoError(t, err, "signer %d record %d", s, n)
				require.True(t, in.OccurredAt.Before(time.Now()), "signer %d record %d dated %s", s, n, in.OccurredAt)
				prev, seen := last[in.Vin]
				last[in.Vin] = in
				if !seen {
					continue
				}
				require.GreaterOrEqual(t, in.OdometerKm, prev.OdometerKm, "%d signers: %s rolls back", signers, in.Vin)
				ceiling := params.OdometerCeiling(prev.OdometerKm, in.OccurredAt.Sub(prev.OccurredAt))
				require.LessOrEqual(t, in.OdometerKm, ceiling, "%d signers: %s's reading %d km after %d km %s earlier is implausible",
					signers, in.Vin, in.OdometerKm, prev.OdometerKm, in.OccurredAt.Sub(prev.OccurredAt))
			}
		}
		require.Len(t, last, l.VINs/signers*signers, "%d signers share the cars", signers)
	}
}

func rangeOf(from, to int) []int {
	out := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

// TestIngestScatter: a scattered pass still visits every car of a signer's
// share exactly once, and consecutive records are about cars far apart.
func TestIngestScatter(t *testing.T) {
	for _, n := range []int{1, 2, 7, 5_000, 33_333, 50_000} {
		seen := make(map[int]bool, n)
		for i := range n {
			j := scatter(i, n)
			require.True(t, j >= 0 && j < n, "scatter(%d, %d) = %d", i, n, j)
			require.False(t, seen[j], "scatter(_, %d) visits %d twice", n, j)
			seen[j] = true
			if n >= 5_000 && i > 0 {
				gap := j - scatter(i-1, n)
				require.Greater(t, max(gap, -gap), n/10, "consecutive cars %d and %d of %d", scatter(i-1, n), j, n)
			}
		}
	}
}

// TestBlocksSpanCountsEachBlocksExecution models a one-validator CometBFT
// chain: block h+1 carries the time block h was decided (its precommit,
// cast before h runs), and h+1 is proposed once h has run and
// timeout_commit, counted from h's decision, has passed. A phase's span must then hold the execution of
// each of its blocks, whatever their number. (The rule before, from the
// first block's time to the next one's after the last, gave a one-block
// phase another block's execution instead of its own: a block of 20,000
// batched records taking 6 s measured as 1 s.)
func TestBlocksSpanCountsEachBlocksExecution(t *testing.T) {
	const (
		timeoutCommit = time.Second
		vote          = 20 * time.Millisecond // proposing, prevoting, precommitting
	)
	for _, tc := range []struct {
		name        string
		first, last int64
		exec        map[int64]time.Duration // block execution; 10 ms when not given
	}{
		{name: "one heavy block", first: 5, last: 5, exec: map[int64]time.Duration{5: 6 * time.Second}},
		{name: "heavy first of three", first: 5, last: 7, exec: map[int64]time.Duration{5: 6 * time.Second, 6: 2 * time.Second}},
		{name: "heavy last of three", first: 5, last: 7, exec: map[int64]time.Duration{7: 6 * time.Second}},
		{name: "heavy block before the phase", first: 5, last: 6, exec: map[int64]time.Duration{4: 9 * time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			execOf := func(h int64) time.Duration {
				if d, ok := tc.exec[h]; ok {
					return d
				}
				return 10 * time.Millisecond
			}
			// decided[h]: when block h got its precommit; block h+1's time.
			genesis := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
			decided := map[int64]time.Time{0: genesis}
			for h := int64(1); h <= tc.last+2; h++ {
				decided[h] = decided[h-1].Add(max(execOf(h-1), timeoutCommit) + vote)
			}
			blockTime := func(h int64) (time.Time, error) { return decided[h-1], nil }

			var want time.Duration
			for h := tc.first; h <= tc.last; h++ {
				want += max(execOf(h), timeoutCommit) + vote
			}
			got, err := blocksSpan(tc.first, tc.last, blockTime)
			require.NoError(t, err)
			require.Equal(t, want, got)
		})
	}
}
