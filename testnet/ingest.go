package testnet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"cosmossdk.io/math"
	"github.com/cometbft/cometbft/mempool"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/vinhub/vinhub/client"
	"github.com/vinhub/vinhub/x/vehicle/testutil"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// IngestKind is what an ingestion workload's transactions carry.
type IngestKind int

// The ingestion workloads: one bank transfer per transaction (the
// reference), or one MsgRecordEvents of some records per transaction.
const (
	IngestBank IngestKind = iota
	IngestRecords
)

// IngestLoad pre-signs transactions for the hub-ingestion benchmark: the
// same signers send either bank transfers or vehicle records, so the two
// workloads differ only in what the hub executes. Every signer must be a
// reporter of DealerID on the hub (and funded).
type IngestLoad struct {
	Node     *Node
	DealerID string
	Signers  []*client.Chain
	// VINs is how many distinct cars single records are spread over, from
	// FirstVIN on. Each signer owns its share of them (signer s of k writes
	// about FirstVIN + s + k*i), so a car's records come from one account
	// and commit in its sequence order, which is their date order: a
	// back-dated record is compared with its car's whole history (see
	// x/vehicle odometerFlag), which is not what this benchmark measures.
	VINs, FirstVIN int
	// Scatter visits a signer's cars in a scattered order, the same in
	// every pass, instead of one after the other: a real hub's cars send
	// records in no key order, while in turn neighbouring cars' state shares
	// most of its tree path (docs/benchmarks.md, fourteenth run).
	Scatter bool
	records []int // per signer
}

// IngestFirstVIN is the first of the cars a new IngestLoad writes about
// (testutil.VIN numbering).
const IngestFirstVIN = 100_000

// NewIngestLoad signs as keys, from the node's own test keyring.
func NewIngestLoad(n *Node, dealerID string, keys []string) (*IngestLoad, error) {
	cdc := client.NewCodec(vehicletypes.RegisterInterfaces, banktypes.RegisterInterfaces)
	kr, err := nodeKeyring(n, cdc)
	if err != nil {
		return nil, err
	}
	l := &IngestLoad{Node: n, DealerID: dealerID, VINs: 10_000, FirstVIN: IngestFirstVIN}
	for _, k := range keys {
		cfg := client.Config{ID: n.ChainID, RPC: n.RPCURL(), AccountPrefix: "cosmos",
			Key: k, GasPrice: "0" + n.Denom, GasAdjustment: 1.3, MaxGas: 1 << 40}
		c, err := client.NewChainSigner(cfg, kr, k, cdc, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
		if err != nil {
			return nil, err
		}
		l.Signers = append(l.Signers, c)
	}
	l.records = make([]int, len(l.Signers))
	return l, nil
}

// messages are one transaction's messages of the kind: a transfer of one
// unit to the next signer, or msgs MsgRecordEvents of perMsg records each
// (perMsg records about one VIN when vin is not empty).
func (l *IngestLoad) messages(signer int, kind IngestKind, msgs, perMsg int, vin string) []sdk.Msg {
	from := l.Signers[signer]
	if kind == IngestBank {
		to := l.Signers[(signer+1)%len(l.Signers)].Signer()
		return []sdk.Msg{&banktypes.MsgSend{FromAddress: from.Signer(), ToAddress: to,
			Amount: sdk.NewCoins(sdk.NewCoin(l.Node.Denom, math.OneInt()))}}
	}
	out := make([]sdk.Msg, msgs)
	for i := range out {
		recs := make([]vehicletypes.RecordInput, perMsg)
		for j := range recs {
			recs[j] = l.record(signer, l.records[signer], vin)
			l.records[signer]++
		}
		out[i] = &vehicletypes.MsgRecordEvents{Reporter: from.Signer(), DealerId: l.DealerID, Records: recs}
	}
	return out
}

// record is signer's n-th record: about vin, or else about the signer's
// next car of its share. Its reading is one km and one minute after the
// signer's previous record, so a car's readings rise at 1,440 km a day
// however many records lie between two of them: plausible (the hub's
// default ceiling is 2,000 km a day), so no record is flagged and the
// benchmark measures the common path, not the flagged one. Dates stay in
// the past for millions of records.
func (l *IngestLoad) record(signer, n int, vin string) vehicletypes.RecordInput {
	if vin == "" {
		k := len(l.Signers)
		share := max(1, l.VINs/k)
		car := n % share
		if l.Scatter {
			car = scatter(car, share)
		}
		vin = testutil.VIN(l.FirstVIN + signer + k*car)
	}
	return vehicletypes.RecordInput{Vin: vin, Kind: vehicletypes.RECORD_KIND_SERVICE,
		OdometerKm: uint64(1000 + n), OccurredAt: ingestStart.Add(time.Duration(n) * time.Minute),
		Location: "ingest bay", Description: fmt.Sprintf("service %d", n)}
}

// scatter maps i in [0, n) to a place in [0, n), one to one: multiplying by
// a step coprime with n permutes the residues mod n, and a step near n/φ
// (the golden ratio) spreads consecutive i far apart.
func scatter(i, n int) int {
	step := max(1, int(float64(n)*0.618))
	for gcd(step, n) != 1 {
		step++
	}
	return int(uint64(i) * uint64(step) % uint64(n))
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// ingestStart is the date of every signer's first ingestion record: early
// enough that a signer's three millionth record is still dated in the past
// (2025), which the hub's clock check wants.
var ingestStart = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// Gas commits one transaction of the shape from the first signer and
// returns the gas it used, the limit pre-signed transactions of that shape
// get (with margin) being the caller's choice.
func (l *IngestLoad) Gas(ctx context.Context, kind IngestKind, msgs, perMsg int) (int64, error) {
	res, err := l.Signers[0].Submit(ctx, l.messages(0, kind, msgs, perMsg, "")...)
	if err != nil {
		return 0, fmt.Errorf("ingest: probe transaction: %w", err)
	}
	return res.GasUsed, nil
}

// Sign pre-signs perSigner transactions per signer of msgs messages of
// perMsg records each (kind IngestRecords; one transfer for IngestBank)
// with gas limit gas; vin, if not empty, is the one car every record is
// about, and only the first signer writes them (one account keeps the
// car's records in date order). txs[i] are signer i's, in sequence order.
func (l *IngestLoad) Sign(ctx context.Context, kind IngestKind, perSigner, msgs, perMsg int, gas uint64, vin string) ([][][]byte, error) {
	txs := make([][][]byte, len(l.Signers))
	for i, s := range l.Signers {
		if vin != "" && i > 0 {
			break
		}
		for range perSigner {
			tx, err := s.SignNext(ctx, gas, l.messages(i, kind, msgs, perMsg, vin)...)
			if err != nil {
				return nil, fmt.Errorf("ingest: sign: %w", err)
			}
			txs[i] = append(txs[i], tx)
		}
	}
	return txs, nil
}

// Fire broadcasts every signer's transactions in order, the signers in
// parallel (broadcast_tx_sync: each waits for its CheckTx), waiting out a
// full mempool, and returns once every one was accepted, with how many it
// sent again after the node lost one it had accepted (see fireSigner). A
// positive rate paces them: transactions per second offered by all
// signers together, each signer sending its share on a fixed schedule, as
// a steady stream of clients would (behind schedule, it sends at once); 0
// sends each as soon as the one before was accepted, a burst.
func (l *IngestLoad) Fire(ctx context.Context, txs [][][]byte, rate float64) (resent int, err error) {
	var gap time.Duration // between one signer's transactions
	if rate > 0 {
		gap = time.Duration(float64(len(txs)) / rate * float64(time.Second))
	}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, len(txs))
	resends := make([]int, len(txs))
	for i := range txs {
		// Each signer's schedule is offset by its share of a gap, so that
		// together they offer a stream, not a burst of one tx each per gap.
		offset := gap * time.Duration(i) / time.Duration(len(txs))
		send := func(ctx context.Context, tx cmttypes.Tx) (*coretypes.ResultBroadcastTx, error) {
			return l.Signers[i].RPC.BroadcastTxSync(ctx, tx)
		}
		wg.Go(func() { resends[i], errs[i] = fireSigner(ctx, l.Node.ChainID, send, txs[i], start.Add(offset), gap) })
	}
	wg.Wait()
	for i := range txs {
		resent += resends[i]
		if errs[i] != nil {
			return resent, fmt.Errorf("signer %s: %w", l.Signers[i].Signer(), errs[i])
		}
	}
	return resent, nil
}

// broadcaster sends one transaction and waits for its CheckTx
// (broadcast_tx_sync).
type broadcaster func(context.Context, cmttypes.Tx) (*coretypes.ResultBroadcastTx, error)

// fireSigner sends one signer's txs (consecutive sequences) to chain in
// order, the k-th not before start + k·gap, and returns how many it sent
// again.
//
// CheckTx's "accepted" is not a promise that the transaction stays in the
// mempool. CometBFT's mempool, for one, checks that it has room before
// CheckTx and again after it (CListMempool.resCbFirstTime); when other
// broadcasts filled it meanwhile, it drops the transaction, logs that at
// debug level and still answers the broadcast with code 0. The
// application's check state has counted the sequence by then, so the
// signer's next transactions are accepted too, fail on their sequence in
// the next block or at its recheck, and once that block is committed
// CheckTx refuses the next one, expecting the lost one's sequence. (The
// twenty-eighth run of docs/benchmarks.md broke on such a refusal, with a
// mempool far from full: other losses end the same way.) So when
// CheckTx expects a sequence of this run that was already sent, the run
// goes back to it and sends from there again: each of those left the
// node's cache when it was dropped or failed, and one still in the mempool
// is told by the cache and passed.
func fireSigner(ctx context.Context, chain string, send broadcaster, txs [][]byte, start time.Time, gap time.Duration) (resent int, err error) {
	if len(txs) == 0 {
		return 0, nil
	}
	first, err := TxSequence(txs[0])
	if err != nil {
		return 0, err
	}
	timeouts, rewinds, sent := 0, 0, 0 // sent: how many of txs went out at least once
	for k := 0; k < len(txs); {
		if wait := time.Until(start.Add(time.Duration(k) * gap)); wait > 0 {
			if err := sleep(ctx, wait); err != nil {
				return resent, err
			}
		}
		res, err := send(ctx, txs[k])
		sent = max(sent, k+1)
		switch {
		case err == nil:
		case mempoolFull(err):
			// The mempool refuses while full; its JSON-RPC error has no code.
			if err := sleep(ctx, 50*time.Millisecond); err != nil {
				return resent, err
			}
			continue
		case (timeouts > 0 || k+1 < sent) && strings.Contains(err.Error(), mempool.ErrTxInCache.Error()):
			// The broadcast that timed out had reached the mempool; or one
			// sent again is still there.
			timeouts = 0
			k++
			continue
		case isTimeout(err) && timeouts < maxRPCTimeouts:
			// CheckTx waits while the node executes and commits a heavy block
			// (the preload's 1,000-record txs take seconds each): send again,
			// the node tells a tx it already has.
			timeouts++
			continue
		default:
			return resent, fmt.Errorf("ingest: broadcast %d of %d: %w", k+1, len(txs), err)
		}
		timeouts = 0
		if res.Code != 0 {
			refusal := &client.ABCIError{Chain: chain, Stage: "CheckTx", Codespace: res.Codespace, Code: res.Code, Log: res.Log}
			expected, ok := client.ExpectedSequence(refusal)
			if !ok || expected < first || expected >= first+uint64(k) || rewinds == maxRewinds {
				return resent, fmt.Errorf("ingest: tx %d of %d (sequence %d) refused by CheckTx: %w", k+1, len(txs), first+uint64(k), refusal)
			}
			rewinds++
			back := int(expected - first)
			resent += k - back
			k = back
			continue
		}
		k++
	}
	return resent, nil
}

// maxRewinds bounds how often one signer's run goes back to a dropped
// transaction before the load gives up: a node that keeps dropping what it
// accepted, or another client using the account, is not a measurement.
const maxRewinds = 20

// mempoolFull tells CometBFT's refusals of a full mempool: full, or
// counted full while it rechecks after a block.
func mempoolFull(err error) bool {
	return strings.Contains(err.Error(), "mempool is full") || strings.Contains(err.Error(), mempool.ErrRecheckFull.Error())
}

// TxSequence is the account sequence a signed transaction's first signer
// signed it with.
func TxSequence(tx []byte) (uint64, error) {
	var raw txtypes.TxRaw
	if err := raw.Unmarshal(tx); err != nil {
		return 0, fmt.Errorf("decode tx: %w", err)
	}
	var auth txtypes.AuthInfo
	if err := auth.Unmarshal(raw.AuthInfoBytes); err != nil {
		return 0, fmt.Errorf("decode tx auth info: %w", err)
	}
	if len(auth.SignerInfos) == 0 {
		return 0, errors.New("decode tx: no signer")
	}
	return auth.SignerInfos[0].Sequence, nil
}

// maxRPCTimeouts is how often one call (a transaction's broadcast, a
// block's results) may time out, the client's RPC timeout of 10 s each,
// before the load gives up.
const maxRPCTimeouts = 5

// isTimeout tells an RPC call that timed out, the node still working.
func isTimeout(err error) bool {
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout() || strings.Contains(err.Error(), "Client.Timeout exceeded")
}

// IngestCount is what a span of blocks committed.
type IngestCount struct {
	Txs, Failed int
	// WrongSequence is how many of the failed ones failed on their account
	// sequence: sent after one the node dropped (see fireSigner).
	WrongSequence int
	Gas           int64
	// FirstFailure is the first failed transaction's refusal, if any.
	FirstFailure error
	// Blocks is how many blocks carried the transactions, from the first
	// to the last (with any empty ones between).
	Blocks int64
	// Span is the time the chain took to decide and execute those blocks,
	// from the time of the block after the first to that of the block two
	// after the last. CometBFT stamps a block with the median time of the
	// previous height's precommits (BFT time, state.MedianTime), and a
	// node precommits a block before it executes it: block h+1's time is
	// when h was decided, h+2's when h+1 was, after h had been executed
	// and committed and timeout_commit (counted from h's decision, so a
	// block lighter than it runs inside it) had passed. So each block of
	// the span counts its own execution once. (Measured from the first
	// block's own time to the next one after the last, a one-block phase
	// counted another block's execution instead of its own, and a phase of
	// 20,000 batched records looked five times faster than it was.)
	Span time.Duration
}

// readRPC is a CometBFT RPC client of the node with the client's per-call
// timeout.
func (n *Node) readRPC() (*rpchttp.HTTP, error) {
	return client.NewReadRPC(n.RPCURL())
}

// WaitMempoolEmpty waits until the node's mempool holds no transaction:
// CometBFT removes a block's transactions from it once the block is
// committed, so by then every transaction sent before has been committed
// or dropped.
func WaitMempoolEmpty(ctx context.Context, n *Node) error {
	rpc, err := n.readRPC()
	if err != nil {
		return err
	}
	for {
		un, err := rpc.NumUnconfirmedTxs(ctx)
		if err != nil {
			return err
		}
		if un.Total == 0 {
			return nil
		}
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return err
		}
	}
}

// WaitIndexed waits until the node's tx indexer has indexed each of txs
// (signed transactions it committed). CometBFT indexes a committed block's
// transactions on a goroutine of its own, block after block, so once the
// last transaction of each sender is found, every block up to the last that
// carried one has been indexed, and its cost has been paid. (Node.WaitTx
// waits for the same through the CLI, a process per poll: CPU beside a node
// whose CPU is being measured.)
func WaitIndexed(ctx context.Context, n *Node, txs ...[]byte) error {
	rpc, err := n.readRPC()
	if err != nil {
		return err
	}
	for _, tx := range txs {
		if err := waitIndexed(ctx, rpc, cmttypes.Tx(tx).Hash()); err != nil {
			return err
		}
	}
	return nil
}

// waitIndexed polls the node for one transaction until it finds it.
func waitIndexed(ctx context.Context, rpc *rpchttp.HTTP, hash []byte) error {
	for {
		_, err := rpc.Tx(ctx, hash, false)
		if err == nil {
			return nil
		}
		// CometBFT's "tx (…) not found" has no code to match.
		if !strings.Contains(err.Error(), "not found") && !isTimeout(err) {
			return fmt.Errorf("tx %X: %w", hash, err)
		}
		if err := sleep(ctx, 100*time.Millisecond); err != nil {
			return err
		}
	}
}

// CountCommitted waits until the node's mempool is empty, then counts the
// transactions committed from height from on.
func CountCommitted(ctx context.Context, n *Node, from int64) (IngestCount, error) {
	if err := WaitMempoolEmpty(ctx, n); err != nil {
		return IngestCount{}, err
	}
	rpc, err := n.readRPC()
	if err != nil {
		return IngestCount{}, err
	}
	to, err := n.Height(ctx)
	if err != nil {
		return IngestCount{}, err
	}
	var c IngestCount
	firstWithTxs, lastWithTxs := int64(0), int64(0)
	for h := from; h <= to; h++ {
		res, err := blockResults(ctx, rpc, h)
		if err != nil {
			return IngestCount{}, err
		}
		if len(res.TxsResults) == 0 {
			continue
		}
		for _, tx := range res.TxsResults {
			if tx.Code != 0 {
				failure := &client.ABCIError{Chain: n.ChainID, Stage: fmt.Sprintf("block %d", h), Codespace: tx.Codespace, Code: tx.Code, Log: tx.Log}
				c.Failed++
				if errors.Is(failure, sdkerrors.ErrWrongSequence) {
					c.WrongSequence++
				}
				if c.FirstFailure == nil {
					c.FirstFailure = failure
				}
				continue
			}
			c.Txs++
			c.Gas += tx.GasUsed
		}
		if firstWithTxs == 0 {
			firstWithTxs = h
		}
		lastWithTxs = h
	}
	if lastWithTxs == 0 {
		return c, nil
	}
	c.Blocks = lastWithTxs - firstWithTxs + 1
	if err := n.WaitHeight(ctx, lastWithTxs+2); err != nil {
		return IngestCount{}, err
	}
	c.Span, err = blocksSpan(firstWithTxs, lastWithTxs, func(h int64) (time.Time, error) { return blockTime(ctx, rpc, h) })
	return c, err
}

// blockResults fetches block h's results, asking again when the client's
// RPC timeout passes first: the node encodes a block of 40,000 records'
// results as JSON for seconds, longer while it runs the next heavy block.
func blockResults(ctx context.Context, rpc *rpchttp.HTTP, h int64) (*coretypes.ResultBlockResults, error) {
	for timeouts := 0; ; timeouts++ {
		res, err := rpc.BlockResults(ctx, &h)
		if err == nil {
			return res, nil
		}
		if !isTimeout(err) || timeouts == maxRPCTimeouts {
			return nil, fmt.Errorf("block_results %d: %w", h, err)
		}
	}
}

// blocksSpan is the time blocks first to last took to be decided and
// executed, given each block's time (see IngestCount.Span).
func blocksSpan(first, last int64, blockTime func(h int64) (time.Time, error)) (time.Duration, error) {
	start, err := blockTime(first + 1)
	if err != nil {
		return 0, err
	}
	end, err := blockTime(last + 2)
	if err != nil {
		return 0, err
	}
	return end.Sub(start), nil
}

func blockTime(ctx context.Context, rpc *rpchttp.HTTP, h int64) (time.Time, error) {
	b, err := rpc.Block(ctx, &h)
	if err != nil {
		return time.Time{}, fmt.Errorf("block %d: %w", h, err)
	}
	return b.Block.Time, nil
}
