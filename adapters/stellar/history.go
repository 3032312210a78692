package stellar

import (
	"fmt"

	"github.com/stellar/go-stellar-sdk/amount"
	"github.com/stellar/go-stellar-sdk/clients/horizonclient"
	hProtocol "github.com/stellar/go-stellar-sdk/protocols/horizon"
	"github.com/stellar/go-stellar-sdk/strkey"
	"github.com/stellar/go-stellar-sdk/xdr"

	"github.com/vinhub/vinhub/adapters/htlc"
)

// pageLimit is Horizon's largest page.
const pageLimit = 200

// escrowHistory is what the escrow's successful transactions show: Horizon
// keeps them after the merge deletes the account.
type escrowHistory struct {
	// setup is the lock's set-options transaction, and what it installed.
	setup     *hProtocol.Transaction
	recipient string
	hash      htlc.Hash
	// merge is the transaction that closed the escrow (claim or refund).
	merge *hProtocol.Transaction
}

// readHistory walks every successful transaction of the escrow.
func (r *Rail) readHistory(escrow string) (escrowHistory, error) {
	var h escrowHistory
	cursor := ""
	for {
		page, err := r.hc.Transactions(horizonclient.TransactionRequest{ForAccount: escrow, Cursor: cursor, Limit: pageLimit})
		if err != nil {
			return h, fmt.Errorf("read the history of escrow %s: %w", escrow, err)
		}
		for i := range page.Embedded.Records {
			tx := &page.Embedded.Records[i]
			cursor = tx.PT
			if err := h.scan(escrow, tx); err != nil {
				return h, err
			}
		}
		if len(page.Embedded.Records) < pageLimit {
			return h, nil
		}
	}
}

// scan notes what one transaction did to the escrow.
func (h *escrowHistory) scan(escrow string, tx *hProtocol.Transaction) error {
	var env xdr.TransactionEnvelope
	if err := xdr.SafeUnmarshalBase64(tx.EnvelopeXdr, &env); err != nil {
		return fmt.Errorf("transaction %s: envelope: %w", tx.Hash, err)
	}
	for _, op := range env.Operations() {
		if opSource(env, op) != escrow {
			continue
		}
		switch op.Body.Type {
		case xdr.OperationTypeAccountMerge:
			h.merge = tx
		case xdr.OperationTypeSetOptions:
			h.noteSigner(tx, op.Body.SetOptionsOp.Signer)
		}
	}
	return nil
}

func (h *escrowHistory) noteSigner(tx *hProtocol.Transaction, s *xdr.Signer) {
	if s == nil {
		return
	}
	switch s.Key.Type {
	case xdr.SignerKeyTypeSignerKeyTypeHashX:
		h.hash = htlc.Hash(*s.Key.HashX)
	case xdr.SignerKeyTypeSignerKeyTypeEd25519:
		h.recipient, _ = strkey.Encode(strkey.VersionByteAccountID, s.Key.Ed25519[:])
	case xdr.SignerKeyTypeSignerKeyTypePreAuthTx:
		h.setup = tx
	}
}

func opSource(env xdr.TransactionEnvelope, op xdr.Operation) string {
	if op.SourceAccount != nil {
		return accountID(*op.SourceAccount)
	}
	return accountID(env.SourceAccount())
}

// mergedAmount is the escrow's balance before the merge less the
// overhead: what Terms.Amount was. The merge result holds what moved,
// after the merge transaction's own fee.
func mergedAmount(merge *hProtocol.Transaction) (string, error) {
	var res xdr.TransactionResult
	if err := xdr.SafeUnmarshalBase64(merge.ResultXdr, &res); err != nil {
		return "", fmt.Errorf("merge %s: result: %w", merge.Hash, err)
	}
	results, ok := res.OperationResults()
	if !ok {
		return "", fmt.Errorf("merge %s: no operation results", merge.Hash)
	}
	for _, op := range results {
		if op.Tr == nil || op.Tr.AccountMergeResult == nil || op.Tr.AccountMergeResult.SourceAccountBalance == nil {
			continue
		}
		moved := int64(*op.Tr.AccountMergeResult.SourceAccountBalance)
		return amount.StringFromInt64(moved + merge.FeeCharged - EscrowOverhead), nil
	}
	return "", fmt.Errorf("merge %s: no account merge result", merge.Hash)
}
