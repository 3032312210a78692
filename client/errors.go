package client

import (
	"errors"
	"fmt"
)

// ErrTooLarge means a transaction needs more gas than allowed or more bytes
// than the node accepts: the caller should send fewer messages.
var ErrTooLarge = errors.New("transaction too large")

// ErrDropped means a broadcast transaction never made it into a block (e.g.
// evicted from the mempool after someone else delivered the same packets).
var ErrDropped = errors.New("transaction dropped from the mempool")

// ErrRedundant means every message in a transaction was already delivered
// by someone else (ibc-go's redundant-relay check): nothing to do.
var ErrRedundant = errors.New("all packets already relayed by someone else")

// ABCIError is a refusal by a chain — of a query, a simulation, CheckTx or
// DeliverTx — with the codespace and code the chain's module registered.
// errors.Is(err, registered) holds when they match, so callers test for a
// module's own error (cosmossdk.io/errors) without reading the log.
type ABCIError struct {
	Chain     string
	Stage     string
	Codespace string
	Code      uint32
	Log       string
}

// registered is what a registered module error (cosmossdk.io/errors) offers.
type registered interface {
	Codespace() string
	ABCICode() uint32
}

// Error keeps the chain's log: it says what to fix.
func (e *ABCIError) Error() string {
	return fmt.Sprintf("chain %s: %s refused (codespace %s, code %d): %s", e.Chain, e.Stage, e.Codespace, e.Code, e.Log)
}

// Is matches a registered error by codespace and code.
func (e *ABCIError) Is(target error) bool {
	r, ok := target.(registered)
	return ok && r.Codespace() == e.Codespace && r.ABCICode() == e.Code
}
