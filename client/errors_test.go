package client

import (
	"errors"
	"fmt"
	"testing"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"

	htlctypes "github.com/vinhub/vinhub/x/htlc/types"
)

func refusal(err interface {
	Codespace() string
	ABCICode() uint32
}, log string) *ABCIError {
	return &ABCIError{Chain: "hub", Stage: "CheckTx", Codespace: err.Codespace(), Code: err.ABCICode(), Log: log}
}

func TestABCIErrorMatchesRegisteredErrors(t *testing.T) {
	expired := refusal(htlctypes.ErrExpired, "htlc expired: it can only be refunded")
	wrapped := fmt.Errorf("claim on the hub: %w", expired)
	if !errors.Is(wrapped, htlctypes.ErrExpired) {
		t.Fatal("a wrapped refusal does not match its registered error")
	}
	for _, other := range []error{htlctypes.ErrNotExpired, sdkerrors.ErrOutOfGas, errors.New("htlc expired: it can only be refunded")} {
		if errors.Is(wrapped, other) {
			t.Fatalf("refusal matches %v", other)
		}
	}
	// Same code, other codespace: not the same error.
	if errors.Is(&ABCIError{Codespace: "asset", Code: htlctypes.ErrExpired.ABCICode()}, htlctypes.ErrExpired) {
		t.Fatal("codespace ignored")
	}
}

func TestClassify(t *testing.T) {
	c := &Chain{Config: Config{ID: "hub"}, seq: sequencer{known: true}}
	tests := []struct {
		name string
		in   error
		want error
	}{
		{"redundant relay", refusal(channeltypes.ErrRedundantTx, "packet messages are redundant"), ErrRedundant},
		{"too large", refusal(sdkerrors.ErrTxTooLarge, "tx too large"), ErrTooLarge},
		{"module refusal kept", refusal(htlctypes.ErrHashUsed, "hash lock already used"), htlctypes.ErrHashUsed},
		{"out of gas kept", refusal(sdkerrors.ErrOutOfGas, "out of gas"), sdkerrors.ErrOutOfGas},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.classify(tc.in); !errors.Is(got, tc.want) {
				t.Fatalf("classify: %v, want %v", got, tc.want)
			}
		})
	}

	got := c.classify(refusal(sdkerrors.ErrWrongSequence, "account sequence mismatch, expected 42, got 41: incorrect account sequence"))
	var seq *sequenceError
	if !errors.As(got, &seq) || seq.expected != 42 || c.seq.next != 42 {
		t.Fatalf("sequence mismatch: %v (sequence %d)", got, c.seq.next)
	}
	// A mismatch whose log has no number resyncs the account instead.
	got = c.classify(refusal(sdkerrors.ErrWrongSequence, "incorrect account sequence"))
	if !errors.Is(got, sdkerrors.ErrWrongSequence) || c.seq.known {
		t.Fatalf("sequence mismatch without a number: %v (account kept %v)", got, c.seq.known)
	}
}

// TestExpectedSequence reads the sequence only from the SDK's refusal for
// a wrong sequence, wrapped or not; the same words under another code, or
// the code without a number, say nothing.
func TestExpectedSequence(t *testing.T) {
	const log = "account sequence mismatch, expected 42, got 41: incorrect account sequence"
	for _, tc := range []struct {
		name string
		err  error
		want uint64
		ok   bool
	}{
		{"refusal", refusal(sdkerrors.ErrWrongSequence, log), 42, true},
		{"wrapped", fmt.Errorf("broadcast: %w", refusal(sdkerrors.ErrWrongSequence, log)), 42, true},
		{"no number", refusal(sdkerrors.ErrWrongSequence, "incorrect account sequence"), 0, false},
		{"other code", refusal(sdkerrors.ErrUnauthorized, log), 0, false},
		{"not a refusal", errors.New(log), 0, false},
		{"past uint64", refusal(sdkerrors.ErrWrongSequence, "account sequence mismatch, expected 99999999999999999999999"), 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ExpectedSequence(tc.err)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("ExpectedSequence = %d, %v; want %d, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}
