package stellarsim

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/stellar/go-stellar-sdk/network"
	hProtocol "github.com/stellar/go-stellar-sdk/protocols/horizon"
	"github.com/stellar/go-stellar-sdk/xdr"
)

// submission is a transaction waiting for the next ledger.
type submission struct {
	frame       txFrame
	envelopeXDR string
	hashHex     string
	done        chan struct{}
	out         outcome
}

// outcome is how a submission ended: applied (record set, successful or
// not), refused by validation (record nil), or not decided (err).
type outcome struct {
	hash   string
	result txResult
	record *txRecord
	err    error
}

func (sub *submission) finish(o outcome) {
	sub.out = o
	close(sub.done)
}

// MalformedError is a submission the simulator cannot decode or does not
// simulate; Horizon answers it with transaction_malformed.
type MalformedError struct{ Reason string }

func (e *MalformedError) Error() string { return "transaction malformed: " + e.Reason }

// TxError is a transaction that failed: refused by validation or applied
// with a failed operation. Codes are Horizon's result codes.
type TxError struct {
	Hash      string
	Codes     hProtocol.TransactionResultCodes
	ResultXDR string
}

func (e *TxError) Error() string {
	codes := append([]string{e.Codes.TransactionCode}, e.Codes.OperationCodes...)
	return fmt.Sprintf("transaction %s failed: %s", e.Hash, strings.Join(codes, ", "))
}

// decode reads a base64 envelope and refuses what is not simulated.
func (s *Sim) decode(envelopeXDR string) (txFrame, error) {
	var env xdr.TransactionEnvelope
	if err := xdr.SafeUnmarshalBase64(envelopeXDR, &env); err != nil {
		return txFrame{}, &MalformedError{Reason: fmt.Sprintf("tx is not a base64 XDR TransactionEnvelope: %v", err)}
	}
	if why := unsupported(env); why != "" {
		return txFrame{}, &MalformedError{Reason: why}
	}
	if env.IsFeeBump() {
		return s.decodeFeeBump(env)
	}
	return s.frame(*env.V1)
}

// frame is a v1 transaction with its network hash.
func (s *Sim) frame(env xdr.TransactionV1Envelope) (txFrame, error) {
	hash, err := network.HashTransaction(env.Tx, s.cfg.Passphrase)
	if err != nil {
		return txFrame{}, &MalformedError{Reason: fmt.Sprintf("hash transaction: %v", err)}
	}
	return txFrame{tx: env.Tx, sigs: env.Signatures, hash: hash, source: accountOf(env.Tx.SourceAccount)}, nil
}

// submit queues a transaction for the next ledger and waits until it has
// closed, like Horizon's synchronous submission. A transaction already in
// the ledger is answered from history; one already queued is waited on.
func (s *Sim) submit(ctx context.Context, envelopeXDR string) (outcome, error) {
	f, err := s.decode(envelopeXDR)
	if err != nil {
		return outcome{}, err
	}
	id := f.id()
	hashHex := hex.EncodeToString(id[:])
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return outcome{}, errors.New("stellarsim is closed")
	}
	if rec, ok := s.history.byHash[hashHex]; ok {
		s.mu.Unlock()
		return outcome{hash: hashHex, result: rec.result, record: rec}, nil
	}
	sub, ok := s.inQueue[hashHex]
	if !ok {
		sub = &submission{frame: f, envelopeXDR: envelopeXDR, hashHex: hashHex, done: make(chan struct{})}
		s.queue = append(s.queue, sub)
		s.inQueue[hashHex] = sub
	}
	s.mu.Unlock()
	select {
	case <-sub.done:
		return sub.out, sub.out.err
	case <-ctx.Done():
		return outcome{}, fmt.Errorf("transaction %s still waiting for a ledger: %w", hashHex, ctx.Err())
	}
}

// Submit sends a base64 transaction envelope and waits for its ledger. It
// returns the transaction's hash, a *TxError when it failed, or a
// *MalformedError when it could not be read.
func (s *Sim) Submit(ctx context.Context, envelopeXDR string) (string, error) {
	out, err := s.submit(ctx, envelopeXDR)
	if err != nil {
		return "", err
	}
	return s.txOutcome(out)
}

func (s *Sim) txOutcome(out outcome) (string, error) {
	if out.result.ok() {
		return out.hash, nil
	}
	resultXDR, _ := xdr.MarshalBase64(out.result.xdr())
	return out.hash, &TxError{Hash: out.hash, Codes: out.result.codes(), ResultXDR: resultXDR}
}
