package htlc

import (
	"context"
	"fmt"
	"time"

	"github.com/vinhub/vinhub/hashlock"
)

// Terms are one leg of a swap as both parties agree on it. Addresses and
// amounts are written the rail's own way (see each adapter's doc): the hub
// takes bech32 addresses and "100stake" or "asset:7", Stellar takes G...
// account ids and lumens ("25.5"), Bitcoin takes hex public keys and
// satoshis ("150000").
type Terms struct {
	Hash      hashlock.Hash `json:"hash"`
	Sender    string        `json:"sender"`
	Recipient string        `json:"recipient"`
	Amount    string        `json:"amount"`
	Expiry    time.Time     `json:"expiry"`
}

// Check refuses terms no rail could lock.
func (t Terms) Check() error {
	switch {
	case t.Hash.IsZero():
		return fmt.Errorf("%w: no hash lock", ErrInvalidTerms)
	case t.Sender == "":
		return fmt.Errorf("%w: no sender", ErrInvalidTerms)
	case t.Recipient == "":
		return fmt.Errorf("%w: no recipient", ErrInvalidTerms)
	case t.Sender == t.Recipient:
		return fmt.Errorf("%w: sender and recipient are both %s", ErrInvalidTerms, t.Sender)
	case t.Amount == "":
		return fmt.Errorf("%w: no amount", ErrInvalidTerms)
	case t.Expiry.IsZero():
		return fmt.Errorf("%w: no expiry", ErrInvalidTerms)
	}
	return nil
}

// Match returns ErrTermsMismatch naming the first field where the terms
// found on a rail differ from the agreed ones.
func (t Terms) Match(onRail Terms) error { return t.Compare(onRail, "on the rail") }

// Compare returns ErrTermsMismatch naming the first field where other (as
// found where, e.g. "on the rail") differs from t, the agreed terms.
// Expiries are compared to the second, the finest every rail keeps.
func (t Terms) Compare(other Terms, where string) error {
	diff := func(field string, want, got any) error {
		return fmt.Errorf("%w: %s is %v %s, agreed %v", ErrTermsMismatch, field, got, where, want)
	}
	switch {
	case t.Hash != other.Hash:
		return diff("hash", t.Hash, other.Hash)
	case t.Sender != other.Sender:
		return diff("sender", t.Sender, other.Sender)
	case t.Recipient != other.Recipient:
		return diff("recipient", t.Recipient, other.Recipient)
	case t.Amount != other.Amount:
		return diff("amount", t.Amount, other.Amount)
	case t.Expiry.Unix() != other.Expiry.Unix():
		return diff("expiry", t.Expiry.UTC().Format(time.RFC3339), other.Expiry.UTC().Format(time.RFC3339))
	}
	return nil
}

// Contract is one lock on one rail: what the counterparty needs to find,
// verify, claim or watch it. Ref is the rail's id for it (hub: the htlc id;
// Stellar: the escrow account; Bitcoin: the funding outpoint "txid:vout");
// Data carries what else the rail needs (Stellar: the pre-signed refund
// transaction; Bitcoin: the witness script).
type Contract struct {
	Rail  string            `json:"rail"`
	Ref   string            `json:"ref"`
	Terms Terms             `json:"terms"`
	Data  map[string]string `json:"data,omitempty"`
}

// State is where a contract is in its life.
type State int

// The states of a contract. Claimed and Refunded are final.
const (
	StateUnknown State = iota
	StateLocked
	StateClaimed
	StateRefunded
)

// String names the state.
func (s State) String() string {
	switch s {
	case StateLocked:
		return "locked"
	case StateClaimed:
		return "claimed"
	case StateRefunded:
		return "refunded"
	}
	return "unknown"
}

// MarshalText writes the state's name.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a state's name.
func (s *State) UnmarshalText(b []byte) error {
	for _, st := range []State{StateUnknown, StateLocked, StateClaimed, StateRefunded} {
		if st.String() == string(b) {
			*s = st
			return nil
		}
	}
	return fmt.Errorf("unknown htlc state %q", b)
}

// Status is a contract as its rail sees it now.
type Status struct {
	State State `json:"state"`
	// Terms are read back from the rail, for Terms.Match.
	Terms Terms `json:"terms"`
	// Secret is set once a claim has revealed it.
	Secret *hashlock.Secret `json:"secret,omitempty"`
	// TxID is the transaction that reached State (lock, claim or refund).
	TxID string `json:"tx_id,omitempty"`
}

// Settled is ErrClaimed or ErrRefunded, naming the transaction, for a
// contract in a final state; nil while it is open.
func (s Status) Settled() error {
	switch s.State {
	case StateClaimed:
		return fmt.Errorf("%w by transaction %s", ErrClaimed, s.TxID)
	case StateRefunded:
		return fmt.Errorf("%w by transaction %s", ErrRefunded, s.TxID)
	}
	return nil
}

// Rail is one platform a swap leg can live on. Each method waits until its
// transaction is final on the rail (Finality) or returns an error saying
// why it cannot be; nothing is left half-done without an error.
type Rail interface {
	// Name is the rail's short name: "hub", "stellar", "bitcoin".
	Name() string
	// Account is this adapter's own address on the rail, written the way
	// Terms.Sender and Terms.Recipient are (the key it signs with).
	Account() string
	// Finality is how long it takes from submitting a transaction until it
	// can be relied on; it feeds the timelock-safety margin.
	Finality() time.Duration
	// LateClaim is how long after a leg's expiry its recipient may still
	// claim it on this rail, when its sender refunds as soon as it can
	// (relayerDelay is the sender's time to react): 0 on a rail that itself
	// refuses claims after the expiry. It widens the timelock margin.
	LateClaim(relayerDelay time.Duration) time.Duration
	// Lock escrows Terms.Amount from Terms.Sender (the rail's own key) to
	// Terms.Recipient under Terms.Hash until Terms.Expiry.
	Lock(ctx context.Context, t Terms) (Contract, error)
	// Status reads the contract back from the rail.
	Status(ctx context.Context, c Contract) (Status, error)
	// Claim pays the contract to its recipient, publishing the secret.
	// It returns the claim transaction's id.
	Claim(ctx context.Context, c Contract, s hashlock.Secret) (string, error)
	// Refund returns the contract to its sender after the expiry.
	Refund(ctx context.Context, c Contract) (string, error)
	// WatchSecret blocks until the contract is claimed and returns the
	// secret read from the claim; ErrRefunded if it was refunded instead.
	WatchSecret(ctx context.Context, c Contract) (hashlock.Secret, error)
}
