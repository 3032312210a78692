package bitcoin

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/btcsuite/btcd/txscript"
	"github.com/btcsuite/btcd/wire"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// utxo is one of the party's spendable P2WPKH outputs.
type utxo struct {
	out   wire.OutPoint
	value int64
}

// p2wpkhPlaceholder is a P2WPKH input's witness at its longest (signature,
// compressed key), for the fee estimate before signing.
var p2wpkhPlaceholder = wire.TxWitness{make([]byte, maxSigLen), make([]byte, 33)}

// Lock funds a P2WSH output of the HTLC script with t.Amount satoshis from
// the party's own P2WPKH coins (change back to the same address), then
// waits for Config.Confirmations. The contract output is always vout 0.
//
// Once the funding transaction may have reached the node, Lock returns the
// complete contract (Ref, Terms, Data) even with an error: a broadcast
// whose reply was lost, or a wait for confirmations ended by ctx, leaves
// funds behind the contract, and the contract is how they are watched and
// refunded. An empty contract means nothing was broadcast. While waiting
// Lock sends the transaction again if the node does not know it.
func (r *Rail) Lock(ctx context.Context, t htlc.Terms) (htlc.Contract, error) {
	ct, err := parseTerms(t)
	if err != nil {
		return htlc.Contract{}, err
	}
	if !ct.Refunder.IsEqual(r.pub) {
		return htlc.Contract{}, fmt.Errorf("%w: sender %s is not this rail's key %s", htlc.ErrInvalidTerms, t.Sender, r.Account())
	}
	script, err := Script(ct.Hash, ct.Recipient, ct.Refunder, ct.LockTime)
	if err != nil {
		return htlc.Contract{}, err
	}
	claim := claimSpend(wire.OutPoint{}, ct.Amount, script, make([]byte, hashlock.SecretSize), p2wpkhScript(ct.Recipient))
	if fee := claim.fee(r.feeRate); ct.Amount < fee+dustP2WPKH {
		return htlc.Contract{}, fmt.Errorf("%w: %d satoshis do not cover the claim fee of %d at %d sat/vB plus the dust limit of %d",
			htlc.ErrInvalidTerms, ct.Amount, fee, r.feeRate, dustP2WPKH)
	}
	now, err := r.chainNow(ctx)
	if err != nil {
		return htlc.Contract{}, err
	}
	if !t.Expiry.After(now) {
		return htlc.Contract{}, fmt.Errorf("%w: expiry %s is not after the chain's time %s", htlc.ErrInvalidTerms, stamp(t.Expiry), stamp(now))
	}
	tx, sendErr := r.fund(ctx, wire.NewTxOut(ct.Amount, witnessProgram(script)))
	if tx == nil {
		return htlc.Contract{}, sendErr
	}
	c := htlc.Contract{
		Rail:  Name,
		Ref:   tx.TxHash().String() + ":0",
		Terms: t,
		Data:  map[string]string{"script": hex.EncodeToString(script), "address": p2wshAddress(script, r.params).EncodeAddress()},
	}
	if err := r.waitConfirmed(ctx, tx); err != nil {
		return c, errors.Join(sendErr, err)
	}
	return c, nil
}

// fund builds, signs and broadcasts a transaction paying outs (in that
// order) from the party's coins. One at a time per rail, so two payments
// never pick the same coins. The transaction is returned whenever the node
// may have it: with nil, or with the error of a send that failed on the way.
func (r *Rail) fund(ctx context.Context, outs ...*wire.TxOut) (*wire.MsgTx, error) {
	r.fundMu.Lock()
	defer r.fundMu.Unlock()
	coins, err := r.unspent(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := r.fundingTx(coins, outs...)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	err = r.send(ctx, tx)
	switch {
	case isRefusal(err):
		return nil, fmt.Errorf("bitcoin: the node refuses the transaction: %w", err)
	case err != nil:
		return tx, fmt.Errorf("bitcoin: broadcast %s: %w", tx.TxHash(), err)
	}
	return tx, nil
}

// unspent lists the party's spendable outputs: outputs to its P2WPKH
// address that no transaction the node knows (mempool included) spends,
// coinbases only once mature.
func (r *Rail) unspent(ctx context.Context) ([]utxo, error) {
	txs, err := r.search(ctx, r.Address())
	if err != nil {
		return nil, err
	}
	own := p2wpkhScript(r.pub)
	spent := map[wire.OutPoint]bool{}
	for _, ct := range txs {
		for _, in := range ct.tx.TxIn {
			spent[in.PreviousOutPoint] = true
		}
	}
	var coins []utxo
	for _, ct := range txs {
		if isCoinbase(ct.tx) && ct.confs < int64(r.params.CoinbaseMaturity) {
			continue
		}
		for i, out := range ct.tx.TxOut {
			op := wire.OutPoint{Hash: ct.tx.TxHash(), Index: uint32(i)}
			if bytes.Equal(out.PkScript, own) && !spent[op] {
				coins = append(coins, utxo{out: op, value: out.Value})
			}
		}
	}
	return coins, nil
}

// fundingTx pays outs (from vout 0 on) from coins, oldest first, with
// change to the party's address after them unless the change would be dust.
func (r *Rail) fundingTx(coins []utxo, outs ...*wire.TxOut) (*wire.MsgTx, error) {
	own := p2wpkhScript(r.pub)
	tx := wire.NewMsgTx(2)
	var amount int64
	for _, o := range outs {
		tx.AddTxOut(o)
		amount += o.Value
	}
	tx.AddTxOut(wire.NewTxOut(0, own))
	prev := map[wire.OutPoint]*wire.TxOut{}
	var in int64
	for _, c := range coins {
		txIn := wire.NewTxIn(&c.out, nil, p2wpkhPlaceholder)
		tx.AddTxIn(txIn)
		prev[c.out] = wire.NewTxOut(c.value, own)
		in += c.value
		fee := vsize(tx) * r.feeRate
		change := in - amount - fee
		if change < 0 {
			continue
		}
		if change < dustP2WPKH {
			tx.TxOut = tx.TxOut[:len(outs)]
		} else {
			tx.TxOut[len(outs)].Value = change
		}
		return tx, r.signInputs(tx, prev)
	}
	return nil, fmt.Errorf("bitcoin: %s holds %d spendable satoshis, %d plus fees needed", r.Address(), in, amount)
}

// signInputs signs every P2WPKH input of tx with the party's key.
func (r *Rail) signInputs(tx *wire.MsgTx, prev map[wire.OutPoint]*wire.TxOut) error {
	fetcher := txscript.NewMultiPrevOutFetcher(prev)
	hashes := txscript.NewTxSigHashes(tx, fetcher)
	for i, in := range tx.TxIn {
		out := prev[in.PreviousOutPoint]
		w, err := txscript.WitnessSignature(tx, hashes, i, out.Value, out.PkScript, txscript.SigHashAll, r.key, true)
		if err != nil {
			return fmt.Errorf("sign funding input %d: %w", i, err)
		}
		in.Witness = w
	}
	return nil
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
