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

	"github.com/vinhub/vinhub/client"
	"github.com/vinhub/vinhub/x/notary/types"
)

// Notary watches its sources and attests what reaches finality there.
type Notary struct {
	hub    *client.Chain
	query  types.QueryClient
	signer Signer
	// home keeps each source's cursor, so a restart does not re-read
	// everything; what was signed is always learned from the hub.
	home    string
	sources []Source
	m       *Metrics
	log     *slog.Logger
	poll    time.Duration

	// done holds, per source, the positions handled at or above its cursor's lookback.
	done   map[string]map[int64]bool
	cursor map[string]int64
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
// account) and signing with signer.
func New(hub *client.Chain, signer Signer, home string, sources []Source, poll time.Duration, m *Metrics, log *slog.Logger) *Notary {
	if m == nil {
		m = NewMetrics()
	}
	n := &Notary{hub: hub, query: types.NewQueryClient(hub.Conn()), signer: signer, home: home, sources: sources,
		m: m, log: log, poll: poll, done: map[string]map[int64]bool{}, cursor: map[string]int64{}}
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
		for _, src := range n.sources {
			if err := n.Poll(ctx, src); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				n.m.Errors.WithLabelValues(src.Name()).Inc()
				n.log.Warn("notary: source poll failed; will retry", "source", src.Name(), "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(n.poll):
		}
	}
}

// Poll attests the source's final events it has not handled. Events are
// handled in order; the cursor only moves past an event once it is
// signed, skipped as decided, or refused as invalid, so a failure retries
// the same event next time and nothing is skipped.
func (n *Notary) Poll(ctx context.Context, src Source) error {
	name := src.Name()
	from := max(n.cursor[name]-src.Lookback(), 0)
	events, through, err := src.Read(ctx, from)
	if err != nil {
		return err
	}
	done := n.done[name]
	for _, e := range events {
		if done[e.Seq] {
			continue
		}
		n.m.Observed.WithLabelValues(name).Inc()
		if e.Err != nil {
			n.m.Skipped.WithLabelValues(name, "invalid").Inc()
			n.log.Warn("notary: event is not a valid observation; not signed", "source", name, "position", e.Seq, "err", e.Err)
		} else if _, err := n.Attest(ctx, name, e.Observation); err != nil {
			return fmt.Errorf("position %d: %w", e.Seq, err)
		}
		done[e.Seq] = true
		if n.advance(name, e.Seq) {
			n.m.Height.WithLabelValues(name).Set(float64(cmp.Or(e.Observation.Height, uint64(e.Seq))))
		}
	}
	n.advance(name, through)
	n.forget(name, src.Lookback())
	n.m.polled(name)
	return n.saveCursor(name)
}

// advance moves the source's cursor up to pos, reporting whether it moved.
func (n *Notary) advance(name string, pos int64) bool {
	if pos <= n.cursor[name] {
		return false
	}
	n.cursor[name] = pos
	return true
}

// Attest posts this notary's signature of obs unless the hub shows it
// already decided the event with this observation or holds this notary's
// signature of it (after a restart, or when another notary's signature made
// it final first). It reports whether a signature was posted.
func (n *Notary) Attest(ctx context.Context, source string, obs types.Observation) (bool, error) {
	skip, err := n.known(ctx, obs)
	if err != nil {
		return false, err
	}
	if skip != "" {
		n.m.Skipped.WithLabelValues(source, skip).Inc()
		return false, nil
	}
	set, err := n.query.CurrentSet(ctx, &types.QueryCurrentSetRequest{})
	if err != nil {
		return false, fmt.Errorf("current notary set: %w", err)
	}
	if !n.inSet(set.Set) {
		return false, fmt.Errorf("this notary (operator %s, key %s) is not in notary set %d: ask governance to add it", n.hub.Signer(), n.signer.PubKeyHex(), set.Set.Version)
	}
	sig, err := n.signer.Sign(obs, set.Set.Version)
	if err != nil {
		return false, err
	}
	_, err = n.hub.Submit(ctx, &types.MsgAttest{Notary: n.hub.Signer(), Observation: obs, SetVersion: set.Set.Version, Signature: sig})
	switch {
	case errors.Is(err, types.ErrAlreadyFinal), errors.Is(err, types.ErrDuplicateSigner):
		n.m.Skipped.WithLabelValues(source, "decided").Inc()
		return false, nil
	case err != nil:
		return false, fmt.Errorf("attest %s: %w", obs.SourceKey(), err)
	}
	n.m.Signed.WithLabelValues(source).Inc()
	n.log.Info("notary: attested", "source", source, "event", obs.SourceKey(), "set", set.Set.Version)
	return true, nil
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
}

// Status reads the current set from the hub and the sources' positions.
func (n *Notary) Status(ctx context.Context) (Status, error) {
	set, err := n.query.CurrentSet(ctx, &types.QueryCurrentSetRequest{})
	if err != nil {
		return Status{}, fmt.Errorf("current notary set: %w", err)
	}
	st := Status{Set: set.Set, Operator: n.hub.Signer(), PubKey: n.signer.PubKeyHex(), Member: n.inSet(set.Set)}
	for _, name := range n.Sources() {
		st.Sources = append(st.Sources, SourceStatus{Name: name, Cursor: n.cursor[name]})
	}
	return st, nil
}
