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

// Headers verifies one chain's headers with CometBFT's light client against
// a primary and witnesses, then cross-checks every header it hands out
// with each witness.
type Headers struct {
	chainID   string
	client    *light.Client
	primary   provider.Provider
	witnesses []provider.Provider
	now       func() time.Time
	// closeStore closes the store's database (nil when the caller owns it).
	closeStore func() error
}

// NewHeaders starts a light client of chainID from anchor (or from what
// store already trusts, so later audits are incremental). It needs at
// least one witness.
func NewHeaders(ctx context.Context, chainID string, anchor Anchor, primary provider.Provider, witnesses []provider.Provider, store lightstore.Store, now func() time.Time) (*Headers, error) {
	if len(witnesses) == 0 {
		return nil, fmt.Errorf("%w: %s: no witness; give at least one RPC besides the primary", ErrCannotVerify, chainID)
	}
	client, err := light.NewClient(ctx, chainID, light.TrustOptions{Period: anchor.Period, Height: anchor.Height, Hash: anchor.Hash},
		primary, witnesses, store, light.MaxRetryAttempts(2), light.Logger(cmtlog.NewNopLogger()))
	if err != nil {
		return nil, anchorError(ctx, chainID, anchor, primary, witnesses, err)
	}
	return &Headers{chainID: chainID, client: client, primary: primary, witnesses: witnesses, now: now}, nil
}

// anchorError says why the light client refused to start from anchor: the
// primary serves another header there, or a witness does (a conflict
// naming both hashes), or err as the light client put it.
func anchorError(ctx context.Context, chainID string, anchor Anchor, primary provider.Provider, witnesses []provider.Provider, err error) error {
	lb, perr := primary.LightBlock(ctx, anchor.Height)
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
func NewRPCHeaders(ctx context.Context, chainID string, anchor Anchor, primary string, witnesses []string, dir string) (*Headers, error) {
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
	h, err := NewHeaders(ctx, chainID, anchor, p, ws, lightdb.New(db, chainID), time.Now)
	if err != nil {
		db.Close()
		return nil, err
	}
	h.closeStore = db.Close
	return h, nil
}

// Latest verifies the chain's latest header and returns the height of the
// state it commits (one below it) and that state's app hash.
func (h *Headers) Latest(ctx context.Context) (int64, []byte, error) {
	lb, err := h.client.Update(ctx, h.now())
	if err != nil {
		return 0, nil, h.classify(ctx, "latest header", err)
	}
	if lb == nil { // already at the latest
		if lb, err = h.client.TrustedLightBlock(0); err != nil {
			return 0, nil, cannotVerify(h.chainID, "latest header", err)
		}
	}
	if err := h.crossCheck(ctx, lb); err != nil {
		return 0, nil, err
	}
	return lb.Height - 1, lb.AppHash, nil
}

// AppHash verifies the header after height and returns the app hash that
// commits the state at height.
func (h *Headers) AppHash(ctx context.Context, height int64) ([]byte, error) {
	lb, err := h.client.VerifyLightBlockAtHeight(ctx, height+1, h.now())
	if err != nil {
		return nil, h.classify(ctx, fmt.Sprintf("header %d", height+1), err)
	}
	if err := h.crossCheck(ctx, lb); err != nil {
		return nil, err
	}
	return lb.AppHash, nil
}

// crossCheck asks every witness for the header the light client verified:
// one that serves another stops the audit, naming both hashes; at least one
// must serve the same.
func (h *Headers) crossCheck(ctx context.Context, lb *cmttypes.LightBlock) error {
	if h.client.Primary() != h.primary {
		// The light client drops a primary that serves a bad header and
		// carries on with a witness; the auditor reads proofs from the
		// primary, so it stops instead.
		return fmt.Errorf("%w: %s header %d: the primary %s served a header the light client refused", ErrCannotVerify, h.chainID, lb.Height, h.primary)
	}
	confirmed := false
	for _, w := range h.witnesses {
		wlb, err := w.LightBlock(ctx, lb.Height)
		if err != nil {
			continue // an unreachable witness confirms nothing
		}
		if !bytes.Equal(wlb.Hash(), lb.Hash()) {
			return &ConflictError{ChainID: h.chainID, Height: lb.Height, Primary: fmt.Sprint(h.primary), PrimaryHash: lb.Hash(),
				Witness: fmt.Sprint(w), WitnessHash: wlb.Hash()}
		}
		confirmed = true
	}
	if !confirmed {
		return fmt.Errorf("%w: %s header %d: no witness confirmed it", ErrCannotVerify, h.chainID, lb.Height)
	}
	return nil
}

// classify turns a light client failure into a conflict (a witness's header
// differs from the primary's) or ErrCannotVerify. Every failure is checked
// for a conflict: the light client drops a witness whose divergent header
// it cannot verify (another chain, or a fork it cannot sign) and then
// reports only that no witness is left, naming neither header.
func (h *Headers) classify(ctx context.Context, what string, err error) error {
	if lb, perr := h.primary.LightBlock(ctx, 0); perr == nil {
		var ce *ConflictError
		if errors.As(h.crossCheck(ctx, lb), &ce) {
			ce.LightClientErr = err
			return ce
		}
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
