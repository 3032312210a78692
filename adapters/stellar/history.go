package stellar

import (
	"fmt"

	"github.com/stellar/go-stellar-sdk/amount"
	"github.com/stellar/go-stellar-sdk/clients/horizonclient"
	hProtocol "github.com/stellar/go-stellar-sdk/protocols/horizon"
	"github.com/stellar/go-stellar-sdk/strkey"
	"github.com/stellar/go-stellar-sdk/xdr"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// pageLimit is Horizon's largest page.
const pageLimit = 200

// escrowHistory is what the escrow's successful transactions show, read
// oldest first: Horizon keeps them after the merge deletes the account.
// Status and WatchSecret read it the same way (scan).
type escrowHistory struct {
	escrow     string
	refund     refundTx
	lock       hashlock.Hash // the contract's: a claim carries its preimage
	passphrase string

	// seen counts the transactions scanned.
	seen int
	// funded is the starting balance the sender's create_account gave the
	// escrow in its first transaction; fundErr says why that transaction
	// is not one. Donations later do not count: the amount is what the
	// sender committed.
	funded  int64
	fundErr error
	// setup is the lock's set-options transaction, and what it installed.
	setup     *hProtocol.Transaction
	recipient string
	hash      hashlock.Hash
	// end is the first transaction that settled the escrow: its refund,
	// or any transaction spending from it that carries the preimage (the
	// recipient's key and the preimage can sign more than the merge).
	end    *hProtocol.Transaction
	state  htlc.State
	secret hashlock.Secret
	// strayMerge is a merge of the escrow that was neither.
	strayMerge *hProtocol.Transaction
}

func newEscrowHistory(c htlc.Contract, refund refundTx, passphrase string) *escrowHistory {
	return &escrowHistory{escrow: refund.escrow, refund: refund, lock: c.Terms.Hash, passphrase: passphrase}
}

// follow feeds h the escrow's successful transactions after *cursor, up
// to the last page or the one that settled the escrow, moving *cursor
// past each.
func (r *Rail) follow(h *escrowHistory, cursor *string) error {
	for {
		page, err := r.hc.Transactions(horizonclient.TransactionRequest{ForAccount: h.escrow, Cursor: *cursor, Limit: pageLimit})
		if err != nil {
			return fmt.Errorf("read the history of escrow %s: %w", h.escrow, horizonError(err))
		}
		for i := range page.Embedded.Records {
			tx := &page.Embedded.Records[i]
			if err := h.scan(tx); err != nil {
				return err
			}
			*cursor = tx.PT
			if h.end != nil {
				return nil
			}
		}
		if len(page.Embedded.Records) < pageLimit {
			return nil
		}
	}
}

// scan notes what one transaction did to the escrow. It needs no network,
// so what it reads into a refund or a claim is tested on envelopes alone.
func (h *escrowHistory) scan(tx *hProtocol.Transaction) error {
	var env xdr.TransactionEnvelope
	if err := xdr.SafeUnmarshalBase64(tx.EnvelopeXdr, &env); err != nil {
		return fmt.Errorf("escrow %s: transaction %s: envelope: %w", h.escrow, tx.Hash, err)
	}
	h.seen++
	if h.seen == 1 {
		h.funded, h.fundErr = funding(env, h.escrow, h.refund.sender)
		if h.fundErr != nil {
			h.fundErr = fmt.Errorf("its first transaction %s %w", tx.Hash, h.fundErr)
		}
	}
	if h.end != nil || !spends(env, h.escrow) {
		return nil
	}
	txHash, err := innerHash(env, h.passphrase)
	if err != nil {
		return fmt.Errorf("escrow %s: transaction %s: hash: %w", h.escrow, tx.Hash, err)
	}
	if txHash == h.refund.hash {
		h.end, h.state = tx, htlc.StateRefunded
		return nil
	}
	if s, err := secretIn(env, h.lock); err == nil {
		h.end, h.state, h.secret = tx, htlc.StateClaimed, s
		return nil
	}
	for _, op := range env.Operations() {
		if opSource(env, op) != h.escrow {
			continue
		}
		switch op.Body.Type {
		case xdr.OperationTypeAccountMerge:
			h.strayMerge = tx
		case xdr.OperationTypeSetOptions:
			h.noteSigner(tx, op.Body.SetOptionsOp.Signer)
		}
	}
	return nil
}

// strayMergeErr says that the escrow is gone without its refund or the
// preimage: nothing will ever settle it now.
func (h *escrowHistory) strayMergeErr() error {
	return fmt.Errorf("%w: escrow %s was merged by %s, which is neither its refund %s nor a claim carrying the preimage of %s",
		htlc.ErrTermsMismatch, h.escrow, h.strayMerge.Hash, h.refund.hashHex(), h.lock)
}

// funding is the starting balance of the sender's create_account of the
// escrow in env.
func funding(env xdr.TransactionEnvelope, escrow, sender string) (int64, error) {
	for _, op := range env.Operations() {
		if op.Body.Type != xdr.OperationTypeCreateAccount || op.Body.CreateAccountOp.Destination.Address() != escrow {
			continue
		}
		if src := opSource(env, op); src != sender {
			return 0, fmt.Errorf("is a create_account by %s, not by the sender %s", src, sender)
		}
		start := int64(op.Body.CreateAccountOp.StartingBalance)
		if start <= EscrowOverhead {
			return 0, fmt.Errorf("funds it with %s XLM, not more than the %s XLM overhead", amount.StringFromInt64(start), amount.StringFromInt64(EscrowOverhead))
		}
		return start, nil
	}
	return 0, fmt.Errorf("is not the sender's create_account of it")
}

// spends reports whether env acts on the escrow, which only its signers
// can authorise.
func spends(env xdr.TransactionEnvelope, escrow string) bool {
	if accountID(env.SourceAccount()) == escrow {
		return true
	}
	for _, op := range env.Operations() {
		if opSource(env, op) == escrow {
			return true
		}
	}
	return false
}

func (h *escrowHistory) noteSigner(tx *hProtocol.Transaction, s *xdr.Signer) {
	if s == nil {
		return
	}
	switch s.Key.Type {
	case xdr.SignerKeyTypeSignerKeyTypeHashX:
		h.hash = hashlock.Hash(*s.Key.HashX)
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
