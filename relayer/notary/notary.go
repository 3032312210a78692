package notary

import (
	"bytes"
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
	ledgers []*LedgerSource
	m       *Metrics
	log     *slog.Logger
	poll    time.Duration

	// done holds, per ledger, the sequences handled at or above its cursor's lookback.
	done   map[string]map[int64]bool
	cursor map[string]int64
}

// New builds a notary posting to hub (its signer is the member's operator
// account) and signing with signer.
func New(hub *client.Chain, signer Signer, home string, ledgers []*LedgerSource, poll time.Duration, m *Metrics, log *slog.Logger) *Notary {
	if m == nil {
		m = NewMetrics()
	}
	n := &Notary{hub: hub, query: types.NewQueryClient(hub.Conn()), signer: signer, home: home, ledgers: ledgers,
		m: m, log: log, poll: poll, done: map[string]map[int64]bool{}, cursor: map[string]int64{}}
	for _, l := range ledgers {
		n.done[l.Name()] = map[int64]bool{}
		n.cursor[l.Name()] = n.loadCursor(l.Name())
	}
	return n
}

// Sources names the watched sources.
func (n *Notary) Sources() []string {
	out := make([]string, len(n.ledgers))
	for i, l := range n.ledgers {
		out[i] = l.Name()
	}
	return out
}

// Run polls every source until ctx ends. A failing source is retried at
// the next poll; it never stops the others.
func (n *Notary) Run(ctx context.Context) error {
	for {
		for _, l := range n.ledgers {
			if err := n.PollLedger(ctx, l); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				n.m.Errors.WithLabelValues(l.Name()).Inc()
				n.log.Warn("notary: source poll failed; will retry", "source", l.Name(), "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(n.poll):
		}
	}
}

// PollLedger attests the ledger's committed rows it has not handled. Rows
// are handled in order; the cursor only moves past a row once it is
// signed, skipped as decided, or refused as invalid, so a failure retries
// the same row next time and nothing is skipped.
func (n *Notary) PollLedger(ctx context.Context, l *LedgerSource) error {
	name := l.Name()
	from := max(n.cursor[name]-ledgerLookback, 0)
	rows, err := l.Rows(ctx, from)
	if err != nil {
		return err
	}
	done := n.done[name]
	for _, r := range rows {
		if done[r.Seq] {
			continue
		}
		n.m.Observed.WithLabelValues(name).Inc()
		if r.Err != nil {
			n.m.Skipped.WithLabelValues(name, "invalid").Inc()
			n.log.Warn("notary: ledger row is not a valid record; not signed", "source", name, "seq", r.Seq, "err", r.Err)
		} else if _, err := n.Attest(ctx, name, r.Observation); err != nil {
			return fmt.Errorf("row %d: %w", r.Seq, err)
		}
		done[r.Seq] = true
		if r.Seq > n.cursor[name] {
			n.cursor[name] = r.Seq
			n.m.Height.WithLabelValues(name).Set(float64(r.Seq))
		}
	}
	n.forget(name)
	n.m.polled(name)
	return n.saveCursor(name)
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

// forget drops handled sequences below the lookback window.
func (n *Notary) forget(name string) {
	low := n.cursor[name] - ledgerLookback
	for seq := range n.done[name] {
		if seq <= low {
			delete(n.done[name], seq)
		}
	}
}

func (n *Notary) cursorPath(name string) string {
	return filepath.Join(n.home, "notary", strings.ReplaceAll(name, "/", "_")+".cursor")
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
	path := n.cursorPath(name)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strconv.FormatInt(n.cursor[name], 10)), 0o600); err != nil {
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
