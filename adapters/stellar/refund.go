package stellar

import (
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/stellar/go-stellar-sdk/network"
	"github.com/stellar/go-stellar-sdk/strkey"
	"github.com/stellar/go-stellar-sdk/txnbuild"
	"github.com/stellar/go-stellar-sdk/xdr"

	"github.com/vinhub/vinhub/adapters/htlc"
)

// DataRefundTx is the Contract.Data key of the pre-authorized refund
// transaction (base64 XDR envelope).
const DataRefundTx = "refund_tx"

// refundTx is the pre-authorized refund as read from a contract.
type refundTx struct {
	envelope string
	hash     [32]byte
	escrow   string
	sender   string
	seq      int64
	expiry   time.Time
}

// hashHex is the refund's transaction id on the network.
func (r refundTx) hashHex() string { return hex.EncodeToString(r.hash[:]) }

// preAuthSigner is the escrow signer that authorizes the refund.
func (r refundTx) preAuthSigner() string {
	s, _ := strkey.Encode(strkey.VersionByteHashTx, r.hash[:])
	return s
}

// claimBounds are the claim's time bounds: up to the second before the
// refund becomes valid, so the two never are at once.
func (r refundTx) claimBounds() txnbuild.TimeBounds {
	return txnbuild.NewTimebounds(0, r.expiry.Add(-time.Second).Unix())
}

// mergeTx builds the escrow's closing transaction: one account merge to
// dest, from the escrow at its next sequence number.
func mergeTx(escrow string, escrowSeq int64, dest string, bounds txnbuild.TimeBounds, fee int64) (*txnbuild.Transaction, error) {
	return txnbuild.NewTransaction(txnbuild.TransactionParams{
		SourceAccount:        &txnbuild.SimpleAccount{AccountID: escrow, Sequence: escrowSeq},
		IncrementSequenceNum: true,
		Operations:           []txnbuild.Operation{&txnbuild.AccountMerge{Destination: dest}},
		BaseFee:              fee,
		Preconditions:        txnbuild.Preconditions{TimeBounds: bounds},
	})
}

// buildRefund is the refund: valid from expiry on, no signatures (its
// hash is the escrow's pre-auth signer).
func buildRefund(escrow string, escrowSeq int64, sender string, expiry time.Time, fee int64, passphrase string) (refundTx, error) {
	tx, err := mergeTx(escrow, escrowSeq, sender, txnbuild.NewTimebounds(expiry.Unix(), 0), fee)
	if err != nil {
		return refundTx{}, fmt.Errorf("build refund: %w", err)
	}
	envelope, err := tx.Base64()
	if err != nil {
		return refundTx{}, fmt.Errorf("encode refund: %w", err)
	}
	return parseRefund(envelope, passphrase)
}

// parseRefund reads and checks a contract's refund transaction: exactly
// what buildRefund makes, or the escrow could not be trusted to return
// the funds to the sender after the expiry.
func parseRefund(envelope, passphrase string) (refundTx, error) {
	bad := func(why string, args ...any) (refundTx, error) {
		return refundTx{}, fmt.Errorf("%w: refund transaction: %s", htlc.ErrTermsMismatch, fmt.Sprintf(why, args...))
	}
	if envelope == "" {
		return bad("missing from the contract data (%s)", DataRefundTx)
	}
	var env xdr.TransactionEnvelope
	if err := xdr.SafeUnmarshalBase64(envelope, &env); err != nil {
		return bad("not a base64 XDR envelope: %v", err)
	}
	if env.Type != xdr.EnvelopeTypeEnvelopeTypeTx {
		return bad("envelope type %s, want a v1 transaction", env.Type)
	}
	tx := env.V1.Tx
	if len(env.V1.Signatures) != 0 {
		return bad("carries %d signatures; a pre-authorized transaction needs none", len(env.V1.Signatures))
	}
	escrow, err := plainAccount(tx.SourceAccount)
	if err != nil {
		return bad("source: %v", err)
	}
	if len(tx.Operations) != 1 || tx.Operations[0].Body.Type != xdr.OperationTypeAccountMerge {
		return bad("must be a single account merge")
	}
	op := tx.Operations[0]
	if op.SourceAccount != nil && accountID(*op.SourceAccount) != escrow {
		return bad("the merge acts on %s, not the escrow %s", accountID(*op.SourceAccount), escrow)
	}
	sender, err := plainAccount(*op.Body.Destination)
	if err != nil {
		return bad("destination: %v", err)
	}
	tb := tx.Cond.TimeBounds
	if tx.Cond.Type != xdr.PreconditionTypePrecondTime || tb == nil || tb.MinTime == 0 || tb.MaxTime != 0 || int64(tb.MinTime) < 0 {
		return bad("time bounds must be [expiry, unbounded)")
	}
	if int64(tx.Fee) > EscrowFeeBudget {
		return bad("fee %d stroops is more than the escrow keeps for it (%d)", tx.Fee, EscrowFeeBudget)
	}
	hash, err := network.HashTransactionInEnvelope(env, passphrase)
	if err != nil {
		return bad("hash: %v", err)
	}
	return refundTx{
		envelope: envelope, hash: hash, escrow: escrow, sender: sender,
		seq: int64(tx.SeqNum), expiry: time.Unix(int64(tb.MinTime), 0).UTC(),
	}, nil
}

// plainAccount refuses muxed accounts: the escrow and the parties are
// plain G... accounts.
func plainAccount(m xdr.MuxedAccount) (string, error) {
	if m.Type != xdr.CryptoKeyTypeKeyTypeEd25519 {
		return "", errors.New("a muxed account, want a plain G... account")
	}
	return accountID(m), nil
}

func accountID(m xdr.MuxedAccount) string {
	aid := m.ToAccountId()
	return aid.Address()
}
