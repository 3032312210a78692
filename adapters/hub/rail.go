package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/client"
	"github.com/vinhub/vinhub/hashlock"
	htlctypes "github.com/vinhub/vinhub/x/htlc/types"
)

// Name is this rail's name in swap documents.
const Name = "hub"

// Rail locks, claims and refunds through x/htlc.
type Rail struct {
	chain    *client.Chain
	query    htlctypes.QueryClient
	finality time.Duration
	poll     time.Duration
}

var _ htlc.Rail = (*Rail)(nil)

// New wraps a hub connection whose signer is this party's key. Its codec
// must know x/htlc's messages (client.NewCodec(htlctypes.RegisterInterfaces)).
func New(chain *client.Chain, finality, poll time.Duration) *Rail {
	return &Rail{chain: chain, query: htlctypes.NewQueryClient(chain.Conn()), finality: finality, poll: poll}
}

// Name is "hub".
func (r *Rail) Name() string { return Name }

// Account is the signer's bech32 address.
func (r *Rail) Account() string { return r.chain.Signer() }

// Finality is the configured time for a hub transaction to be final
// (CometBFT commits are final at once; this covers block time and lag).
func (r *Rail) Finality() time.Duration { return r.finality }

// LateClaim is 0: x/htlc refuses a claim at or after the expiry, judged
// by the same block time as the refund.
func (r *Rail) LateClaim(time.Duration) time.Duration { return 0 }

// ParseAmount reads a hub amount in its normalized spelling (what x/htlc
// binds into the id): a title "asset:<id>", or coins.
func ParseAmount(s string) (sdk.Coins, uint64, error) {
	canon, err := NormalizeAmount(s)
	if err != nil {
		return nil, 0, err
	}
	if canon != s {
		return nil, 0, fmt.Errorf("%w: amount %q: write it as %s", htlc.ErrInvalidTerms, s, canon)
	}
	if rest, ok := strings.CutPrefix(s, "asset:"); ok {
		id, _ := strconv.ParseUint(rest, 10, 64) // checked by NormalizeAmount
		return nil, id, nil
	}
	coins, err := sdk.ParseCoinsNormalized(s) // whole and positive: checked by NormalizeAmount
	return coins, 0, err
}

// NormalizeAmount writes a hub amount the way Terms on this rail need it
// (coins sorted and trimmed as sdk.Coins prints them; asset:<id>).
func NormalizeAmount(s string) (string, error) {
	if rest, ok := strings.CutPrefix(s, "asset:"); ok {
		id, err := strconv.ParseUint(rest, 10, 64)
		if err != nil || id == 0 {
			return "", fmt.Errorf("%w: asset %q: write a title as asset:<id>, e.g. asset:7", htlc.ErrInvalidTerms, s)
		}
		return "asset:" + strconv.FormatUint(id, 10), nil
	}
	bad := fmt.Errorf("%w: amount %q: write positive whole coins like 100stake, or a title like asset:7", htlc.ErrInvalidTerms, s)
	dec, err := sdk.ParseDecCoins(s)
	if err != nil {
		return "", bad
	}
	for _, c := range dec {
		if !c.Amount.IsInteger() {
			return "", bad
		}
	}
	coins, _ := dec.TruncateDecimal()
	if !coins.IsAllPositive() {
		return "", bad
	}
	return coins.String(), nil
}

// Lock escrows the terms' coins or title in x/htlc.
func (r *Rail) Lock(ctx context.Context, t htlc.Terms) (htlc.Contract, error) {
	if err := t.Check(); err != nil {
		return htlc.Contract{}, err
	}
	if t.Sender != r.Account() {
		return htlc.Contract{}, fmt.Errorf("%w: the hub leg is sent by %s, this key is %s", htlc.ErrInvalidTerms, t.Sender, r.Account())
	}
	coins, assetID, err := ParseAmount(t.Amount)
	if err != nil {
		return htlc.Contract{}, err
	}
	msg := &htlctypes.MsgLock{Sender: t.Sender, Recipient: t.Recipient, HashLock: t.Hash.String(),
		Expiry: t.Expiry.UTC().Truncate(time.Second), Amount: coins, AssetId: assetID}
	res, err := r.chain.Submit(ctx, msg)
	if err != nil {
		return htlc.Contract{}, fmt.Errorf("lock on the hub: %w", classify(err))
	}
	// The id comes from this transaction's own EventLocked: other senders
	// may hold HTLCs under the same hash, so "the HTLC under the hash" is
	// not this lock.
	id, err := lockedID(res)
	if err != nil {
		return htlc.Contract{}, fmt.Errorf("lock on the hub (tx %s): %w", res.Hash, err)
	}
	c := htlc.Contract{Rail: Name, Ref: id, Terms: t}
	st, err := r.Status(ctx, c)
	if err != nil {
		return c, fmt.Errorf("read back the lock %s: %w", id, err) // c keeps the id: funds are locked behind it
	}
	c.Terms = st.Terms
	return c, t.Match(c.Terms)
}

// eventLocked is the type of x/htlc's EventLocked in a transaction's events.
var eventLocked = proto.MessageName(&htlctypes.EventLocked{})

// lockedID reads the id of the HTLC a transaction locked from its
// EventLocked (typed events carry their fields as JSON values).
func lockedID(res client.TxResult) (string, error) {
	raw := res.Attr(eventLocked, "id")
	if raw == "" {
		return "", fmt.Errorf("the transaction has no %s event", eventLocked)
	}
	var id string
	if err := json.Unmarshal([]byte(raw), &id); err != nil || id == "" {
		return "", fmt.Errorf("%s carries an unreadable id %s", eventLocked, raw)
	}
	return id, nil
}

// Status reads the HTLC by id. Its Secret is set once the hub knows the
// secret: from the HTLC's claim, or recorded from another rail by a notary
// attestation (x/htlc foreign_secret), whatever the state.
func (r *Rail) Status(ctx context.Context, c htlc.Contract) (htlc.Status, error) {
	res, err := r.query.HTLC(ctx, &htlctypes.QueryHTLCRequest{Id: c.Ref})
	if err != nil {
		return htlc.Status{}, fmt.Errorf("htlc %s on the hub: %w", c.Ref, classify(err))
	}
	return status(res.Htlc)
}

// status is an HTLC as a swap step reads it.
func status(h htlctypes.HTLC) (htlc.Status, error) {
	st := htlc.Status{Terms: terms(h)}
	switch h.State {
	case htlctypes.HTLC_STATE_LOCKED:
		st.State = htlc.StateLocked
	case htlctypes.HTLC_STATE_CLAIMED:
		st.State = htlc.StateClaimed
		s, err := hashlock.ParseSecret(h.Secret)
		if err != nil {
			return st, fmt.Errorf("htlc %s claimed with an unreadable secret: %w", h.Id, err)
		}
		st.Secret = &s
	case htlctypes.HTLC_STATE_REFUNDED:
		st.State = htlc.StateRefunded
	}
	if st.Secret == nil && h.ForeignSecret != "" {
		s, err := hashlock.ParseSecret(h.ForeignSecret)
		if err != nil {
			return st, fmt.Errorf("htlc %s carries an unreadable foreign secret: %w", h.Id, err)
		}
		st.Secret = &s
	}
	if h.ClosedHeight != 0 {
		st.TxID = "at height " + strconv.FormatInt(h.ClosedHeight, 10)
	}
	return st, nil
}

// Claim pays the HTLC to its recipient. It refuses before submitting what
// the hub would refuse: a wrong secret, a closed HTLC, a passed expiry.
func (r *Rail) Claim(ctx context.Context, c htlc.Contract, s hashlock.Secret) (string, error) {
	if _, err := hashlock.Verify(c.Terms.Hash, s[:]); err != nil {
		return "", err
	}
	st, now, err := r.open(ctx, c)
	if err != nil {
		return "", err
	}
	if !now.Before(st.Terms.Expiry) {
		return "", fmt.Errorf("%w: hub block time %s is at or after the expiry %s", htlc.ErrExpired, stamp(now), stamp(st.Terms.Expiry))
	}
	res, err := r.chain.Submit(ctx, &htlctypes.MsgClaim{Claimer: r.Account(), Id: c.Ref, Secret: s.String()})
	if err != nil {
		return "", fmt.Errorf("claim on the hub: %w", classify(err))
	}
	return res.Hash, nil
}

// Refund returns an expired HTLC to its sender. If the end-block refund
// already did it, the error wraps htlc.ErrRefunded.
func (r *Rail) Refund(ctx context.Context, c htlc.Contract) (string, error) {
	st, now, err := r.open(ctx, c)
	if err != nil {
		return "", err
	}
	if now.Before(st.Terms.Expiry) {
		return "", fmt.Errorf("%w: hub block time %s, the expiry is %s (%s from now)", htlc.ErrNotExpired,
			stamp(now), stamp(st.Terms.Expiry), st.Terms.Expiry.Sub(now).Round(time.Second))
	}
	res, err := r.chain.Submit(ctx, &htlctypes.MsgRefund{Signer: r.Account(), Id: c.Ref})
	if err != nil {
		return "", fmt.Errorf("refund on the hub: %w", classify(err))
	}
	return res.Hash, nil
}

// WatchSecret polls the HTLC until the hub knows its secret (returning it)
// or it is refunded. The secret comes from the HTLC's claim or, sooner, from
// a notary attestation that saw it revealed on another rail, so a watcher
// of the hub alone learns it either way; a refunded HTLC whose secret was
// published still returns it (the other legs may be claimable). A node that
// does not answer (restarting, a timeout) is asked again; only an HTLC that
// does not exist ends the watch early.
func (r *Rail) WatchSecret(ctx context.Context, c htlc.Contract) (hashlock.Secret, error) {
	for {
		st, err := r.Status(ctx, c)
		switch {
		case errors.Is(err, htlc.ErrNotFound):
			return hashlock.Secret{}, err
		case err == nil && st.Secret != nil:
			return hashlock.Verify(c.Terms.Hash, st.Secret[:])
		case err == nil && st.State == htlc.StateRefunded:
			return hashlock.Secret{}, fmt.Errorf("htlc %s: %w", c.Ref, htlc.ErrRefunded)
		}
		if werr := htlc.Wait(ctx, r.poll); werr != nil {
			return hashlock.Secret{}, fmt.Errorf("watch htlc %s: %w", c.Ref, werr)
		}
	}
}

// open reads the HTLC, refuses a closed one and returns the hub's latest
// block time, which claims and refunds are judged against.
func (r *Rail) open(ctx context.Context, c htlc.Contract) (htlc.Status, time.Time, error) {
	st, err := r.Status(ctx, c)
	if err != nil {
		return st, time.Time{}, err
	}
	if err := st.Settled(); err != nil {
		return st, time.Time{}, fmt.Errorf("htlc %s: %w", c.Ref, err)
	}
	_, now, err := r.chain.Latest(ctx)
	return st, now, err
}

// terms are an HTLC's terms as the swap document writes them.
func terms(h htlctypes.HTLC) htlc.Terms {
	hash, _ := hashlock.ParseHash(h.HashLock) // validated by the module on lock
	return htlc.Terms{Hash: hash, Sender: h.Sender, Recipient: h.Recipient, Amount: h.Escrow(), Expiry: h.Expiry.UTC()}
}

// moduleErrors map x/htlc's refusals to the rail-neutral errors.
var moduleErrors = []struct{ hub, rail error }{
	{htlctypes.ErrExpired, htlc.ErrExpired},
	{htlctypes.ErrNotExpired, htlc.ErrNotExpired},
	{htlctypes.ErrAlreadyClaimed, htlc.ErrClaimed},
	{htlctypes.ErrAlreadyRefunded, htlc.ErrRefunded},
	{htlctypes.ErrWrongSecret, hashlock.ErrWrongSecret},
	{htlctypes.ErrSecretLength, hashlock.ErrSecretLength},
	{htlctypes.ErrNotFound, htlc.ErrNotFound},
	// A query for an unknown id answers codes.NotFound, which the SDK
	// returns as its own ErrKeyNotFound over abci_query.
	{sdkerrors.ErrKeyNotFound, htlc.ErrNotFound},
	{htlctypes.ErrHashUsed, htlc.ErrInvalidTerms},
	{htlctypes.ErrSecretPublic, htlc.ErrInvalidTerms},
	{htlctypes.ErrInvalidExpiry, htlc.ErrInvalidTerms},
	{htlctypes.ErrInvalidEscrow, htlc.ErrInvalidTerms},
	{htlctypes.ErrInvalidAmount, htlc.ErrInvalidTerms},
	{htlctypes.ErrSelfLock, htlc.ErrInvalidTerms},
}

// classify keeps the hub's message (it says what to fix) and adds the
// rail-neutral error a swap step can branch on. The chain client's
// refusals carry the module's codespace and code, matched by errors.Is.
func classify(err error) error {
	for _, m := range moduleErrors {
		if errors.Is(err, m.hub) {
			return fmt.Errorf("%w: %w", m.rail, err)
		}
	}
	return err
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
