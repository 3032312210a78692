package client

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
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

// expectedSeq finds the sequence in the SDK's ante handler's refusal
// ("account sequence mismatch, expected 42, got 41"), the only place the
// SDK writes it.
var expectedSeq = regexp.MustCompile(`account sequence mismatch, expected (\d+)`)

// ExpectedSequence is the account sequence a chain expected when it refused
// a transaction for carrying another (sdkerrors.ErrWrongSequence), read
// from the refusal's log; false for any other error, or a log without it.
func ExpectedSequence(err error) (uint64, bool) {
	var refusal *ABCIError
	if !errors.As(err, &refusal) || !errors.Is(refusal, sdkerrors.ErrWrongSequence) {
		return 0, false
	}
	m := expectedSeq.FindStringSubmatch(refusal.Log)
	if m == nil {
		return 0, false
	}
	seq, err := strconv.ParseUint(m[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return seq, true
}
