package bitcoin

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/wire"

	"github.com/vinhub/vinhub/adapters/htlc"
)

// contractState is Status plus what Claim and Refund need to spend.
type contractState struct {
	htlc.Status
	out       wire.OutPoint
	script    []byte
	terms     contractTerms
	fundConfs int64
}

// Status reads the contract output back: it must pay the P2WSH address of
// the script (Data["script"], or the script the agreed terms make) and the
// Terms are read from that script and the output's value. The state is
// locked once the funding transaction has Config.Confirmations (unknown
// before); claimed or refunded as soon as the node knows a spend, mempool
// included, classified by its witness (see SecretFromWitness). Errors
// wrap htlc.ErrNotFound when the node does not know the funding
// transaction or it has no such output.
func (r *Rail) Status(ctx context.Context, c htlc.Contract) (htlc.Status, error) {
	cs, err := r.state(ctx, c)
	return cs.Status, err
}

func (r *Rail) state(ctx context.Context, c htlc.Contract) (contractState, error) {
	op, err := parseOutPoint(c.Ref)
	if err != nil {
		return contractState{}, err
	}
	script, err := contractScript(c)
	if err != nil {
		return contractState{}, err
	}
	st, err := ParseScript(script)
	if err != nil {
		return contractState{}, fmt.Errorf("%w: %w", htlc.ErrInvalidTerms, err)
	}
	fund, err := r.fetchTx(ctx, op.Hash)
	if err != nil {
		return contractState{}, err
	}
	if int(op.Index) >= len(fund.tx.TxOut) {
		return contractState{}, fmt.Errorf("%w: transaction %s has no output %d", htlc.ErrNotFound, op.Hash, op.Index)
	}
	out := fund.tx.TxOut[op.Index]
	if want := witnessProgram(script); !bytes.Equal(out.PkScript, want) {
		return contractState{}, fmt.Errorf("%w: output %s does not pay the contract's address %s", htlc.ErrTermsMismatch, op, p2wshAddress(script, r.params))
	}
	cs := contractState{out: op, script: script, terms: contractTerms{st, out.Value}, fundConfs: fund.confs}
	cs.Terms = cs.terms.terms()
	cs.TxID = op.Hash.String()
	spendTx, witness, err := r.findSpend(ctx, op, script)
	if err != nil {
		return contractState{}, err
	}
	if spendTx == nil {
		if fund.confs >= r.confs {
			cs.State = htlc.StateLocked
		}
		return cs, nil
	}
	if cs.State, cs.Secret, err = spendState(witness, st.Hash); err != nil {
		return contractState{}, fmt.Errorf("contract %s spent by %s: %w", op, spendTx.TxHash(), err)
	}
	cs.TxID = spendTx.TxHash().String()
	return cs, nil
}

// findSpend finds the transaction spending op among those touching the
// script's address (nil if none) and the witness of its spending input.
func (r *Rail) findSpend(ctx context.Context, op wire.OutPoint, script []byte) (*wire.MsgTx, wire.TxWitness, error) {
	txs, err := r.search(ctx, p2wshAddress(script, r.params))
	if err != nil {
		return nil, nil, err
	}
	for _, ct := range txs {
		for _, in := range ct.tx.TxIn {
			if in.PreviousOutPoint == op {
				return ct.tx, in.Witness, nil
			}
		}
	}
	return nil, nil, nil
}

// spendable refuses a contract that is final, whose lock is not final yet,
// or whose branch key (the recipient's or the sender's) is not this rail's.
func (r *Rail) spendable(cs contractState, branchKey *btcec.PublicKey, role string) error {
	if err := cs.Settled(); err != nil {
		return err
	}
	if cs.State != htlc.StateLocked {
		return fmt.Errorf("bitcoin: lock %s has %d of %d confirmations; try again later", cs.out, cs.fundConfs, r.confs)
	}
	if !branchKey.IsEqual(r.pub) {
		return fmt.Errorf("%w: the %s is %s, this rail's key is %s", htlc.ErrInvalidTerms, role, pubHex(branchKey), r.Account())
	}
	return nil
}

// expiry is the contract's locktime as a time.
func (cs contractState) expiry() time.Time { return time.Unix(cs.terms.LockTime, 0) }
