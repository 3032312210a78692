package testnet

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cometbft/cometbft/mempool"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
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

// droppingMempool plays a node's mempool and check state for one signer,
// as CometBFT and the SDK behave when the mempool fills between its two
// room checks: CheckTx accepts the transaction of sequence drop and counts
// its sequence, but the mempool drops it. A block is committed after every
// blockEvery accepted broadcasts: it delivers its transactions in order,
// those behind a missing sequence fail on it (and leave the cache), and
// the check state is reset to the chain's sequence.
type droppingMempool struct {
	drop       uint64 // the sequence accepted and dropped, once
	dropped    bool
	blockEvery int

	check, chain uint64 // the check state's and the chain's next sequence
	pool         []uint64
	inCache      map[uint64]bool
	accepted     int
	delivered    []uint64 // what blocks committed, in order
	failed       int
}

func (m *droppingMempool) broadcast(_ context.Context, tx cmttypes.Tx) (*coretypes.ResultBroadcastTx, error) {
	seq, err := TxSequence(tx)
	if err != nil {
		return nil, err
	}
	if m.inCache[seq] {
		return nil, mempool.ErrTxInCache
	}
	if seq != m.check {
		wrong := sdkerrors.ErrWrongSequence
		return &coretypes.ResultBroadcastTx{Codespace: wrong.Codespace(), Code: wrong.ABCICode(),
			Log: fmt.Sprintf("account sequence mismatch, expected %d, got %d: incorrect account sequence", m.check, seq)}, nil
	}
	m.check++
	if seq == m.drop && !m.dropped {
		m.dropped = true
		return &coretypes.ResultBroadcastTx{}, nil
	}
	m.inCache[seq] = true
	m.pool = append(m.pool, seq)
	if m.accepted++; m.accepted%m.blockEvery == 0 {
		m.commit()
	}
	return &coretypes.ResultBroadcastTx{}, nil
}

func (m *droppingMempool) commit() {
	for _, seq := range m.pool {
		if seq != m.chain {
			m.failed++
			delete(m.inCache, seq)
			continue
		}
		m.chain++
		m.delivered = append(m.delivered, seq)
	}
	m.pool, m.check = nil, m.chain
}

// signedAt is a transaction signed with sequence seq, as far as the load
// reads one.
func signedAt(t *testing.T, seq uint64) []byte {
	auth, err := (&txtypes.AuthInfo{SignerInfos: []*txtypes.SignerInfo{{Sequence: seq}}}).Marshal()
	require.NoError(t, err)
	tx, err := (&txtypes.TxRaw{BodyBytes: []byte{byte(seq)}, AuthInfoBytes: auth, Signatures: [][]byte{{1}}}).Marshal()
	require.NoError(t, err)
	return tx
}

// TestFireSendsAgainWhatTheNodeDropped: when the node drops a transaction
// CheckTx accepted (the twenty-eighth run broke on the "account sequence
// mismatch" that follows a lost one), the load goes back to it, and every
// transaction is committed exactly once, in sequence order. A mismatch it
// did not cause is an error that names the sequences.
func TestFireSendsAgainWhatTheNodeDropped(t *testing.T) {
	const first, n = 7, 40
	txs := make([][]byte, n)
	for i := range txs {
		txs[i] = signedAt(t, first+uint64(i))
	}
	for _, tc := range []struct {
		name       string
		drop       uint64
		blockEvery int
	}{
		{"dropped at the start", first, 5},
		{"dropped mid-block", first + 12, 5},
		{"dropped as a block ends", first + 14, 5},
		{"last dropped", first + n - 1, 5},
		{"one tx per block", first + 20, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &droppingMempool{drop: tc.drop, blockEvery: tc.blockEvery, check: first, chain: first, inCache: map[uint64]bool{}}
			resent, err := fireSigner(t.Context(), "hub", m.broadcast, txs, time.Now(), 0)
			if tc.drop == first+n-1 {
				// Nothing follows the last to expose its loss: the load
				// cannot tell, the benchmark's count says it.
				require.NoError(t, err)
				require.Zero(t, resent)
				return
			}
			require.NoError(t, err)
			m.commit()
			want := make([]uint64, n)
			for i := range want {
				want[i] = first + uint64(i)
			}
			require.Equal(t, want, m.delivered, "every transaction committed once, in order")
			require.Positive(t, resent)
		})
	}

	t.Run("a mismatch the load did not cause", func(t *testing.T) {
		// Another client used the account: the chain expects a sequence past
		// every one sent.
		m := &droppingMempool{drop: 1 << 62, blockEvery: 5, check: first + 3, chain: first + 3, inCache: map[uint64]bool{}}
		_, err := fireSigner(t.Context(), "hub", m.broadcast, txs, time.Now(), 0)
		require.ErrorIs(t, err, sdkerrors.ErrWrongSequence)
		require.ErrorContains(t, err, "tx 1 of 40 (sequence 7)")
		require.ErrorContains(t, err, "chain hub")
		require.Empty(t, m.delivered)
	})
}

// TestTxSequence reads the sequence a transaction was signed with, and
// says what is wrong with bytes that are not a signed transaction.
func TestTxSequence(t *testing.T) {
	seq, err := TxSequence(signedAt(t, 42))
	require.NoError(t, err)
	require.Equal(t, uint64(42), seq)
	_, err = TxSequence([]byte("not a tx"))
	require.ErrorContains(t, err, "decode tx")
	noSigner, err := (&txtypes.TxRaw{}).Marshal()
	require.NoError(t, err)
	_, err = TxSequence(noSigner)
	require.ErrorContains(t, err, "no signer")
}
