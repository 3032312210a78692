package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	dbm "github.com/cometbft/cometbft-db"
	cmtlog "github.com/cometbft/cometbft/libs/log"
	"github.com/cometbft/cometbft/light"
	"github.com/cometbft/cometbft/light/provider"
	lighthttp "github.com/cometbft/cometbft/light/provider/http"
	lightstore "github.com/cometbft/cometbft/light/store"
	lightdb "github.com/cometbft/cometbft/light/store/db"
	cmttypes "github.com/cometbft/cometbft/types"
)

// ErrCannotVerify means the auditor could not verify a chain's header:
// the RPC is unreachable, the trust anchor expired, or no witness
// confirmed what the primary served. Nothing read from that chain counts.
var ErrCannotVerify = errors.New("could not verify")

// ConflictError means a witness serves another header than the primary at
// the same height: one of them serves a fork. The audit stops.
type ConflictError struct {
	ChainID        string
	Height         int64
	Primary        string
	PrimaryHash    []byte
	Witness        string
	WitnessHash    []byte
	LightClientErr error
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s height %d: primary %s serves header %X, witness %s serves header %X: one of them serves a fork",
		e.ChainID, e.Height, e.Primary, e.PrimaryHash, e.Witness, e.WitnessHash)
}

// Anchor is the root of trust in one chain: a header (height and hash)
// the auditor got from a trusted source, trusted for Period after its time.
type Anchor struct {
	Height int64
	Hash   []byte
	Period time.Duration
}

// DefaultMaxHeaderAge is how old the latest header may be: an older one is
// refused as stale (a primary pinning the audit to an old state, or a
// halted chain).
const DefaultMaxHeaderAge = 10 * time.Minute

// maxLag is how many blocks the primary's latest header may be behind the
// latest a witness reported just before: nodes of a live chain are a block
// or two apart, a primary serving an old state is further behind.
const maxLag = 2

// Verified is a chain's state as the auditor verified it: the header after
// it, verified by the light client and served the same by Witnesses.
type Verified struct {
	// Height is the state's height; the header is Height+1's.
	Height  int64
	AppHash []byte
	// Time is the header's time.
	Time time.Time
	// Witnesses are those that served the same header.
	Witnesses []string
}

// Headers verifies one chain's headers with CometBFT's light client against
// a primary and witnesses, then cross-checks every header it hands out
// with each witness.
type Headers struct {
	chainID   string
	client    *light.Client
	primary   provider.Provider
	witnesses []provider.Provider
	// names are the witnesses' names in a report (their URLs over RPC).
	names  []string
	period time.Duration
	maxAge time.Duration
	now    func() time.Time
	// closeStore closes the store's database (nil when the caller owns it).
	closeStore func() error
}

// NewHeaders starts a light client of chainID from what store already
// trusts, so later audits are incremental, or from anchor when the store
// has nothing trusted at or above it that is still within the trusting
// period. It needs at least one witness. Latest refuses a header older
// than maxAge.
func NewHeaders(ctx context.Context, chainID string, anchor Anchor, maxAge time.Duration, primary provider.Provider, witnesses []provider.Provider, store lightstore.Store, now func() time.Time) (*Headers, error) {
	if len(witnesses) == 0 {
		return nil, fmt.Errorf("%w: %s: no witness; give at least one RPC besides the primary", ErrCannotVerify, chainID)
	}
	opts := []light.Option{light.MaxRetryAttempts(2), light.Logger(cmtlog.NewNopLogger())}
	var client *light.Client
	var err error
	if resumable(store, anchor, now()) {
		client, err = light.NewClientFromTrustedStore(chainID, anchor.Period, primary, witnesses, store, opts...)
	} else {
		client, err = light.NewClient(ctx, chainID, light.TrustOptions{Period: anchor.Period, Height: anchor.Height, Hash: anchor.Hash},
			primary, witnesses, store, opts...)
	}
	if err != nil {
		return nil, anchorError(ctx, chainID, anchor, primary, witnesses, err)
	}
	names := make([]string, len(witnesses))
	for i, w := range witnesses {
		names[i] = fmt.Sprint(w)
	}
	h := &Headers{chainID: chainID, client: client, primary: primary, witnesses: witnesses, names: names,
		period: anchor.Period, maxAge: maxAge, now: now}
	if client.Primary() != primary {
		// The light client replaces a primary that does not answer with a
		// witness; the auditor reads proofs from the primary, so it stops.
		return nil, h.primaryReplaced(ctx, anchor.Height)
	}
	return h, nil
}

// resumable reports whether store trusts a header at or above anchor that
// is still within the trusting period, and agrees with anchor if it still
// holds the anchor's height (a changed anchor starts the store again).
func resumable(store lightstore.Store, anchor Anchor, now time.Time) bool {
	last, err := store.LastLightBlockHeight()
	if err != nil || last < anchor.Height {
		return false
	}
	latest, err := store.LightBlock(last)
	if err != nil || light.HeaderExpired(latest.SignedHeader, anchor.Period, now) {
		return false
	}
	at, err := store.LightBlock(anchor.Height)
	if errors.Is(err, lightstore.ErrLightBlockNotFound) {
		return true // pruned: the store has verified far past it
	}
	return err == nil && bytes.Equal(at.Hash(), anchor.Hash)
}

// primaryReplaced says why the light client dropped the primary: it does
// not answer, or it served a header the light client refused.
func (h *Headers) primaryReplaced(ctx context.Context, height int64) error {
	if _, err := h.primary.LightBlock(ctx, 0); unreachable(err) {
		return fmt.Errorf("%w: %s: primary %s unreachable: %v", ErrCannotVerify, h.chainID, h.primary, err)
	}
	return fmt.Errorf("%w: %s header %d: the primary %s served a header the light client refused", ErrCannotVerify, h.chainID, height, h.primary)
}

// unreachable reports whether a provider's error means it did not answer,
// rather than answered with nothing or with a bad block.
func unreachable(err error) bool {
	var bad provider.ErrBadLightBlock
	return err != nil && !errors.As(err, &bad) && !errors.Is(err, provider.ErrLightBlockNotFound) && !errors.Is(err, provider.ErrHeightTooHigh)
}

// anchorError says why the light client refused to start from anchor: the
// primary serves another header there, or a witness does (a conflict
// naming both hashes), or err as the light client put it.
func anchorError(ctx context.Context, chainID string, anchor Anchor, primary provider.Provider, witnesses []provider.Provider, err error) error {
	lb, perr := primary.LightBlock(ctx, anchor.Height)
	if unreachable(perr) {
		return fmt.Errorf("%w: %s: primary %s unreachable: %v", ErrCannotVerify, chainID, primary, perr)
	}
	if perr != nil {
		return cannotVerify(chainID, "trust anchor", err)
	}
	if !bytes.Equal(lb.Hash(), anchor.Hash) {
		return cannotVerify(chainID, "trust anchor", fmt.Errorf("the primary %v serves header %X at height %d, the trust anchor is %X (%v)", primary, lb.Hash(), anchor.Height, anchor.Hash, err))
	}
	for _, w := range witnesses {
		if wlb, werr := w.LightBlock(ctx, anchor.Height); werr == nil && !bytes.Equal(wlb.Hash(), anchor.Hash) {
			return &ConflictError{ChainID: chainID, Height: anchor.Height, Primary: fmt.Sprint(primary), PrimaryHash: lb.Hash(),
				Witness: fmt.Sprint(w), WitnessHash: wlb.Hash(), LightClientErr: err}
		}
	}
	return cannotVerify(chainID, "trust anchor", err)
}

// NewRPCHeaders is NewHeaders over CometBFT RPC endpoints, with the light
// client's store in dir (the auditor's home).
func NewRPCHeaders(ctx context.Context, chainID string, anchor Anchor, maxAge time.Duration, primary string, witnesses []string, dir string) (*Headers, error) {
	p, err := lighthttp.New(chainID, primary)
	if err != nil {
		return nil, cannotVerify(chainID, "primary "+primary, err)
	}
	var ws []provider.Provider
	for _, w := range witnesses {
		wp, err := lighthttp.New(chainID, w)
		if err != nil {
			return nil, cannotVerify(chainID, "witness "+w, err)
		}
		ws = append(ws, wp)
	}
	db, err := dbm.NewGoLevelDB("light-"+chainID, filepath.Clean(dir))
	if err != nil {
		return nil, fmt.Errorf("light client store in %s: %w", dir, err)
	}
	h, err := NewHeaders(ctx, chainID, anchor, maxAge, p, ws, lightdb.New(db, chainID), time.Now)
	if err != nil {
		db.Close()
		return nil, err
	}
	h.names, h.closeStore = witnesses, db.Close
	return h, nil
}

// Latest verifies the chain's latest header and returns the state it
// commits (one below it). The primary picks the latest header, so it could
// pin the audit to an old state with a genuine old header: the header must
// be within the trusting period, at most maxAge old, and at most maxLag
// blocks behind the latest height any witness reported just before (a
// primary behind is asked again a few times: an honest one catches up).
func (h *Headers) Latest(ctx context.Context) (Verified, error) {
	tallest, tallestAt := h.witnessesLatest(ctx)
	for attempt := 1; ; attempt++ {
		lb, err := h.primaryLatest(ctx)
		if err != nil {
			return Verified{}, err
		}
		if err := h.fresh(lb); err != nil {
			return Verified{}, err
		}
		if tallest <= lb.Height+maxLag {
			return h.verified(ctx, lb)
		}
		if attempt == catchUpAttempts {
			return Verified{}, fmt.Errorf("%w: %s: the primary %s serves header %d as its latest, witness %s is at %d: the primary serves a stale state",
				ErrCannotVerify, h.chainID, h.primary, lb.Height, tallestAt, tallest)
		}
		select {
		case <-ctx.Done():
			return Verified{}, cannotVerify(h.chainID, "latest header", ctx.Err())
		case <-time.After(catchUpPause):
		}
	}
}

// A primary behind a witness is asked catchUpAttempts times, catchUpPause apart.
const (
	catchUpAttempts = 3
	catchUpPause    = 500 * time.Millisecond
)

// primaryLatest is the primary's latest header, verified by the light
// client (the trusted one when the primary has none later).
func (h *Headers) primaryLatest(ctx context.Context) (*cmttypes.LightBlock, error) {
	lb, err := h.client.Update(ctx, h.now())
	if err != nil {
		return nil, h.classify(ctx, "latest header", err)
	}
	if lb == nil { // the primary's latest is no later than the trusted one
		if lb, err = h.client.TrustedLightBlock(0); err != nil {
			return nil, cannotVerify(h.chainID, "latest header", err)
		}
	}
	return lb, nil
}

// witnessesLatest is the highest latest height a witness reports, and the
// witness; 0 when none answers (crossCheck then fails).
func (h *Headers) witnessesLatest(ctx context.Context) (int64, string) {
	var tallest int64
	var at string
	for i, w := range h.witnesses {
		if wlb, err := w.LightBlock(ctx, 0); err == nil && wlb.Height > tallest {
			tallest, at = wlb.Height, h.names[i]
		}
	}
	return tallest, at
}

// fresh refuses a latest header that commits no state, is past the
// trusting period or is older than maxAge.
func (h *Headers) fresh(lb *cmttypes.LightBlock) error {
	now := h.now()
	switch {
	case lb.Height < 2:
		return fmt.Errorf("%w: %s: the latest header is %d, which commits no state yet", ErrCannotVerify, h.chainID, lb.Height)
	case light.HeaderExpired(lb.SignedHeader, h.period, now):
		return fmt.Errorf("%w: %s latest header %d of %s: expired (trusting period %s); the trust anchor is too old, configure a recent trusted header",
			ErrCannotVerify, h.chainID, lb.Height, lb.Time.UTC().Format(time.RFC3339), h.period)
	case now.Sub(lb.Time) > h.maxAge:
		return fmt.Errorf("%w: %s latest header %d of %s is %s old (max header age %s): the primary %s serves a stale state, or the chain has halted",
			ErrCannotVerify, h.chainID, lb.Height, lb.Time.UTC().Format(time.RFC3339), now.Sub(lb.Time).Round(time.Second), h.maxAge, h.primary)
	}
	return nil
}

// AppHash verifies the header after height and returns the app hash that
// commits the state at height.
func (h *Headers) AppHash(ctx context.Context, height int64) ([]byte, error) {
	lb, err := h.client.VerifyLightBlockAtHeight(ctx, height+1, h.now())
	if err != nil {
		return nil, h.classify(ctx, fmt.Sprintf("header %d", height+1), err)
	}
	v, err := h.verified(ctx, lb)
	return v.AppHash, err
}

// verified cross-checks the header the light client verified and returns
// the state it commits.
func (h *Headers) verified(ctx context.Context, lb *cmttypes.LightBlock) (Verified, error) {
	if h.client.Primary() != h.primary {
		// The light client drops a primary that does not answer or serves a
		// bad header and carries on with a witness; the auditor reads proofs
		// from the primary, so it stops instead.
		return Verified{}, h.primaryReplaced(ctx, lb.Height)
	}
	confirmed, err := h.crossCheck(ctx, lb)
	if err != nil {
		return Verified{}, err
	}
	return Verified{Height: lb.Height - 1, AppHash: lb.AppHash, Time: lb.Time, Witnesses: confirmed}, nil
}

// crossCheck asks every witness for the header the light client verified:
// one that serves another stops the audit, naming both hashes; at least one
// must serve the same. It returns the names of those that did.
func (h *Headers) crossCheck(ctx context.Context, lb *cmttypes.LightBlock) ([]string, error) {
	var confirmed []string
	for i, w := range h.witnesses {
		wlb, err := w.LightBlock(ctx, lb.Height)
		if err != nil {
			continue // an unreachable witness confirms nothing
		}
		if !bytes.Equal(wlb.Hash(), lb.Hash()) {
			return nil, &ConflictError{ChainID: h.chainID, Height: lb.Height, Primary: fmt.Sprint(h.primary), PrimaryHash: lb.Hash(),
				Witness: fmt.Sprint(w), WitnessHash: wlb.Hash()}
		}
		confirmed = append(confirmed, h.names[i])
	}
	if len(confirmed) == 0 {
		return nil, fmt.Errorf("%w: %s header %d: no witness confirmed it", ErrCannotVerify, h.chainID, lb.Height)
	}
	return confirmed, nil
}

// classify turns a light client failure into a conflict (a witness's header
// differs from the primary's) or ErrCannotVerify. Every failure is checked
// for a conflict: the light client drops a witness whose divergent header
// it cannot verify (another chain, or a fork it cannot sign) and then
// reports only that no witness is left, naming neither header.
func (h *Headers) classify(ctx context.Context, what string, err error) error {
	lb, perr := h.primary.LightBlock(ctx, 0)
	if unreachable(perr) {
		return fmt.Errorf("%w: %s %s: primary %s unreachable: %v (light client: %v)", ErrCannotVerify, h.chainID, what, h.primary, perr, err)
	}
	if perr == nil {
		var ce *ConflictError
		if _, cerr := h.crossCheck(ctx, lb); errors.As(cerr, &ce) {
			ce.LightClientErr = err
			return ce
		}
	}
	var expired light.ErrOldHeaderExpired
	if errors.As(err, &expired) {
		return fmt.Errorf("%w: %s %s: the trusted header (the trust anchor, or the last audit's header) expired at %s, trusting period %s: configure a recent trusted header (trust_height, trust_hash)",
			ErrCannotVerify, h.chainID, what, expired.At.UTC().Format(time.RFC3339), h.period)
	}
	return cannotVerify(h.chainID, what, err)
}

func cannotVerify(chainID, what string, err error) error {
	return fmt.Errorf("%w: %s %s: %v", ErrCannotVerify, chainID, what, err)
}

// Close closes the light client's store, keeping what it trusts for the next audit.
func (h *Headers) Close() error {
	if h.closeStore == nil {
		return nil
	}
	return h.closeStore()
}
