package bitcoin

import (
	"context"
	"fmt"

	"github.com/btcsuite/btcd/btcutil"
	"github.com/btcsuite/btcd/txscript"
	"github.com/btcsuite/btcd/wire"
)

// MaxMemo is the longest OP_RETURN memo btcd and Bitcoin Core relay: an
// 83-byte null-data script is OP_RETURN, a 2-byte push header and 80 bytes.
const MaxMemo = txscript.MaxDataCarrierSize

// MemoScript is the null-data output script carrying memo: OP_RETURN and
// one push of its bytes, the form notaries read a loan id from.
func MemoScript(memo string) ([]byte, error) {
	if memo == "" || len(memo) > MaxMemo {
		return nil, fmt.Errorf("bitcoin memo of %d bytes: 1 to %d", len(memo), MaxMemo)
	}
	return txscript.NullDataScript([]byte(memo))
}

// Pay sends sats from the party's coins to addr, with an OP_RETURN output
// carrying memo when it is not empty (a hub loan repayment names the loan
// there: "loan:<id>"), then waits for Config.Confirmations. The payment is
// vout 0, the memo vout 1. It returns the transaction id, also with an
// error once the transaction may have reached the node.
func (r *Rail) Pay(ctx context.Context, addr btcutil.Address, sats int64, memo string) (string, error) {
	if !addr.IsForNet(r.params) {
		return "", fmt.Errorf("bitcoin address %s is not for %s", addr, r.params.Name)
	}
	pk, err := txscript.PayToAddrScript(addr)
	if err != nil {
		return "", fmt.Errorf("bitcoin address %s: %w", addr, err)
	}
	outs := []*wire.TxOut{wire.NewTxOut(sats, pk)}
	if memo != "" {
		script, err := MemoScript(memo)
		if err != nil {
			return "", err
		}
		outs = append(outs, wire.NewTxOut(0, script))
	}
	tx, err := r.fund(ctx, outs...)
	if tx == nil {
		return "", err
	}
	id := tx.TxHash().String()
	if err != nil {
		return id, err
	}
	return id, r.waitConfirmed(ctx, tx)
}
