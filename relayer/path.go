package relayer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cosmos/gogoproto/proto"
	"github.com/vinhub/vinhub/client"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
)

// recvMargin: a packet that times out on the receiving chain within this
// margin is not received but timed out, so a relay tx never fails on it.
const (
	recvMargin       = 5 * time.Second
	recvMarginBlocks = 3
)

// PathRelayer relays one path in both directions. Two workers, one per
// end, each submit on their own chain: packets from the other end
// (MsgRecvPacket), acknowledgements of their own packets written on the
// other end (MsgAcknowledgement) and their own packets that timed out there
// (MsgTimeout), all proven at one height of the other chain, in one tx that
// starts with the MsgUpdateClient it needs.
type PathRelayer struct {
	cfg  PathConfig
	g    GlobalConfig
	log  *slog.Logger
	m    *Metrics
	ends [2]endpoint
	// io[k] is the chain at end k as the workers see it (a fake in tests).
	io [2]endIO
	// channelOK[k] is when end k's v1 channel was last found fit to relay on.
	channelOK [2]time.Time

	mu sync.Mutex
	// sent[k]: packets end k sent that the other end has not received.
	sent [2]map[uint64]*Packet
	// acks[k]: packets end k sent whose ack the other end wrote, to deliver on k.
	acks [2]map[uint64]*Packet
	wake [2]chan struct{}
	// revive[k] cuts short worker k's backoff: a chain answers again.
	revive [2]chan struct{}
	// lastRefresh is when each worker last checked its client's expiry.
	lastRefresh [2]time.Time
	// wmu[k] serialises worker k's decisions (batch, stuck, asyncErr) between
	// its steps and the goroutines settling its txs in flight.
	wmu [2]sync.Mutex
	// inflight[k] counts worker k's txs broadcast and not yet settled;
	// asyncErr[k] is the last failure of one, for the worker's backoff.
	inflight [2]int
	asyncErr [2]error
	// batch[k] is how many packet messages worker k puts in one tx: halved
	// when a tx cannot be built or is refused (too much gas, too large),
	// grown back after successes, so a batch never stalls a path.
	batch [2]int
	// stuck[k] counts failed single-packet txs of worker k by sequence: a
	// packet that keeps failing alone is set aside until the next clearing
	// pass instead of blocking everything behind it.
	stuck [2]map[uint64]int
	// skipped[k]: packets end k sent whose ports the path does not relay,
	// remembered so clearing passes neither search for them again nor
	// count them as waiting; warned: foreign ports already logged.
	skipped [2]map[uint64]bool
	warned  map[string]bool
	// limited: the last clearing pass queued only clear_limit packets of a
	// direction; the clearing loop comes back sooner for the rest.
	limited atomic.Bool
	// updates[k]: updates of end k's client the feed saw, to check for
	// misbehaviour; own[k]: heights vinrelay's own txs move that client to.
	updates [2][]clientUpdate
	own     [2]map[clienttypes.Height]bool
	// halted: the path stopped for good; its updates are no longer watched.
	halted atomic.Bool
}

// setAsideAfter single-packet failures, a packet waits for the next clearing pass.
const setAsideAfter = 3

// NewPathRelayer prepares a linked path between chains a and b.
func NewPathRelayer(cfg PathConfig, g GlobalConfig, a, b *Chain, log *slog.Logger) (*PathRelayer, error) {
	if !cfg.Linked() {
		return nil, fmt.Errorf("path %q is not linked: run `vinrelay paths link %s`", cfg.Name, cfg.Name)
	}
	v1 := cfg.IBC == IBCv1
	r := &PathRelayer{cfg: cfg, g: g, log: log.With("path", cfg.Name), m: a.m,
		ends: [2]endpoint{{chain: a, PathEnd: cfg.A, v1: v1}, {chain: b, PathEnd: cfg.B, v1: v1}}, warned: map[string]bool{}}
	r.io = [2]endIO{liveEnd{Chain: a, end: r.ends[0], other: b}, liveEnd{Chain: b, end: r.ends[1], other: a}}
	r.init()
	return r, nil
}

// init sets up the worker state of a path whose ends are in place.
func (r *PathRelayer) init() {
	for k := range 2 {
		r.sent[k] = map[uint64]*Packet{}
		r.acks[k] = map[uint64]*Packet{}
		r.wake[k] = make(chan struct{}, 1)
		r.revive[k] = make(chan struct{}, 1)
		r.batch[k] = r.g.MaxMsgsPerTx - 1
		r.stuck[k] = map[uint64]int{}
		r.skipped[k] = map[uint64]bool{}
		r.own[k] = map[clienttypes.Height]bool{}
	}
}

// Name of the path.
func (r *PathRelayer) Name() string { return r.cfg.Name }

// Chains the path joins.
func (r *PathRelayer) Chains() [2]string {
	return [2]string{r.io[0].ID(), r.io[1].ID()}
}

// Ingest takes in a block of one of the path's chains.
func (r *PathRelayer) Ingest(b Block) {
	k := slices.IndexFunc(r.io[:], func(e endIO) bool { return e.ID() == b.Chain })
	if k < 0 {
		return
	}
	e := r.ends[k]
	r.mu.Lock()
	if !r.halted.Load() {
		r.updates[k] = append(r.updates[k], clientUpdates(b, e.ClientID)...)
	}
	for _, ev := range b.Events {
		switch ev.Type {
		case eventSendPacket:
			if p, ok, err := e.parse(eventSendPacket, ev, b.Height); ok {
				if r.admit(k, p) {
					p.Seen = time.Now()
					r.sent[k][p.Sequence] = p
				}
			} else if err != nil {
				r.log.Warn("unreadable send_packet event", "chain", b.Chain, "height", b.Height, "err", err)
			}
		case eventWriteAck:
			if p, ok, err := e.parse(eventWriteAck, ev, b.Height); ok {
				if r.admit(1-k, p) {
					p.Seen = time.Now()
					r.acks[1-k][p.Sequence] = p
				}
			} else if err != nil {
				r.log.Warn("unreadable write_acknowledgement event", "chain", b.Chain, "height", b.Height, "err", err)
			}
		}
	}
	r.mu.Unlock()
	r.Wake()
}

// admit reports whether the path relays p, a packet end k sent: only if
// every port of every payload is on allow_ports. A packet refused is
// remembered, counted once and its foreign port logged once per path.
// Callers hold r.mu.
func (r *PathRelayer) admit(k int, p *Packet) bool {
	port, foreign := p.foreignPort(r.cfg.Allows)
	if !foreign {
		return true
	}
	if r.skipped[k][p.Sequence] {
		return false
	}
	r.skipped[k][p.Sequence] = true
	chain := r.io[k].ID()
	r.m.Skipped.WithLabelValues(r.cfg.Name, chain, "port_not_allowed").Inc()
	if !r.warned[port] {
		r.warned[port] = true
		r.log.Warn("packet from or to a port not on the path's allow_ports: not relaying it, nor any other of that port (logged once per port; counted in vinrelay_packets_skipped_total)",
			"chain", chain, "sequence", p.Sequence, "port", port, "allow_ports", r.cfg.Ports())
	}
	return false
}

// Wake asks both workers to look for work.
func (r *PathRelayer) Wake() {
	for k := range 2 {
		select {
		case r.wake[k] <- struct{}{}:
		default:
		}
	}
}

// Backlog counts what waits: packets to receive and acks to deliver.
func (r *PathRelayer) Backlog() (recv, acks int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sent[0]) + len(r.sent[1]), len(r.acks[0]) + len(r.acks[1])
}

// Work runs the worker that submits on end k until ctx ends.
func (r *PathRelayer) Work(ctx context.Context, k int) {
	backoff := time.Duration(0)
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.wake[k]:
		case <-time.After(10 * time.Second):
		}
		if r.halted.Load() {
			return // the other worker found misbehaviour
		}
		if backoff > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			case <-r.revive[k]:
				backoff = 0
			}
		}
		more, err := r.step(ctx, k)
		r.gauges(k)
		switch {
		case err == nil:
			backoff = 0
		case ctx.Err() != nil:
			return
		case errors.Is(err, ErrConflictingHeader):
			r.log.Error("misbehaviour: a light client of this path trusts a header its chain never produced; path halted: recover the client by governance (MsgRecoverClient) before relaying again", "chain", r.io[k].ID(), "err", err)
			r.halted.Store(true)
			r.m.Halted.WithLabelValues(r.cfg.Name).Set(1)
			r.m.halt(fmt.Sprintf("path %s: %v", r.cfg.Name, err))
			r.wakeOne(1 - k)
			return
		default:
			backoff = min(max(2*backoff, r.g.PollInterval.Duration), 30*time.Second)
			r.log.Warn("relay step failed; will retry", "chain", r.io[k].ID(), "err", err, "retry_in", backoff)
		}
		if more {
			r.wakeOne(k)
		}
	}
}

// Revive ends both workers' backoff at once: a chain of the path that was
// unreachable answers again, so relaying resumes without waiting out a
// backoff grown during the outage.
func (r *PathRelayer) Revive() {
	for k := range 2 {
		select {
		case r.revive[k] <- struct{}{}:
		default:
		}
	}
	r.Wake()
}

func (r *PathRelayer) wakeOne(k int) {
	select {
	case r.wake[k] <- struct{}{}:
	default:
	}
}

// work is one batch for a worker: what to deliver and what was dropped.
type work struct {
	recv, acks, timeouts []*Packet
}

func (w work) len() int { return len(w.recv) + len(w.acks) + len(w.timeouts) }

// step builds and submits at most one transaction on end k. more reports
// that work was left for another transaction.
func (r *PathRelayer) step(ctx context.Context, k int) (more bool, err error) {
	r.wmu[k].Lock()
	defer r.wmu[k].Unlock()
	if err := r.asyncErr[k]; err != nil {
		r.asyncErr[k] = nil
		return false, err
	}
	if r.inflight[k] >= r.window() {
		return false, nil // a tx settling wakes the worker
	}
	x, y := r.io[k], r.io[1-k]
	yLatest, yTime, err := y.Latest(ctx)
	if err != nil {
		return false, err
	}
	xLatest, xTime, err := x.Latest(ctx)
	if err != nil {
		return false, err
	}
	if err := r.watchUpdates(ctx, k); err != nil {
		return false, err
	}
	if err := r.refreshClient(ctx, k, yLatest); err != nil {
		return false, r.conflictOr(ctx, k, err)
	}
	if err := r.checkChannel(ctx, k); err != nil {
		return false, err
	}
	w, more, err := r.collect(ctx, k, yLatest, yTime, xLatest, xTime, r.batch[k])
	if err != nil || w.len() == 0 {
		r.gauges(k)
		return false, err
	}
	update, h, err := x.updateClient(ctx, yLatest)
	if err != nil {
		return false, r.conflictOr(ctx, k, err)
	}
	msgs, in, err := r.buildMsgs(ctx, k, w, h)
	if err != nil {
		return false, err
	}
	more = more || in.len() < w.len()
	w = in
	r.recordOwn(k, update)
	msgs = append(update, msgs...)
	if r.window() == 1 {
		res, err := x.Submit(ctx, msgs...)
		return r.settle(k, w, more, res, err)
	}
	r.send(ctx, k, w, msgs)
	return more && r.inflight[k] < r.window(), nil
}

// conflictOr submits the evidence when err is a conflict found at the
// latest height end k's client trusts; other errors pass unchanged.
func (r *PathRelayer) conflictOr(ctx context.Context, k int, err error) error {
	if !errors.Is(err, ErrConflictingHeader) {
		return err
	}
	return r.latestConflict(ctx, k, err)
}

// window is how many txs a worker keeps in flight.
func (r *PathRelayer) window() int { return max(r.g.MaxInflightTxs, 1) }

// send broadcasts a relay tx without waiting for it: its packets are held
// out of the next batches until a goroutine has seen it commit (or fail)
// and settled it. Callers hold r.wmu[k].
func (r *PathRelayer) send(ctx context.Context, k int, w work, msgs []sdk.Msg) {
	r.hold(w, true)
	r.inflight[k]++
	go func() {
		res, err := r.io[k].Submit(ctx, msgs...)
		r.wmu[k].Lock()
		r.hold(w, false)
		r.inflight[k]--
		more, err := r.settle(k, w, false, res, err)
		if err != nil && ctx.Err() == nil {
			r.asyncErr[k] = err
		}
		r.wmu[k].Unlock()
		_ = more // a settled tx always wakes the worker: a slot is free, or asyncErr waits
		r.wakeOne(k)
	}()
}

// hold marks w's packets as carried by a tx in flight (or no longer).
func (r *PathRelayer) hold(w work, sending bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ps := range [][]*Packet{w.recv, w.acks, w.timeouts} {
		for _, p := range ps {
			p.sending = sending
		}
	}
}

// settle handles the outcome of a relay tx of worker k. Callers hold r.wmu[k].
func (r *PathRelayer) settle(k int, w work, more bool, res client.TxResult, err error) (bool, error) {
	x := r.io[k]
	switch {
	case errors.Is(err, client.ErrRedundant), errors.Is(err, client.ErrDropped):
		// Someone else delivered them: the next block's query drops them.
		r.m.Redundant.WithLabelValues(r.cfg.Name, x.ID()).Add(float64(w.len()))
		r.log.Info("packets already delivered by another relayer", "chain", x.ID(), "count", w.len(), "detail", err)
		return false, nil
	case err != nil:
		return r.failed(k, w, err)
	}
	r.batch[k] = min(r.batch[k]+max(r.batch[k]/4, 1), r.g.MaxMsgsPerTx-1)
	r.done(k, w)
	r.gauges(k)
	r.log.Info("relayed", "chain", x.ID(), "height", res.Height, "recv", len(w.recv), "acks", len(w.acks),
		"timeouts", len(w.timeouts), "gas", res.GasUsed, "tx", res.Hash)
	return more, nil
}

// failed handles a relay tx that could not be committed: a tx too large
// for gas or size halves the batch; a batch the chain refuses for one of
// its messages is bisected (the batch halved at once, without backing off,
// until the refused message is alone); a single packet that keeps failing
// is set aside until the next clearing pass, so it cannot block the others.
func (r *PathRelayer) failed(k int, w work, err error) (bool, error) {
	if errors.Is(err, context.Canceled) {
		return false, err
	}
	chain := r.io[k].ID()
	if errors.Is(err, client.ErrTooLarge) && w.len() > 1 {
		r.batch[k] = max(w.len()/2, 1)
		r.log.Warn("relay tx too large; halving the batch", "chain", chain, "batch", r.batch[k])
		return true, err
	}
	if messageRefused(err) && w.len() > 1 {
		r.batch[k] = max(w.len()/2, 1)
		r.m.Errors.WithLabelValues(chain, "batch_bisected").Inc()
		r.log.Warn("relay tx refused; bisecting the batch to find the message at fault", "chain", chain, "batch", r.batch[k], "err", err)
		return true, nil
	}
	if w.len() == 1 {
		p := append(append(append([]*Packet{}, w.recv...), w.acks...), w.timeouts...)[0]
		r.stuck[k][p.Sequence]++
		if r.stuck[k][p.Sequence] >= setAsideAfter {
			delete(r.stuck[k], p.Sequence)
			r.forget(k, w.recv, w.acks, w.timeouts)
			r.m.Errors.WithLabelValues(chain, "packet_set_aside").Inc()
			r.log.Error("packet keeps failing alone; set aside until the next clearing pass", "chain", chain, "sequence", p.Sequence, "err", err)
			return true, nil
		}
	}
	return false, err
}

// txWideRefusals are refusals of a transaction as a whole (fees, funds,
// account sequence, gas, mempool): no message of it is at fault.
var txWideRefusals = []error{
	sdkerrors.ErrInsufficientFee, sdkerrors.ErrInsufficientFunds, sdkerrors.ErrWrongSequence, sdkerrors.ErrOutOfGas,
	sdkerrors.ErrMempoolIsFull, sdkerrors.ErrTxTooLarge, sdkerrors.ErrTxTimeoutHeight, sdkerrors.ErrInvalidPubKey,
	sdkerrors.ErrUnauthorized, sdkerrors.ErrInvalidChainID,
}

// messageRefused reports whether the chain refused a tx (in simulation,
// CheckTx or DeliverTx) for something a message of it did: the same
// messages would be refused again, so retrying the batch as is would stall
// the path. Refusals are matched by codespace and code, never by text.
func messageRefused(err error) bool {
	var refusal *client.ABCIError
	if !errors.As(err, &refusal) {
		return false
	}
	return !slices.ContainsFunc(txWideRefusals, func(e error) bool { return errors.Is(refusal, e) })
}

// collect picks the packets end k can act on now, after asking the chains
// which of them are still undelivered: query before submit, so packets
// another relayer delivered are dropped, not relayed twice.
func (r *PathRelayer) collect(ctx context.Context, k int, yLatest int64, yTime time.Time, xLatest int64, xTime time.Time, batch int) (work, bool, error) {
	x, y := r.io[k], r.io[1-k]
	recvC, ackC, toC := r.candidates(k, yLatest, yTime)
	unrec, err := x.unreceived(ctx, seqs(recvC))
	if err != nil {
		return work{}, false, err
	}
	unacked, err := x.unacked(ctx, seqs(append(slices.Clone(ackC), toC...)))
	if err != nil {
		return work{}, false, err
	}
	toUnrec, err := y.unreceived(ctx, seqs(toC))
	if err != nil {
		return work{}, false, err
	}
	var w work
	var drop [2][]*Packet // [sent-by-y delivered, acks-on-k delivered]
	var dropOwn []*Packet
	for _, p := range ackC {
		if slices.Contains(unacked, p.Sequence) {
			w.acks = append(w.acks, p)
		} else {
			drop[1] = append(drop[1], p)
		}
	}
	for _, p := range toC {
		if slices.Contains(unacked, p.Sequence) && slices.Contains(toUnrec, p.Sequence) {
			w.timeouts = append(w.timeouts, p)
		} else {
			dropOwn = append(dropOwn, p)
		}
	}
	for _, p := range recvC {
		switch {
		case !slices.Contains(unrec, p.Sequence):
			drop[0] = append(drop[0], p)
		case !p.timedOut(xTime.Add(recvMargin), x.Height(xLatest+recvMarginBlocks)):
			w.recv = append(w.recv, p)
		}
	}
	r.forget(k, drop[0], drop[1], dropOwn)
	if n := len(drop[0]) + len(drop[1]); n > 0 {
		r.m.Redundant.WithLabelValues(r.cfg.Name, x.ID()).Add(float64(n))
	}
	w, more := limit(w, batch)
	return w, more, nil
}

// candidates snapshots what end k could act on with proofs from y at
// yLatest-1: only events below yLatest can be proven.
func (r *PathRelayer) candidates(k int, yLatest int64, yTime time.Time) (recv, acks, timeouts []*Packet) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range r.sent[1-k] {
		if p.Height < yLatest && !p.sending {
			recv = append(recv, p)
		}
	}
	for _, p := range r.acks[k] {
		if p.Height < yLatest && !p.sending {
			acks = append(acks, p)
		}
	}
	for _, p := range r.sent[k] {
		if !p.sending && p.timedOut(yTime, r.io[1-k].Height(yLatest)) {
			timeouts = append(timeouts, p)
		}
	}
	bySeq := func(a, b *Packet) int { return int(a.Sequence) - int(b.Sequence) }
	slices.SortFunc(recv, bySeq)
	slices.SortFunc(acks, bySeq)
	slices.SortFunc(timeouts, bySeq)
	return recv, acks, timeouts
}

// limit keeps n packet messages: acks and timeouts first (they free state
// on the sender), then receives.
func limit(w work, n int) (work, bool) {
	more := w.len() > n
	take := func(ps []*Packet) []*Packet {
		t := ps[:min(len(ps), n)]
		n -= len(t)
		return t
	}
	w.acks = take(w.acks)
	w.timeouts = take(w.timeouts)
	w.recv = take(w.recv)
	return w, more
}

func seqs(ps []*Packet) []uint64 {
	out := make([]uint64, len(ps))
	for i, p := range ps {
		out[i] = p.Sequence
	}
	return out
}

// proofQueries is how many proofs a worker queries at once.
const proofQueries = 8

// proven is one packet message to build: what to prove and how.
type proven struct {
	p     *Packet
	key   []byte
	build func(proof []byte) sdk.Msg
	into  *[]*Packet
	proof []byte
}

// buildMsgs proves every message at height h-1 of the other chain (the
// proofs queried proofQueries at a time), and stops adding once the
// transaction would exceed max_tx_bytes; it returns the work actually
// included.
func (r *PathRelayer) buildMsgs(ctx context.Context, k int, w work, h int64) ([]sdk.Msg, work, error) {
	x, y, yEnd := r.io[k], r.io[1-k], r.ends[1-k]
	ph := y.Height(h)
	signer := x.Signer()
	var in work
	var items []*proven
	for _, p := range w.acks {
		items = append(items, &proven{p: p, key: yEnd.ackKey(p.Sequence), build: func(pr []byte) sdk.Msg { return ackMsg(p, pr, ph, signer) }, into: &in.acks})
	}
	for _, p := range w.timeouts {
		items = append(items, &proven{p: p, key: yEnd.receiptKey(p.Sequence), build: func(pr []byte) sdk.Msg { return timeoutMsg(p, pr, ph, signer) }, into: &in.timeouts})
	}
	for _, p := range w.recv {
		items = append(items, &proven{p: p, key: yEnd.commitmentKey(p.Sequence), build: func(pr []byte) sdk.Msg { return recvMsg(p, pr, ph, signer) }, into: &in.recv})
	}
	if err := proveAll(ctx, y, items, h-1); err != nil {
		return nil, in, err
	}
	var msgs []sdk.Msg
	size := 0
	for _, it := range items {
		m := it.build(it.proof)
		size += proto.Size(m.(proto.Message))
		if size > r.g.MaxTxBytes && len(msgs) > 0 {
			break
		}
		msgs = append(msgs, m)
		*it.into = append(*it.into, it.p)
	}
	return msgs, in, nil
}

// proveAll fills every item's proof at height, proofQueries queries at a
// time; the first error is returned.
func proveAll(ctx context.Context, y endIO, items []*proven, height int64) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, proofQueries)
	errs := make(chan error, len(items))
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs <- ctx.Err()
				return
			}
			defer func() { <-sem }()
			_, proof, err := y.ProveIBC(ctx, it.key, height)
			if err != nil {
				errs <- err
				cancel()
				return
			}
			it.proof = proof
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// done forgets what a committed transaction delivered.
func (r *PathRelayer) done(k int, w work) {
	r.forget(k, w.recv, w.acks, w.timeouts)
	chain := r.io[k].ID()
	r.m.Relayed.WithLabelValues(r.cfg.Name, chain, "recv").Add(float64(len(w.recv)))
	r.m.Relayed.WithLabelValues(r.cfg.Name, chain, "ack").Add(float64(len(w.acks)))
	r.m.Relayed.WithLabelValues(r.cfg.Name, chain, "timeout").Add(float64(len(w.timeouts)))
}

// forget removes received packets of the other end, delivered acks and
// finished (timed-out or received) packets of end k.
func (r *PathRelayer) forget(k int, received, acked, own []*Packet) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range received {
		delete(r.sent[1-k], p.Sequence)
	}
	for _, p := range acked {
		delete(r.acks[k], p.Sequence)
	}
	for _, p := range own {
		delete(r.sent[k], p.Sequence)
	}
}

func (r *PathRelayer) gauges(k int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	chain := r.io[k].ID()
	r.m.Backlog.WithLabelValues(r.cfg.Name, chain, "recv").Set(float64(len(r.sent[1-k])))
	r.m.Backlog.WithLabelValues(r.cfg.Name, chain, "ack").Set(float64(len(r.acks[k])))
	now := time.Now()
	r.m.OldestPending.WithLabelValues(r.cfg.Name, chain, "recv").Set(oldest(r.sent[1-k], now).Seconds())
	r.m.OldestPending.WithLabelValues(r.cfg.Name, chain, "ack").Set(oldest(r.acks[k], now).Seconds())
}

// oldest is how long the longest-waiting of ps has waited (0 if none).
func oldest(ps map[uint64]*Packet, now time.Time) time.Duration {
	var age time.Duration
	for _, p := range ps {
		if !p.Seen.IsZero() {
			age = max(age, now.Sub(p.Seen))
		}
	}
	return age
}

// refreshClient updates end k's client when less than refresh_fraction of
// its trusting period is left; checked at most every 10 seconds.
func (r *PathRelayer) refreshClient(ctx context.Context, k int, yLatest int64) error {
	if time.Since(r.lastRefresh[k]) < 10*time.Second {
		return nil
	}
	r.lastRefresh[k] = time.Now()
	x := r.io[k]
	info, err := x.client(ctx)
	if err != nil {
		return err
	}
	r.m.ClientExpiry.WithLabelValues(x.ID(), info.ClientID).Set(info.Left.Seconds())
	if info.Left > time.Duration(float64(info.TrustingPeriod)*r.g.RefreshFraction) {
		return nil
	}
	update, _, err := x.updateClient(ctx, yLatest)
	if err != nil || len(update) == 0 {
		return err
	}
	r.recordOwn(k, update)
	if _, err := x.Submit(ctx, update...); err != nil {
		return fmt.Errorf("refresh client %s: %w", info.ClientID, err)
	}
	r.log.Info("refreshed light client before expiry", "chain", x.ID(), "client", info.ClientID, "was_left", info.Left.Round(time.Second))
	return nil
}

// channelCheckEvery: a v1 channel found fit to relay on is checked again after this.
const channelCheckEvery = time.Minute

// checkChannel refuses to relay on a v1 end whose channel vinrelay cannot
// serve: not OPEN (a closed channel's packets need MsgTimeoutOnClose, which
// vinrelay does not send), ORDERED (vinrelay relays in sequence order but
// sets failing packets aside, which an ordered channel forbids), or on a
// connection with a delay period (vinrelay proves packets in the same tx as
// the client update, which a delay would refuse).
func (r *PathRelayer) checkChannel(ctx context.Context, k int) error {
	if r.cfg.IBC != IBCv1 || time.Since(r.channelOK[k]) < channelCheckEvery {
		return nil
	}
	ch, delay, err := r.io[k].channel(ctx)
	if err != nil {
		return err
	}
	end := r.ends[k]
	switch {
	case ch.State != channeltypes.OPEN:
		return fmt.Errorf("%s: channel %s/%s is %s, not OPEN: not relaying on it", r.io[k].ID(), end.PortID, end.ChannelID, ch.State)
	case ch.Ordering != channeltypes.UNORDERED:
		return fmt.Errorf("%s: channel %s/%s is %s: vinrelay relays UNORDERED channels only", r.io[k].ID(), end.PortID, end.ChannelID, ch.Ordering)
	case delay > 0:
		return fmt.Errorf("%s: channel %s/%s is on a connection with a %s delay period: vinrelay relays connections without one", r.io[k].ID(), end.PortID, end.ChannelID, delay)
	}
	r.channelOK[k] = time.Now()
	return nil
}

// Clear compares chain state with what the relayer knows: every packet
// still committed on one end and not received on the other, and every ack
// written but not delivered, is looked up (by tx search) and queued. It
// depends on no local state, which is what makes restarts safe.
//
// It returns how many packets the chains show waiting (to be received or
// timed out, or acknowledged) before this pass relays anything.
func (r *PathRelayer) Clear(ctx context.Context) (waiting int, err error) {
	for k := range 2 {
		src, dst := r.ends[k], r.ends[1-k]
		unrec, received, err := r.pending(ctx, k)
		if err != nil {
			return 0, err
		}
		unrec, received = r.relayable(k, unrec, received)
		if err := r.queue(ctx, k, src, eventSendPacket, r.missing(r.sent[k], unrec), r.sent[k]); err != nil {
			return 0, err
		}
		if err := r.queue(ctx, k, dst, eventWriteAck, r.missing(r.acks[k], received), r.acks[k]); err != nil {
			return 0, err
		}
		if len(unrec)+len(received) > 0 {
			r.log.Info("backlog", "from", src.chain.ID(), "unreceived", len(unrec), "acks_pending", len(received))
		}
		waiting += len(unrec) + len(received)
	}
	r.Wake()
	return waiting, nil
}

// relayable drops from what the chains show pending for packets end k sent
// those the path skips (ports not allowed), and forgets skipped packets
// that are no longer pending.
func (r *PathRelayer) relayable(k int, unrec, received []uint64) ([]uint64, []uint64) {
	pending := make(map[uint64]bool, len(unrec)+len(received))
	for _, s := range append(slices.Clone(unrec), received...) {
		pending[s] = true
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	maps.DeleteFunc(r.skipped[k], func(s uint64, _ bool) bool { return !pending[s] })
	skip := func(s uint64) bool { return r.skipped[k][s] }
	return slices.DeleteFunc(slices.Clone(unrec), skip), slices.DeleteFunc(slices.Clone(received), skip)
}

func (r *PathRelayer) missing(known map[uint64]*Packet, want []uint64) []uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.DeleteFunc(slices.Clone(want), func(s uint64) bool { return known[s] != nil })
}

// queue finds the events of seqs on end e and adds them to into: the
// lowest clear_limit of them when set, the rest in later passes.
func (r *PathRelayer) queue(ctx context.Context, k int, e endpoint, eventType string, want []uint64, into map[uint64]*Packet) error {
	if len(want) == 0 {
		return nil
	}
	if limit := r.g.ClearLimit; limit > 0 && len(want) > limit {
		want = slices.Sorted(slices.Values(want))[:limit]
		r.limited.Store(true)
	}
	found, err := e.findEvents(ctx, eventType, want)
	if err != nil {
		return err
	}
	r.enqueue(k, e.chain.ID(), eventType, want, found, into)
	return nil
}

// enqueue adds the packets found for want (all sent by end k) to into,
// unless the path skips them.
func (r *PathRelayer) enqueue(k int, chain, eventType string, want []uint64, found, into map[uint64]*Packet) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range want {
		p := found[s]
		if p == nil {
			r.log.Warn("packet in chain state but its event was not found or unreadable (tx index disabled or pruned?)", "chain", chain, "event", eventType, "sequence", s)
			continue
		}
		if into[s] == nil && r.admit(k, p) {
			p.Seen = time.Now()
			into[s] = p
		}
	}
}
