package relayer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/client"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	channelv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"
)

// refusal is a chain's refusal of a tx with a registered error.
func refusal(stage string, err interface {
	Codespace() string
	ABCICode() uint32
},
) *client.ABCIError {
	return &client.ABCIError{Chain: "hub", Stage: stage, Codespace: err.Codespace(), Code: err.ABCICode(), Log: fmt.Sprint(err)}
}

// metricValue reads a counter or gauge.
func metricValue(t *testing.T, c prometheus.Metric) float64 {
	t.Helper()
	var m dto.Metric
	require.NoError(t, c.Write(&m))
	if m.Counter != nil {
		return m.Counter.GetValue()
	}
	return m.Gauge.GetValue()
}

func seqRange(from, to uint64) []uint64 {
	var out []uint64
	for s := from; s <= to; s++ {
		out = append(out, s)
	}
	return out
}

// TestStepBatching: the hub-side worker's batching, bisection and set-aside
// against a fake chain. One refused message must never stall the others.
func TestStepBatching(t *testing.T) {
	testCases := []struct {
		name     string
		packets  int
		maxMsgs  int
		malleate func(hub *fakeChain)
		// wantTxs are the sequences each committed tx received (nil: don't check).
		wantTxs [][]uint64
		// wantReceived are the packets the hub ends up with.
		wantReceived []uint64
		// wantSetAside are packets forgotten until the next clearing pass.
		wantSetAside []uint64
		maxSteps     int
		wantErr      error
	}{
		{
			name: "one tx carries the whole backlog", packets: 10, maxMsgs: 100,
			malleate: func(*fakeChain) {}, wantTxs: [][]uint64{seqRange(1, 10)}, wantReceived: seqRange(1, 10), maxSteps: 1,
		},
		{
			name: "max_msgs_per_tx caps a tx, the client update included", packets: 10, maxMsgs: 5,
			malleate: func(*fakeChain) {},
			wantTxs:  [][]uint64{seqRange(1, 4), seqRange(5, 8), seqRange(9, 10)}, wantReceived: seqRange(1, 10), maxSteps: 3,
		},
		{
			name: "a tx too large halves the batch until it fits", packets: 10, maxMsgs: 100,
			malleate: func(hub *fakeChain) {
				hub.submitErr = func(msgs []sdk.Msg) error {
					if len(msgs) > 4 {
						return fmt.Errorf("chain hub: %w", client.ErrTooLarge)
					}
					return nil
				}
			},
			wantReceived: seqRange(1, 10), maxSteps: 20,
		},
		{
			name: "one refused message in a full batch is bisected out and set aside; the others are received", packets: 20, maxMsgs: 100,
			malleate: func(hub *fakeChain) {
				hub.refuse[13] = refusal("tx ABC", channeltypes.ErrInvalidPacket)
			},
			wantReceived: slices.DeleteFunc(seqRange(1, 20), func(s uint64) bool { return s == 13 }),
			wantSetAside: []uint64{13}, maxSteps: 40,
		},
		{
			name: "a refused first message does not hold back the rest", packets: 8, maxMsgs: 100,
			malleate: func(hub *fakeChain) {
				hub.refuse[1] = refusal("simulation", channeltypes.ErrInvalidPacket)
			},
			wantReceived: seqRange(2, 8), wantSetAside: []uint64{1}, maxSteps: 30,
		},
		{
			name: "a refusal of the tx as a whole (fees) is not bisected: nothing is set aside", packets: 8, maxMsgs: 100,
			malleate: func(hub *fakeChain) {
				hub.submitErr = func([]sdk.Msg) error { return refusal("CheckTx", sdkerrors.ErrInsufficientFee) }
			},
			wantTxs: [][]uint64{}, maxSteps: 10, wantErr: sdkerrors.ErrInsufficientFee,
		},
		{
			name: "packets another relayer delivered are dropped, not relayed twice", packets: 6, maxMsgs: 100,
			malleate: func(hub *fakeChain) {
				hub.received[2], hub.received[5] = true, true
			},
			wantTxs: [][]uint64{{1, 3, 4, 6}}, wantReceived: seqRange(1, 6), maxSteps: 1,
		},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			g := DefaultConfig().Global
			g.MaxMsgsPerTx = tc.maxMsgs
			g.PollInterval = client.Duration{Duration: time.Millisecond}
			r, hub, dealer := fakePath(IBCv2, g)
			tc.malleate(hub)
			dealerSent(r, dealer, tc.packets)

			_, err := runSteps(r, tc.maxSteps)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
			} else {
				require.NoError(t, err)
			}
			if tc.wantTxs != nil {
				require.Equal(t, tc.wantTxs, append([][]uint64{}, hub.recvsPerTx()...))
			}
			var got []uint64
			for s := range hub.received {
				got = append(got, s)
			}
			slices.Sort(got)
			require.Equal(t, tc.wantReceived, got)
			recv, _ := r.Backlog()
			if tc.wantErr == nil {
				require.Zero(t, recv, "nothing left waiting in this pass")
			}
			require.Equal(t, float64(len(tc.wantSetAside)), metricValue(t, r.m.Errors.WithLabelValues("hub", "packet_set_aside")))
		})
	}
}

// TestRefreshIdleClient: with nothing to relay, a client with less than
// refresh_fraction of its trusting period left is updated; one with more
// is left alone, and the expiry gauge shows what is left.
func TestRefreshIdleClient(t *testing.T) {
	testCases := []struct {
		name       string
		malleate   func(hub *fakeChain)
		wantUpdate bool
	}{
		{"fresh client: no update", func(*fakeChain) {}, false},
		{"a third of the trusting period left: updated", func(hub *fakeChain) { hub.clientLeft = hub.trusting / 4 }, true},
		{"client already at the latest height: nothing to send", func(hub *fakeChain) {
			hub.clientLeft, hub.clientHeight = hub.trusting/4, 1000
		}, false},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			r, hub, _ := fakePath(IBCv2, DefaultConfig().Global)
			tc.malleate(hub)
			_, err := stepAndSettle(r, 0)
			require.NoError(t, err)
			require.Equal(t, tc.wantUpdate, len(hub.committed) == 1, "%d txs", len(hub.committed))
			require.Equal(t, hub.clientLeft.Seconds(), metricValue(t, r.m.ClientExpiry.WithLabelValues("hub", "07-tendermint-0")))
		})
	}
}

// TestStepChecksChannel: a v1 path relays only on an OPEN, UNORDERED
// channel of a connection without delay period; anything else is an error
// that says why, and nothing is submitted.
func TestStepChecksChannel(t *testing.T) {
	testCases := []struct {
		name     string
		malleate func(hub *fakeChain)
		wantErr  string
	}{
		{"open unordered channel, no delay", func(*fakeChain) {}, ""},
		{"closed channel", func(hub *fakeChain) { hub.chanState.State = channeltypes.CLOSED }, "is STATE_CLOSED, not OPEN"},
		{"channel still in handshake", func(hub *fakeChain) { hub.chanState.State = channeltypes.TRYOPEN }, "not OPEN"},
		{"ordered channel", func(hub *fakeChain) { hub.chanState.Ordering = channeltypes.ORDERED }, "UNORDERED channels only"},
		{"connection delay period", func(hub *fakeChain) { hub.delay = 30 * time.Second }, "30s delay period"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			r, hub, dealer := fakePath(IBCv1, DefaultConfig().Global)
			tc.malleate(hub)
			dealerSent(r, dealer, 3)
			_, err := stepAndSettle(r, 0)
			if tc.wantErr == "" {
				require.NoError(t, err)
				require.Len(t, hub.received, 3)
				return
			}
			require.ErrorContains(t, err, tc.wantErr)
			require.Empty(t, hub.committed)
		})
	}
}

// stepWithin runs one step of worker 0, failing the test if it blocks: a
// pipelined step broadcasts and returns without waiting for the commit.
func stepWithin(t *testing.T, r *PathRelayer) bool {
	t.Helper()
	type result struct {
		more bool
		err  error
	}
	done := make(chan result, 1)
	go func() {
		more, err := r.step(context.Background(), 0)
		done <- result{more, err}
	}()
	select {
	case res := <-done:
		require.NoError(t, res.err)
		return res.more
	case <-time.After(2 * time.Second):
		t.Fatal("step blocked on an uncommitted tx")
		return false
	}
}

// entered is what the fake hub has seen broadcast: the received sequences of each tx.
func (c *fakeChain) enteredRecvs() [][]uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out [][]uint64
	for _, tx := range c.entered {
		var seqs []uint64
		for _, m := range tx {
			if s, recv := packetSeq(m); recv {
				seqs = append(seqs, s)
			}
		}
		out = append(out, seqs)
	}
	return out
}

// TestInflightWindow: a worker keeps up to max_inflight_txs relay txs in
// flight without waiting for commits, each with other packets; a full
// window sends nothing more until a tx settles; every packet is received
// exactly once.
func TestInflightWindow(t *testing.T) {
	g := DefaultConfig().Global
	g.MaxMsgsPerTx, g.MaxInflightTxs = 3, 3 // 2 packets per tx
	r, hub, dealer := fakePath(IBCv2, g)
	hub.gate = make(chan struct{})
	dealerSent(r, dealer, 10)

	require.True(t, stepWithin(t, r), "room for more")
	require.True(t, stepWithin(t, r))
	require.False(t, stepWithin(t, r), "window full")
	require.False(t, stepWithin(t, r), "window full: nothing sent")
	require.Eventually(t, func() bool { return len(hub.enteredRecvs()) == 3 }, time.Second, time.Millisecond)
	require.Equal(t, [][]uint64{{1, 2}, {3, 4}, {5, 6}}, hub.enteredRecvs(), "three txs in flight, none sharing a packet")

	hub.gate <- struct{}{} // the first commits
	require.Eventually(t, func() bool {
		r.wmu[0].Lock()
		defer r.wmu[0].Unlock()
		return r.inflight[0] == 2
	}, time.Second, time.Millisecond)
	stepWithin(t, r)
	require.Eventually(t, func() bool { return len(hub.enteredRecvs()) == 4 }, time.Second, time.Millisecond)
	require.Equal(t, []uint64{7, 8}, hub.enteredRecvs()[3], "a settled slot carries the next packets")

	close(hub.gate)
	_, err := runSteps(r, 10)
	require.NoError(t, err)
	require.Len(t, hub.received, 10)
	require.Zero(t, metricValue(t, r.m.Redundant.WithLabelValues("hub-a", "hub")), "no packet sent twice")
}

// TestProofsQueriedConcurrently: a batch's proofs are queried several at a
// time (at most proofQueries), each message gets its own packet's proof,
// and a failed query fails the step with nothing submitted.
func TestProofsQueriedConcurrently(t *testing.T) {
	r, hub, dealer := fakePath(IBCv2, DefaultConfig().Global)
	dealer.proveDelay = 20 * time.Millisecond
	dealerSent(r, dealer, 40)
	start := time.Now()
	_, err := runSteps(r, 1)
	require.NoError(t, err)
	require.Len(t, hub.received, 40)
	require.Equal(t, proofQueries, dealer.maxProving)
	require.Less(t, time.Since(start), 40*dealer.proveDelay/2, "not one query after the other")
	for _, m := range hub.committed[0][1:] {
		recv := m.(*channelv2.MsgRecvPacket)
		require.Contains(t, string(recv.ProofCommitment), fmt.Sprintf("%x", r.ends[1].commitmentKey(recv.Packet.Sequence)))
	}

	r, hub, dealer = fakePath(IBCv2, DefaultConfig().Global)
	dealer.proveErr = errors.New("abci_query: height 99 pruned")
	dealerSent(r, dealer, 20)
	_, err = runSteps(r, 1)
	require.ErrorContains(t, err, "height 99 pruned")
	require.Empty(t, hub.entered)
}
