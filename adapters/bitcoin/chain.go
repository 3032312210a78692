package bitcoin

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/btcsuite/btcd/btcjson"
	"github.com/btcsuite/btcd/btcutil"
	"github.com/btcsuite/btcd/chaincfg/chainhash"
	"github.com/btcsuite/btcd/wire"

	"github.com/vinhub/vinhub/adapters/htlc"
)

// chainTx is a transaction the node knows, with its depth (0: mempool).
type chainTx struct {
	tx    *wire.MsgTx
	confs int64
}

// searchPage is how many transactions one searchrawtransactions call asks for.
const searchPage = 100

// MedianTime is the median time past of the chain tip (BIP-113): a refund
// is final once it is after the locktime.
func (r *Rail) MedianTime(ctx context.Context) (time.Time, error) {
	info, err := call(ctx, r.node.GetBlockChainInfo)
	if err != nil {
		return time.Time{}, fmt.Errorf("bitcoin getblockchaininfo: %w", err)
	}
	return time.Unix(info.MedianTime, 0), nil
}

// chainNow is the later of the wall clock and the chain's median time: the
// time a claim is judged against, so neither clock can make a claim look
// earlier than it is.
func (r *Rail) chainNow(ctx context.Context) (time.Time, error) {
	mtp, err := r.MedianTime(ctx)
	if err != nil {
		return time.Time{}, err
	}
	if now := time.Now(); now.After(mtp) {
		return now, nil
	}
	return mtp, nil
}

// fetchTx reads any transaction (btcd --txindex); errUnseen if the node
// does not know it.
func (r *Rail) fetchTx(ctx context.Context, id chainhash.Hash) (chainTx, error) {
	res, err := call(ctx, func() (*btcjson.TxRawResult, error) { return r.node.GetRawTransactionVerbose(&id) })
	if isNoTxInfo(err) {
		return chainTx{}, fmt.Errorf("%w: %s", errUnseen, id)
	}
	if err != nil {
		return chainTx{}, fmt.Errorf("bitcoin getrawtransaction %s: %w", id, err)
	}
	tx, err := decodeTx(res.Hex)
	if err != nil {
		return chainTx{}, err
	}
	return chainTx{tx: tx, confs: int64(res.Confirmations)}, nil
}

// search lists every transaction paying to or spending from addr, mempool
// included (btcd --addrindex), oldest first.
func (r *Rail) search(ctx context.Context, addr btcutil.Address) ([]chainTx, error) {
	var all []chainTx
	for skip := 0; ; skip += searchPage {
		page, err := call(ctx, func() ([]*btcjson.SearchRawTransactionsResult, error) {
			return r.node.SearchRawTransactionsVerbose(addr, skip, searchPage, false, false, nil)
		})
		if isNoTxInfo(err) {
			return all, nil
		}
		if err != nil {
			return nil, fmt.Errorf("bitcoin searchrawtransactions %s: %w", addr, err)
		}
		for _, res := range page {
			tx, err := decodeTx(res.Hex)
			if err != nil {
				return nil, err
			}
			all = append(all, chainTx{tx: tx, confs: int64(res.Confirmations)})
		}
		if len(page) < searchPage {
			return all, nil
		}
	}
}

// send broadcasts tx. A node that already has it counts as taking it: a
// reply lost on the way makes rpcclient send the same request again.
func (r *Rail) send(ctx context.Context, tx *wire.MsgTx) error {
	_, err := call(ctx, func() (*chainhash.Hash, error) { return r.node.SendRawTransaction(tx, false) })
	if isDuplicate(err) {
		return nil
	}
	return err
}

// waitConfirmed polls until tx has Config.Confirmations. A node that does
// not know tx (a send that failed on the way, or a restart, which empties
// btcd's mempool) is sent it again. Only ctx and a node refusing tx end
// the wait early; other node errors are retried.
func (r *Rail) waitConfirmed(ctx context.Context, tx *wire.MsgTx) error {
	id := tx.TxHash()
	for {
		ct, err := r.fetchTx(ctx, id)
		switch {
		case err == nil && ct.confs >= r.confs:
			return nil
		case errors.Is(err, errUnseen):
			if serr := r.send(ctx, tx); isRefusal(serr) {
				return fmt.Errorf("bitcoin transaction %s is not known to the node, which refuses it again: %w", id, serr)
			}
		}
		if perr := htlc.Wait(ctx, r.poll); perr != nil {
			return withLast(fmt.Errorf("bitcoin transaction %s: waiting for %d confirmations: %w", id, r.confs, perr), err)
		}
	}
}

func decodeTx(s string) (*wire.MsgTx, error) {
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("bitcoin node sent a transaction that is not hex: %w", err)
	}
	tx := new(wire.MsgTx)
	if err := tx.Deserialize(bytes.NewReader(b)); err != nil {
		return nil, fmt.Errorf("bitcoin node sent an undecodable transaction: %w", err)
	}
	return tx, nil
}

// isCoinbase reports whether tx is a block's first transaction.
func isCoinbase(tx *wire.MsgTx) bool {
	if len(tx.TxIn) != 1 {
		return false
	}
	prev := tx.TxIn[0].PreviousOutPoint
	return prev.Index == wire.MaxPrevOutIndex && prev.Hash == chainhash.Hash{}
}
