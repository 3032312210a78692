package notary

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/client"
	"github.com/vinhub/vinhub/x/notary/types"
)

// Notary watches its sources and attests what reaches finality there.
type Notary struct {
	hub    Hub
	query  types.QueryClient
	signer Signer
	// home keeps each source's cursor, so a restart does not re-read
	// everything; what was signed is always learned from the hub.
	home     string
	sources  []Source
	m        *Metrics
	log      *slog.Logger
	poll     time.Duration
	maxPerTx int

	// done holds, per source, the positions handled at or above its cursor's lookback.
	done   map[string]map[int64]bool
	cursor map[string]int64
}

// Hub is what a notary needs of the hub: its operator account, which signs
// and pays for MsgAttest, and transactions (client.Chain, or a fake in
// tests). Submit reports a refusal as a *client.ABCIError.
type Hub interface {
	Signer() string
	Submit(ctx context.Context, msgs ...sdk.Msg) (client.TxResult, error)
}

// Source is a platform the notary watches: a dealer's ledger
// (LedgerSource) or a Stellar account (StellarSource). Every event has a
// position; positions grow in the source's order.
type Source interface {
	// Name names the source in logs, metrics and its cursor file.
	Name() string
	// Read returns the final events at positions above from, in order,
	// and the position it read through (events or not).
	Read(ctx context.Context, from int64) ([]Observed, int64, error)
	// Lookback is how many positions below the cursor are read again on
	// every poll, for sources where an earlier position may appear late.
	Lookback() int64
}

// New builds a notary posting to hub (its signer is the member's operator
// account), reading the hub through query and signing with signer; cfg
// gives the poll interval and the batch bound.
func New(hub Hub, query types.QueryClient, signer Signer, home string, sources []Source, cfg Config, log *slog.Logger) *Notary {
	n := &Notary{hub: hub, query: query, signer: signer, home: home, sources: sources,
		m: NewMetrics(), log: log, poll: cfg.PollInterval.Duration, maxPerTx: cfg.maxPerTx(),
		done: map[string]map[int64]bool{}, cursor: map[string]int64{}}
	for _, s := range sources {
		n.done[s.Name()] = map[int64]bool{}
		n.cursor[s.Name()] = n.loadCursor(s.Name())
	}
	return n
}

// Sources names the watched sources.
func (n *Notary) Sources() []string {
	out := make([]string, len(n.sources))
	for i, s := range n.sources {
		out[i] = s.Name()
	}
	return out
}

// Run polls every source until ctx ends. A failing source is retried at
// the next poll; it never stops the others.
func (n *Notary) Run(ctx context.Context) error {
	for {
		for name, err := range n.PollAll(ctx, n.sources) {
			if ctx.Err() != nil {
				return nil
			}
			n.m.Errors.WithLabelValues(name).Inc()
			n.log.Warn("notary: source poll failed; will retry", "source", name, "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(n.poll):
		}
	}
}

// Poll is PollAll of one source.
func (n *Notary) Poll(ctx context.Context, src Source) error {
	return n.PollAll(ctx, []Source{src})[src.Name()]
}

// PollAll attests the sources' final events not handled yet, all of them
// in as few transactions as the batch bound allows, whatever source they
// come from. An event is handled once signed, skipped as decided, or
// refused as invalid; a source's cursor only moves past an event once it
// and every event before it are handled, so a failure retries the same
// event next time and nothing is skipped, while the events after it are
// posted anyway (one refusal stalls nothing). It returns the failing
// sources' errors by name.
func (n *Notary) PollAll(ctx context.Context, sources []Source) map[string]error {
	errs := map[string]error{}
	var reads []sourceRead
	var events []event
	for _, src := range sources {
		r, err := n.read(ctx, src)
		if err != nil {
			errs[src.Name()] = err
			continue
		}
		reads = append(reads, r)
		for _, e := range r.fresh {
			events = append(events, event{source: src.Name(), Observed: e})
		}
	}
	failed := n.attestAll(ctx, events)
	for _, r := range reads {
		if err := n.settle(r, failed); err != nil {
			errs[r.src.Name()] = err
		}
	}
	return errs
}

// sourceRead is what one poll read from a source: the events not handled
// yet and the position it read through.
type sourceRead struct {
	src     Source
	fresh   []Observed
	through int64
}

// event is an event of a named source; eventKey names it.
type event struct {
	source string
	Observed
}

type eventKey struct {
	source string
	seq    int64
}

func (e event) key() eventKey { return eventKey{source: e.source, seq: e.Seq} }

// read reads the source's final events from its cursor (less its
// lookback) and keeps those not handled yet.
func (n *Notary) read(ctx context.Context, src Source) (sourceRead, error) {
	name := src.Name()
	events, through, err := src.Read(ctx, max(n.cursor[name]-src.Lookback(), 0))
	if err != nil {
		return sourceRead{}, err
	}
	r := sourceRead{src: src, through: through}
	for _, e := range events {
		if n.done[name][e.Seq] {
			continue
		}
		n.m.Observed.WithLabelValues(name).Inc()
		if e.Err != nil {
			n.m.Skipped.WithLabelValues(name, "invalid").Inc()
			n.log.Warn("notary: event is not a valid observation; not signed", "source", name, "position", e.Seq, "err", e.Err)
		}
		r.fresh = append(r.fresh, e)
	}
	return r, nil
}

// settle marks the source's handled events and moves its cursor through
// the handled ones up to the first that failed (or all it read).
func (n *Notary) settle(r sourceRead, failed map[eventKey]error) error {
	name := r.src.Name()
	var firstErr error
	for _, e := range r.fresh {
		if err, ok := failed[eventKey{source: name, seq: e.Seq}]; ok {
			firstErr = cmp.Or(firstErr, fmt.Errorf("position %d: %w", e.Seq, err))
			continue
		}
		n.done[name][e.Seq] = true
		if firstErr == nil && n.advance(name, e.Seq) {
			n.m.Height.WithLabelValues(name).Set(float64(cmp.Or(e.Observation.Height, uint64(e.Seq))))
		}
	}
	if firstErr == nil {
		n.advance(name, r.through)
	}
	n.forget(name, r.src.Lookback())
	if err := n.saveCursor(name); err != nil {
		return err
	}
	if firstErr != nil {
		return firstErr
	}
	n.m.polled(name)
	return nil
}

// advance moves the source's cursor up to pos, reporting whether it moved.
func (n *Notary) advance(name string, pos int64) bool {
	if pos <= n.cursor[name] {
		return false
	}
	n.cursor[name] = pos
	return true
}

// signed is one event's MsgAttest, ready to post.
type signed struct {
	event
	msg *types.MsgAttest
}

// attestAll signs the events that still need this notary's signature (the
// hub is asked first: after a restart, or when the others made an event
// final, there is nothing to sign) and posts them in batches. It returns
// the events that could not be handled, with why; invalid events are
// handled (never signed).
func (n *Notary) attestAll(ctx context.Context, events []event) map[eventKey]error {
	failed := map[eventKey]error{}
	var valid []event
	for _, e := range events {
		if e.Err == nil {
			valid = append(valid, e)
		}
	}
	todo := unsigned(ctx, n, valid, func(e event) event { return e }, failed)
	if len(todo) == 0 {
		return failed
	}
	set, err := n.query.CurrentSet(ctx, &types.QueryCurrentSetRequest{})
	if err == nil && !n.inSet(set.Set) {
		err = fmt.Errorf("this notary (operator %s, key %s) is not in notary set %d: ask governance to add it", n.hub.Signer(), n.signer.PubKeyHex(), set.Set.Version)
	} else if err != nil {
		err = fmt.Errorf("current notary set: %w", err)
	}
	var batch []signed
	for _, e := range todo {
		if err != nil {
			failed[e.key()] = err
			continue
		}
		sig, serr := n.signer.Sign(e.Observation, set.Set.Version)
		if serr != nil {
			failed[e.key()] = serr
			continue
		}
		batch = append(batch, signed{event: e, msg: &types.MsgAttest{Notary: n.hub.Signer(), Observation: e.Observation, SetVersion: set.Set.Version, Signature: sig}})
	}
	for len(batch) > 0 {
		k := min(len(batch), n.maxPerTx)
		n.post(ctx, batch[:k], failed)
		batch = batch[k:]
	}
	return failed
}

// unsigned keeps the events whose observation the hub has neither decided
// nor holds this notary's signature of; a failed query fails the event.
func unsigned[T any](ctx context.Context, n *Notary, events []T, of func(T) event, failed map[eventKey]error) []T {
	var out []T
	for _, item := range events {
		e := of(item)
		skip, err := n.known(ctx, e.Observation)
		switch {
		case err != nil:
			failed[e.key()] = err
		case skip != "":
			n.m.Skipped.WithLabelValues(e.source, skip).Inc()
		default:
			out = append(out, item)
		}
	}
	return out
}

// post submits batch in one transaction. If the hub refuses it (one of
// its messages is refused, or it is too large), the hub is asked again
// which events still need this notary's signature (another notary may have
// made some final meanwhile) and the rest is posted in halves, down to
// single messages: a single one refused as already decided or already
// signed by this notary (matched by its registered code) is skipped, any
// other failure leaves that event unhandled and the others go on.
func (n *Notary) post(ctx context.Context, batch []signed, failed map[eventKey]error) {
	msgs := make([]sdk.Msg, len(batch))
	for i, b := range batch {
		msgs[i] = b.msg
	}
	res, err := n.hub.Submit(ctx, msgs...)
	if err == nil {
		for _, b := range batch {
			n.m.Signed.WithLabelValues(b.source).Inc()
		}
		n.log.Info("notary: attested", "events", len(batch), "first", batch[0].msg.Observation.SourceKey(),
			"set", batch[0].msg.SetVersion, "height", res.Height, "gas", res.GasUsed)
		return
	}
	if len(batch) == 1 && (errors.Is(err, types.ErrAlreadyFinal) || errors.Is(err, types.ErrDuplicateSigner)) {
		n.m.Skipped.WithLabelValues(batch[0].source, "decided").Inc()
		return
	}
	if len(batch) == 1 || !(errors.Is(err, client.ErrTooLarge) || errors.As(err, new(*client.ABCIError))) {
		for _, b := range batch {
			failed[b.key()] = fmt.Errorf("attest %s: %w", b.msg.Observation.SourceKey(), err)
		}
		return
	}
	n.log.Info("notary: batch refused; asking the hub again and posting it in halves", "events", len(batch), "err", err)
	rest := unsigned(ctx, n, batch, func(b signed) event { return b.event }, failed)
	if len(rest) <= 1 {
		if len(rest) == 1 {
			n.post(ctx, rest, failed)
		}
		return
	}
	half := len(rest) / 2
	n.post(ctx, rest[:half], failed)
	n.post(ctx, rest[half:], failed)
}

// known says why obs needs no signature ("decided", "signed") or "".
func (n *Notary) known(ctx context.Context, obs types.Observation) (string, error) {
	res, err := n.query.AttestationsBySource(ctx, &types.QueryAttestationsBySourceRequest{Platform: obs.Platform,
		NetworkId: obs.NetworkId, TxRef: obs.TxRef, Index: obs.Index})
	if err != nil {
		return "", fmt.Errorf("attestations of %s: %w", obs.SourceKey(), err)
	}
	mine, err := obs.Hash()
	if err != nil {
		return "", err
	}
	for _, a := range res.Attestations {
		theirs, err := a.Observation.Hash()
		if err != nil || !bytes.Equal(mine, theirs) {
			continue
		}
		if a.Status != types.ATTESTATION_STATUS_PENDING && a.Status != types.ATTESTATION_STATUS_HELD {
			return "decided", nil
		}
		for _, s := range a.Signatures {
			if s.Operator == n.hub.Signer() {
				return "signed", nil
			}
		}
	}
	return "", nil
}

func (n *Notary) inSet(set types.NotarySet) bool {
	for _, m := range set.Members {
		if m.Operator == n.hub.Signer() && bytes.Equal(m.Pubkey, n.signer.PubKey()) {
			return true
		}
	}
	return false
}

// forget drops handled positions below the lookback window.
func (n *Notary) forget(name string, lookback int64) {
	low := n.cursor[name] - lookback
	for seq := range n.done[name] {
		if seq <= low {
			delete(n.done[name], seq)
		}
	}
}

func (n *Notary) cursorPath(name string) string { return StatePath(n.home, name, "cursor") }

// StatePath is where a notary home keeps a source's state of kind ext
// (its cursor, a Bitcoin source's block hashes).
func StatePath(home, source, ext string) string {
	return filepath.Join(home, "notary", strings.ReplaceAll(source, "/", "_")+"."+ext)
}

func (n *Notary) loadCursor(name string) int64 {
	b, err := os.ReadFile(n.cursorPath(name))
	if err != nil {
		return 0
	}
	v, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return v
}

// saveCursor writes the cursor atomically (rename), so a crash leaves the
// old or the new one; either is safe, the hub says what was signed.
func (n *Notary) saveCursor(name string) error {
	return writeAtomic(n.cursorPath(name), []byte(strconv.FormatInt(n.cursor[name], 10)))
}

// writeAtomic replaces path's content by a rename, so a crash leaves the
// old or the new file whole.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Metrics of this notary.
func (n *Notary) Metrics() *Metrics { return n.m }

// Status is what `vinrelay notary status` shows.
type Status struct {
	Set      types.NotarySet
	Operator string
	PubKey   string
	Member   bool
	Sources  []SourceStatus
}

// SourceStatus is one source's position.
type SourceStatus struct {
	Name   string
	Cursor int64
	// Position is Cursor as the source's operators read it (a Bitcoin
	// block height and hash), or the number.
	Position string
}

// positioner is a source whose cursor means more than a number.
type positioner interface{ Position(pos int64) string }

// Status reads the current set from the hub and the sources' positions.
func (n *Notary) Status(ctx context.Context) (Status, error) {
	set, err := n.query.CurrentSet(ctx, &types.QueryCurrentSetRequest{})
	if err != nil {
		return Status{}, fmt.Errorf("current notary set: %w", err)
	}
	st := Status{Set: set.Set, Operator: n.hub.Signer(), PubKey: n.signer.PubKeyHex(), Member: n.inSet(set.Set)}
	for _, src := range n.sources {
		s := SourceStatus{Name: src.Name(), Cursor: n.cursor[src.Name()], Position: strconv.FormatInt(n.cursor[src.Name()], 10)}
		if p, ok := src.(positioner); ok {
			s.Position = p.Position(s.Cursor)
		}
		st.Sources = append(st.Sources, s)
	}
	return st, nil
}
