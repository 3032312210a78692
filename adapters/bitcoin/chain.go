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
func (r *Rail) MedianTime(context.Context) (time.Time, error) {
	info, err := r.node.GetBlockChainInfo()
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

// fetchTx reads any transaction (btcd --txindex); htlc.ErrNotFound if the
// node has never seen it.
func (r *Rail) fetchTx(id chainhash.Hash) (chainTx, error) {
	res, err := r.node.GetRawTransactionVerbose(&id)
	if isNoTxInfo(err) {
		return chainTx{}, fmt.Errorf("%w: transaction %s is not known to the node", htlc.ErrNotFound, id)
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
func (r *Rail) search(addr btcutil.Address) ([]chainTx, error) {
	var all []chainTx
	for skip := 0; ; skip += searchPage {
		page, err := r.node.SearchRawTransactionsVerbose(addr, skip, searchPage, false, false, nil)
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

// send broadcasts tx and returns its id.
func (r *Rail) send(tx *wire.MsgTx) (string, error) {
	id, err := r.node.SendRawTransaction(tx, false)
	if err != nil {
		return "", err
	}
	return id.String(), nil
}

// waitConfirmed polls until tx has Config.Confirmations.
func (r *Rail) waitConfirmed(ctx context.Context, id string) error {
	h, err := chainhash.NewHashFromStr(id)
	if err != nil {
		return err
	}
	for {
		ct, err := r.fetchTx(*h)
		if errors.Is(err, htlc.ErrNotFound) {
			return fmt.Errorf("bitcoin transaction %s left the node's mempool unconfirmed", id)
		}
		if err == nil && ct.confs >= r.confs {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("bitcoin transaction %s: waiting for %d confirmations: %w", id, r.confs, ctx.Err())
		case <-time.After(r.poll):
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

// isNoTxInfo reports btcd's "no information" answer (unknown tx or an
// address never used).
func isNoTxInfo(err error) bool {
	var rpcErr *btcjson.RPCError
	return errors.As(err, &rpcErr) && rpcErr.Code == btcjson.ErrRPCNoTxInfo
}

// isCoinbase reports whether tx is a block's first transaction.
func isCoinbase(tx *wire.MsgTx) bool {
	if len(tx.TxIn) != 1 {
		return false
	}
	prev := tx.TxIn[0].PreviousOutPoint
	return prev.Index == wire.MaxPrevOutIndex && prev.Hash == chainhash.Hash{}
}
