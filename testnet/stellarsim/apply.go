package stellarsim

import (
	"fmt"
	"time"

	"github.com/stellar/go-stellar-sdk/xdr"
)

// closing is the ledger being closed: what every transaction in it is
// judged against.
type closing struct {
	seq       uint32
	closeTime time.Time
	baseFee   int64
	reserve   int64
}

// txFrame is a decoded v1 transaction with its network hash, and the fee
// bump around it if it came in one.
type txFrame struct {
	tx     xdr.Transaction
	sigs   []xdr.DecoratedSignature
	hash   [32]byte
	source string
	bump   *feeBump
}

// id is the hash the envelope is known by: a fee bump's own.
func (f txFrame) id() [32]byte {
	if f.bump != nil {
		return f.bump.hash
	}
	return f.hash
}

// feeSource is the account that pays the fee.
func (f txFrame) feeSource() string {
	if f.bump != nil {
		return f.bump.source
	}
	return f.source
}

// fee is what the transaction is charged: the ledger's base fee per
// operation (a fee bump counts as one more; no surge pricing), never more
// than it bid.
func (f txFrame) fee(l closing) int64 {
	ops := int64(len(f.tx.Operations))
	if f.bump != nil {
		return min(l.baseFee*(ops+1), f.bump.fee)
	}
	return min(l.baseFee*ops, int64(f.tx.Fee))
}

// opSource is the account an operation acts on.
func (f txFrame) opSource(op xdr.Operation) string {
	if op.SourceAccount != nil {
		return accountOf(*op.SourceAccount)
	}
	return f.source
}

// unsupported names a feature of the envelope the simulator does not
// model, so it can refuse it clearly instead of pretending.
func unsupported(env xdr.TransactionEnvelope) string {
	if env.IsFeeBump() {
		inner := xdr.TransactionEnvelope{Type: xdr.EnvelopeTypeEnvelopeTypeTx, V1: env.FeeBump.Tx.InnerTx.V1}
		if why := unsupported(inner); why != "" {
			return "inner transaction: " + why
		}
		return ""
	}
	if env.Type != xdr.EnvelopeTypeEnvelopeTypeTx {
		return fmt.Sprintf("stellarsim applies v1 transaction envelopes (ENVELOPE_TYPE_TX) and fee bumps of them only, not %s", env.Type)
	}
	if env.V1.Tx.Cond.Type == xdr.PreconditionTypePrecondV2 {
		return "stellarsim does not simulate v2 preconditions (ledger bounds, min sequence number/age/gap, extra signers); use time bounds only"
	}
	if env.V1.Tx.Ext.V != 0 {
		return "stellarsim does not simulate Soroban transactions"
	}
	for i, op := range env.V1.Tx.Operations {
		if !simulatedOps[op.Body.Type] {
			return fmt.Sprintf("operation %d is %s; stellarsim simulates create_account, payment, set_options, account_merge and bump_sequence only", i, op.Body.Type)
		}
		if s := op.Body.SetOptionsOp; s != nil && s.Signer != nil && s.Signer.Key.Type == xdr.SignerKeyTypeSignerKeyTypeEd25519SignedPayload {
			return fmt.Sprintf("operation %d adds an ed25519 signed-payload signer; stellarsim simulates ed25519, sha256_hash and preauth_tx signers only", i)
		}
	}
	return ""
}

// validate is stellar-core's checkValid against the ledger as it stands:
// a transaction that fails here is not applied, charged or recorded.
func validate(v *view, f txFrame, l closing) txResult {
	if f.bump != nil {
		return validateFeeBump(v, f, l)
	}
	return validateTx(v, f, l, true)
}

// validateTx checks a v1 transaction; chargeFee is false for the inner
// transaction of a fee bump, whose fee source pays instead.
func validateTx(v *view, f txFrame, l closing, chargeFee bool) txResult {
	sc := newSigChecker(f.hash, f.sigs)
	res := txResult{fee: l.baseFee * int64(len(f.tx.Operations))}
	fail := func(code xdr.TransactionResultCode) txResult { res.code = code; return res }
	if len(f.tx.Operations) == 0 {
		return fail(xdr.TransactionResultCodeTxMissingOperation)
	}
	if tb := f.tx.Cond.TimeBounds; tb != nil {
		now := uint64(l.closeTime.Unix())
		if tb.MinTime != 0 && uint64(tb.MinTime) > now {
			return fail(xdr.TransactionResultCodeTxTooEarly)
		}
		if tb.MaxTime != 0 && uint64(tb.MaxTime) < now {
			return fail(xdr.TransactionResultCodeTxTooLate)
		}
	}
	if chargeFee && int64(f.tx.Fee) < res.fee {
		return fail(xdr.TransactionResultCodeTxInsufficientFee)
	}
	src := v.get(f.source)
	switch {
	case src == nil:
		return fail(xdr.TransactionResultCodeTxNoAccount)
	case int64(f.tx.SeqNum) != src.seq+1 || int64(f.tx.SeqNum) == startingSeq(l.seq):
		return fail(xdr.TransactionResultCodeTxBadSeq)
	case !sc.check(signersOf(src), uint32(src.thresholds[thresholdLow])):
		return fail(xdr.TransactionResultCodeTxBadAuth)
	case chargeFee && src.available(l.reserve) < int64(f.tx.Fee):
		return fail(xdr.TransactionResultCodeTxInsufficientBalance)
	}
	if ops, ok := validateOps(v, f, sc); !ok {
		res.ops = ops
		return fail(xdr.TransactionResultCodeTxFailed)
	}
	if !sc.allUsed() {
		return fail(xdr.TransactionResultCodeTxBadAuthExtra)
	}
	res.code = xdr.TransactionResultCodeTxSuccess
	return res
}

// validateOps checks each operation's signatures on its source account
// and its form, stopping at the first failure as stellar-core does.
func validateOps(v *view, f txFrame, sc *sigChecker) ([]xdr.OperationResult, bool) {
	results := make([]xdr.OperationResult, len(f.tx.Operations))
	for i, op := range f.tx.Operations {
		results[i] = successOf(op.Body.Type)
	}
	for i, op := range f.tx.Operations {
		id := f.opSource(op)
		if r := checkOpAuth(v, id, op, sc); r != nil {
			results[i] = *r
			return results, false
		}
		if r := checkOp(op, id); r != nil {
			results[i] = *r
			return results, false
		}
	}
	return results, true
}

func checkOpAuth(v *view, id string, op xdr.Operation, sc *sigChecker) *xdr.OperationResult {
	fail := opFailed(xdr.OperationResultCodeOpBadAuth)
	if a := v.get(id); a != nil {
		if !sc.check(signersOf(a), uint32(a.thresholds[thresholdLevel(op)])) {
			return &fail
		}
		return nil
	}
	// The account may be created by an earlier operation of this
	// transaction: its own key must sign; applying will tell.
	if !sc.check([]weighted{{key: ed25519Key(id), weight: 1}}, 0) {
		return &fail
	}
	return nil
}

// apply charges the fee (to a fee bump's fee source if it came in one),
// consumes the sequence number, removes the transaction's pre-auth signer
// from its source accounts and applies the operations all or nothing. It
// runs only on a validated transaction.
func apply(v *view, f txFrame, l closing) txResult {
	res := txResult{fee: f.fee(l)}
	payer := v.load(f.feeSource())
	payer.balance -= min(res.fee, payer.balance)
	payer.modified = l.seq
	src := v.load(f.source)
	src.seq = int64(f.tx.SeqNum)
	src.seqLedger, src.seqTime = l.seq, uint64(l.closeTime.Unix())
	src.modified = l.seq
	ids := []string{f.source}
	for _, op := range f.tx.Operations {
		ids = append(ids, f.opSource(op))
	}
	removeOneTimeSigner(v, f.hash, ids)
	if f.bump != nil {
		removeOneTimeSigner(v, f.bump.hash, []string{f.bump.source})
	}

	ops := newView(v)
	res.code = xdr.TransactionResultCodeTxSuccess
	for _, op := range f.tx.Operations {
		r := applyOne(ops, f, op, l)
		res.ops = append(res.ops, r)
		if !isSuccess(r) {
			res.code = xdr.TransactionResultCodeTxFailed
		}
	}
	if res.ok() {
		ops.commit()
	}
	if f.bump != nil {
		bumped := txResult{fee: res.fee}
		bumped.wrap(res, f.hash)
		return bumped
	}
	return res
}

func applyOne(v *view, f txFrame, op xdr.Operation, l closing) xdr.OperationResult {
	src := v.load(f.opSource(op))
	if src == nil {
		return opFailed(xdr.OperationResultCodeOpNoAccount)
	}
	src.modified = l.seq
	return applyOp(opEnv{v: v, source: src, ledgerSeq: l.seq, reserve: l.reserve}, op)
}

// removeOneTimeSigner drops the pre-auth signer equal to a transaction's
// hash from the accounts it was a source of (for a fee bump's own hash,
// the fee source): a pre-authorized transaction can be used once,
// whether its operations succeed or not.
func removeOneTimeSigner(v *view, hash [32]byte, ids []string) {
	h := xdr.Uint256(hash)
	key := xdr.SignerKey{Type: xdr.SignerKeyTypeSignerKeyTypePreAuthTx, PreAuthTx: &h}
	for _, id := range ids {
		if a := v.get(id); a != nil && a.signerIndex(key) >= 0 {
			v.load(id).removeSigner(key)
		}
	}
}
