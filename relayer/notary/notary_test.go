package notary_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	errorsmod "cosmossdk.io/errors"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/client"
	"github.com/vinhub/vinhub/relayer/notary"
	"github.com/vinhub/vinhub/x/notary/types"
)

// fakeHub is the hub as a notary sees it: MsgAttest transactions that are
// all-or-nothing (one refused message refuses the tx and changes nothing),
// refused with x/notary's registered codes, and the two queries a notary
// asks. Each source event has one observation; `others` signatures of other
// members are already on every event, so this notary's makes it final
// when others+1 reaches the threshold.
type fakeHub struct {
	types.QueryClient // the queries a notary does not ask panic

	mu        sync.Mutex
	signer    string
	set       types.NotarySet
	others    int
	maxMsgs   int              // a tx with more messages is too large
	refuse    map[string]error // source key -> a refusal of its message
	atts      map[string]*types.Attestation
	txs       [][]string // committed txs: the source keys of their messages
	submitted int        // Submit calls, refused ones included
}

func newFakeHub(t *testing.T, s notary.Signer, others int) *fakeHub {
	t.Helper()
	return &fakeHub{signer: "cosmos1notary", others: others, maxMsgs: 1000, refuse: map[string]error{}, atts: map[string]*types.Attestation{},
		set: types.NotarySet{Version: 1, Threshold: 3, Members: []types.Member{{Operator: "cosmos1notary", Pubkey: s.PubKey()}}}}
}

func (h *fakeHub) Signer() string { return h.signer }

// refusal is how client.Chain reports a refused tx.
func refusal(err *errorsmod.Error) error {
	return &client.ABCIError{Chain: "hub", Stage: "simulation", Codespace: err.Codespace(), Code: err.ABCICode(), Log: "message index: ?: " + err.Error()}
}

func (h *fakeHub) Submit(_ context.Context, msgs ...sdk.Msg) (client.TxResult, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.submitted++
	if len(msgs) > h.maxMsgs {
		return client.TxResult{}, fmt.Errorf("chain hub: %w: it needs too much gas", client.ErrTooLarge)
	}
	var keys []string
	for _, m := range msgs {
		msg := m.(*types.MsgAttest)
		key := msg.Observation.SourceKey()
		if err, ok := h.refuse[key]; ok {
			return client.TxResult{}, err
		}
		if a := h.atts[key]; a != nil {
			if a.Status == types.ATTESTATION_STATUS_EXECUTED {
				return client.TxResult{}, refusal(types.ErrAlreadyFinal)
			}
			for _, s := range a.Signatures {
				if s.Operator == msg.Notary {
					return client.TxResult{}, refusal(types.ErrDuplicateSigner)
				}
			}
		}
		keys = append(keys, key)
	}
	for _, m := range msgs {
		h.sign(m.(*types.MsgAttest).Observation, m.(*types.MsgAttest).Notary)
	}
	h.txs = append(h.txs, keys)
	return client.TxResult{Height: int64(len(h.txs))}, nil
}

// sign adds a signature (the others' first), executing at the threshold.
func (h *fakeHub) sign(obs types.Observation, operator string) {
	a := h.atts[obs.SourceKey()]
	if a == nil {
		a = &types.Attestation{Observation: obs, Status: types.ATTESTATION_STATUS_PENDING}
		for i := range h.others {
			a.Signatures = append(a.Signatures, types.Signature{Operator: fmt.Sprintf("cosmos1other%d", i)})
		}
		h.atts[obs.SourceKey()] = a
	}
	a.Signatures = append(a.Signatures, types.Signature{Operator: operator})
	if uint32(len(a.Signatures)) >= h.set.Threshold {
		a.Status = types.ATTESTATION_STATUS_EXECUTED
	}
}

// finalByOthers makes an event final without this notary (the other
// members got there first).
func (h *fakeHub) finalByOthers(obs types.Observation) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.atts[obs.SourceKey()] = &types.Attestation{Observation: obs, Status: types.ATTESTATION_STATUS_EXECUTED}
}

func (h *fakeHub) CurrentSet(context.Context, *types.QueryCurrentSetRequest, ...grpc.CallOption) (*types.QuerySetResponse, error) {
	return &types.QuerySetResponse{Set: h.set}, nil
}

func (h *fakeHub) AttestationsBySource(_ context.Context, req *types.QueryAttestationsBySourceRequest, _ ...grpc.CallOption) (*types.QueryAttestationsResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	key := types.Observation{Platform: req.Platform, NetworkId: req.NetworkId, TxRef: req.TxRef, Index: req.Index}.SourceKey()
	res := &types.QueryAttestationsResponse{}
	if a := h.atts[key]; a != nil {
		res.Attestations = append(res.Attestations, *a)
	}
	return res, nil
}

// committedTxs counts the committed transactions and this notary's
// signatures per event in them.
func (h *fakeHub) committedTxs() (int, map[string]int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	per := map[string]int{}
	for _, tx := range h.txs {
		for _, k := range tx {
			per[k]++
		}
	}
	return len(h.txs), per
}

// fakeSource serves a fixed list of events at positions 1..n.
type fakeSource struct {
	ledger string
	events []notary.Observed
}

func (s *fakeSource) Name() string    { return "ledger/" + s.ledger }
func (s *fakeSource) Lookback() int64 { return 0 }
func (s *fakeSource) Read(_ context.Context, from int64) ([]notary.Observed, int64, error) {
	var out []notary.Observed
	for _, e := range s.events {
		if e.Seq > from {
			out = append(out, e)
		}
	}
	return out, int64(len(s.events)), nil
}

func ledgerEvents(n int) *fakeSource { return ledgerRows("acme-sql-1", n) }

func ledgerRows(ledger string, n int) *fakeSource {
	src := &fakeSource{ledger: ledger}
	for i := 1; i <= n; i++ {
		src.events = append(src.events, notary.Observed{Seq: int64(i), Observation: types.Observation{Platform: types.PLATFORM_LEDGER,
			NetworkId: ledger, TxRef: fmt.Sprintf("inv-%d", i), Height: uint64(i), Time: time.Date(2026, 5, 1, 9, 0, i, 0, time.UTC)}})
	}
	return src
}

// attestPoll is one poll of the source by a notary with signer s on hub h.
func attestPoll(t *testing.T, h *fakeHub, s notary.Signer, home string, src notary.Source, maxPerTx int) error {
	t.Helper()
	cfg := notary.DefaultConfig()
	cfg.MaxAttestationsPerTx = maxPerTx
	n := notary.New(h, h, s, home, []notary.Source{src}, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return n.Poll(context.Background(), src)
}

// TestNotaryBatchesAttestations: the events of a poll reach the hub in as
// few transactions as max_attestations_per_tx allows, each signed once;
// a batch too large for the hub's gas is halved.
func TestNotaryBatchesAttestations(t *testing.T) {
	s, err := notary.NewSigner()
	require.NoError(t, err)
	for _, tc := range []struct {
		name           string
		events, perTx  int
		hubMax         int
		txs, submitted int
	}{
		{"one tx for a burst", 7, 50, 1000, 1, 1},
		{"bounded by max_attestations_per_tx", 7, 3, 1000, 3, 3},
		{"too large for the hub: halved", 8, 50, 4, 2, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newFakeHub(t, s, 2)
			h.maxMsgs = tc.hubMax
			require.NoError(t, attestPoll(t, h, s, t.TempDir(), ledgerEvents(tc.events), tc.perTx))
			txs, per := h.committedTxs()
			require.Equal(t, tc.txs, txs)
			require.Equal(t, tc.submitted, h.submitted)
			require.Len(t, per, tc.events)
			for k, c := range per {
				require.Equal(t, 1, c, k)
			}
		})
	}
}

// TestNotaryBatchRefusedMessage: one message of a batch refused by the hub
// refuses the whole tx; the notary asks the hub again and posts the rest
// in halves. An event decided meanwhile by the others is skipped (matched
// by its registered code, ErrAlreadyFinal); an event the hub refuses for
// another reason stays unhandled and the cursor stops before it, while
// every other event is signed exactly once.
func TestNotaryBatchRefusedMessage(t *testing.T) {
	s, err := notary.NewSigner()
	require.NoError(t, err)
	t.Run("decided by the others in the middle", func(t *testing.T) {
		h := newFakeHub(t, s, 2)
		src := ledgerEvents(9)
		// Decided between the notary's question and its tx: the query
		// still says pending, the tx is refused.
		racy := src.events[4].Observation.SourceKey()
		h.refuse[racy] = refusal(types.ErrAlreadyFinal)
		require.NoError(t, attestPoll(t, h, s, t.TempDir(), src, 50), "a decided event is handled")
		_, per := h.committedTxs()
		require.Len(t, per, 8, "every other event is signed")
		require.NotContains(t, per, racy)
		for k, c := range per {
			require.Equal(t, 1, c, k)
		}
	})
	t.Run("refused for another reason: cursor waits, the rest goes on", func(t *testing.T) {
		h := newFakeHub(t, s, 2)
		src := ledgerEvents(9)
		stuck := src.events[4].Observation.SourceKey()
		h.refuse[stuck] = refusal(types.ErrLedgerNotBound)
		home := t.TempDir()
		err := attestPoll(t, h, s, home, src, 50)
		require.ErrorIs(t, err, types.ErrLedgerNotBound)
		_, per := h.committedTxs()
		require.Len(t, per, 8)
		require.NotContains(t, per, stuck)

		// Governance fixes it: the next poll (a restart, here) posts the
		// stuck event only, the others are known signed on the hub.
		delete(h.refuse, stuck)
		require.NoError(t, attestPoll(t, h, s, home, src, 50))
		txs, per := h.committedTxs()
		require.Len(t, per, 9)
		for k, c := range per {
			require.Equal(t, 1, c, k)
		}
		require.Equal(t, []string{stuck}, h.txs[txs-1])
	})
	t.Run("already signed by this notary: skipped by code", func(t *testing.T) {
		h := newFakeHub(t, s, 0)
		src := ledgerEvents(4)
		h.refuse[src.events[1].Observation.SourceKey()] = refusal(types.ErrDuplicateSigner)
		require.NoError(t, attestPoll(t, h, s, t.TempDir(), src, 50), "a duplicate signer is handled: nothing to retry")
		_, per := h.committedTxs()
		require.Len(t, per, 3)
	})
}

// TestNotaryRestartNoDuplicates: a notary that lost its cursor (crash
// before saving it) learns from the hub what it signed and posts nothing
// twice; a new event after the restart is posted once.
func TestNotaryRestartNoDuplicates(t *testing.T) {
	s, err := notary.NewSigner()
	require.NoError(t, err)
	h := newFakeHub(t, s, 0)
	src := ledgerEvents(6)
	require.NoError(t, attestPoll(t, h, s, t.TempDir(), &fakeSource{ledger: src.ledger, events: src.events[:4]}, 50))
	txs, _ := h.committedTxs()
	require.Equal(t, 1, txs)

	h.finalByOthers(src.events[5].Observation)
	require.NoError(t, attestPoll(t, h, s, t.TempDir(), src, 50), "a fresh home: no cursor")
	txs, per := h.committedTxs()
	require.Equal(t, 2, txs)
	require.Len(t, per, 5, "the event the others made final is not signed")
	for k, c := range per {
		require.Equal(t, 1, c, k)
	}
	require.Len(t, h.txs[1], 1, "only the new event")
}

// TestNotaryBatchesAcrossSources: one poll of every source posts their
// events together; an event stuck in one source holds only that source's
// cursor, never the other's.
func TestNotaryBatchesAcrossSources(t *testing.T) {
	s, err := notary.NewSigner()
	require.NoError(t, err)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, b := ledgerRows("acme-sql-1", 3), ledgerRows("bravo-sql-1", 4)

	h := newFakeHub(t, s, 2)
	n := notary.New(h, h, s, t.TempDir(), []notary.Source{a, b}, notary.DefaultConfig(), quiet)
	require.Empty(t, n.PollAll(context.Background(), []notary.Source{a, b}))
	require.Len(t, h.txs, 1)
	require.Len(t, h.txs[0], 7, "both sources' events in one tx")

	h = newFakeHub(t, s, 2)
	stuck := a.events[1].Observation.SourceKey()
	h.refuse[stuck] = refusal(types.ErrLedgerNotBound)
	n = notary.New(h, h, s, t.TempDir(), []notary.Source{a, b}, notary.DefaultConfig(), quiet)
	errs := n.PollAll(context.Background(), []notary.Source{a, b})
	require.Len(t, errs, 1)
	require.ErrorIs(t, errs[a.Name()], types.ErrLedgerNotBound)
	_, per := h.committedTxs()
	require.Len(t, per, 6, "every event but the stuck one")
	st, err := n.Status(context.Background())
	require.NoError(t, err)
	require.Equal(t, []notary.SourceStatus{{Name: a.Name(), Cursor: 1, Position: "1"}, {Name: b.Name(), Cursor: 4, Position: "4"}}, st.Sources)
}
