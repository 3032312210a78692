package stellarsim

import (
	"math/big"

	"github.com/stellar/go-stellar-sdk/network"
	"github.com/stellar/go-stellar-sdk/xdr"
)

// feeBump is the outer transaction of a fee-bump envelope: an account
// that pays the fee of someone else's signed v1 transaction. Anyone may
// wrap any signed transaction this way; the inner transaction keeps its
// hash, signatures and effects.
type feeBump struct {
	source    string
	sourceXDR xdr.MuxedAccount
	fee       int64
	sigs      []xdr.DecoratedSignature
	hash      [32]byte
}

// decodeFeeBump reads a fee-bump envelope into its inner transaction's
// frame with the outer transaction attached.
func (s *Sim) decodeFeeBump(env xdr.TransactionEnvelope) (txFrame, error) {
	fb := env.FeeBump
	inner := fb.Tx.InnerTx.V1
	f, err := s.frame(*inner)
	if err != nil {
		return txFrame{}, err
	}
	outer, err := network.HashFeeBumpTransaction(fb.Tx, s.cfg.Passphrase)
	if err != nil {
		return txFrame{}, &MalformedError{Reason: "hash fee bump: " + err.Error()}
	}
	f.bump = &feeBump{
		source: accountOf(fb.Tx.FeeSource), sourceXDR: fb.Tx.FeeSource,
		fee: int64(fb.Tx.Fee), sigs: fb.Signatures, hash: outer,
	}
	return f, nil
}

// validateFeeBump is stellar-core's FeeBumpTransactionFrame::checkValid:
// the outer fee, the fee source's signatures and balance, then the inner
// transaction as usual except that it pays no fee of its own.
func validateFeeBump(v *view, f txFrame, l closing) txResult {
	b := f.bump
	ops := int64(len(f.tx.Operations))
	res := txResult{fee: l.baseFee * (ops + 1)}
	fail := func(code xdr.TransactionResultCode) txResult { res.code = code; return res }
	if b.fee < res.fee || !feeRateCovers(b.fee, int64(f.tx.Fee), ops) {
		return fail(xdr.TransactionResultCodeTxInsufficientFee)
	}
	payer := v.get(b.source)
	sc := newSigChecker(b.hash, b.sigs)
	switch {
	case payer == nil:
		return fail(xdr.TransactionResultCodeTxNoAccount)
	case !sc.check(signersOf(payer), uint32(payer.thresholds[thresholdLow])):
		return fail(xdr.TransactionResultCodeTxBadAuth)
	case payer.available(l.reserve) < b.fee:
		return fail(xdr.TransactionResultCodeTxInsufficientBalance)
	}
	inner := validateTx(v, f, l, false)
	if inner.ok() && !sc.allUsed() {
		return fail(xdr.TransactionResultCodeTxBadAuthExtra)
	}
	res.wrap(inner, f.hash)
	return res
}

// wrap makes r the fee bump's result around its inner transaction's.
func (r *txResult) wrap(inner txResult, innerHash [32]byte) {
	inner.fee = 0 // the fee source paid it all
	r.inner, r.innerHash = &inner, innerHash
	r.code = xdr.TransactionResultCodeTxFeeBumpInnerSuccess
	if !inner.ok() {
		r.code = xdr.TransactionResultCodeTxFeeBumpInnerFailed
	}
}

// feeRateCovers reports whether the bump's fee per operation (it counts
// as one more) is at least the inner transaction's, compared as
// stellar-core does, without dividing or overflowing:
// outer x innerOps >= inner x (innerOps + 1).
func feeRateCovers(outer, inner, innerOps int64) bool {
	left := new(big.Int).Mul(big.NewInt(outer), big.NewInt(innerOps))
	right := new(big.Int).Mul(big.NewInt(inner), big.NewInt(innerOps+1))
	return left.Cmp(right) >= 0
}
