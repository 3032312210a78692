package stellarsim

import (
	hProtocol "github.com/stellar/go-stellar-sdk/protocols/horizon"
	"github.com/stellar/go-stellar-sdk/xdr"
)

// txResult is what happened to one transaction, in stellar-core's terms.
type txResult struct {
	code xdr.TransactionResultCode
	// ops holds one result per operation once the operations were looked
	// at (tx_success and tx_failed); nil otherwise.
	ops []xdr.OperationResult
	fee int64
	// inner is a fee bump's inner transaction's result (code and ops),
	// and innerHash that transaction's hash.
	inner     *txResult
	innerHash [32]byte
}

func (r txResult) ok() bool {
	return r.code == xdr.TransactionResultCodeTxSuccess || r.code == xdr.TransactionResultCodeTxFeeBumpInnerSuccess
}

// xdr is the TransactionResult Horizon serves as result_xdr.
func (r txResult) xdr() xdr.TransactionResult {
	res := xdr.TransactionResult{FeeCharged: xdr.Int64(r.fee), Result: xdr.TransactionResultResult{Code: r.code}}
	if r.inner != nil {
		in := xdr.InnerTransactionResult{FeeCharged: xdr.Int64(r.inner.fee), Result: xdr.InnerTransactionResultResult{Code: r.inner.code}}
		in.Result.Results = r.inner.opResults()
		res.Result.InnerResultPair = &xdr.InnerTransactionResultPair{TransactionHash: xdr.Hash(r.innerHash), Result: in}
		return res
	}
	res.Result.Results = r.opResults()
	return res
}

// opResults are the operations' results where the XDR has them: after
// the operations were looked at.
func (r txResult) opResults() *[]xdr.OperationResult {
	if r.code != xdr.TransactionResultCodeTxSuccess && r.code != xdr.TransactionResultCodeTxFailed {
		return nil
	}
	ops := r.ops
	return &ops
}

// codes is the result as Horizon's extras.result_codes; a fee bump's
// carry its inner transaction's code and operations.
func (r txResult) codes() hProtocol.TransactionResultCodes {
	c := hProtocol.TransactionResultCodes{TransactionCode: txCodes[r.code]}
	if r.inner != nil {
		c.InnerTransactionCode = txCodes[r.inner.code]
		r = *r.inner
	}
	if r.code != xdr.TransactionResultCodeTxFailed {
		return c
	}
	for _, op := range r.ops {
		c.OperationCodes = append(c.OperationCodes, opCode(op))
	}
	return c
}

// txCodes are Horizon's names of the transaction result codes.
var txCodes = map[xdr.TransactionResultCode]string{
	xdr.TransactionResultCodeTxSuccess:             "tx_success",
	xdr.TransactionResultCodeTxFailed:              "tx_failed",
	xdr.TransactionResultCodeTxTooEarly:            "tx_too_early",
	xdr.TransactionResultCodeTxTooLate:             "tx_too_late",
	xdr.TransactionResultCodeTxMissingOperation:    "tx_missing_operation",
	xdr.TransactionResultCodeTxBadSeq:              "tx_bad_seq",
	xdr.TransactionResultCodeTxBadAuth:             "tx_bad_auth",
	xdr.TransactionResultCodeTxInsufficientBalance: "tx_insufficient_balance",
	xdr.TransactionResultCodeTxNoAccount:           "tx_no_source_account",
	xdr.TransactionResultCodeTxInsufficientFee:     "tx_insufficient_fee",
	xdr.TransactionResultCodeTxBadAuthExtra:        "tx_bad_auth_extra",
	xdr.TransactionResultCodeTxInternalError:       "tx_internal_error",
	xdr.TransactionResultCodeTxNotSupported:        "tx_not_supported",
	xdr.TransactionResultCodeTxMalformed:           "tx_malformed",
	xdr.TransactionResultCodeTxFeeBumpInnerSuccess: "tx_fee_bump_inner_success",
	xdr.TransactionResultCodeTxFeeBumpInnerFailed:  "tx_fee_bump_inner_failed",
}

// opCode is Horizon's name of an operation result.
func opCode(r xdr.OperationResult) string {
	switch r.Code {
	case xdr.OperationResultCodeOpBadAuth:
		return "op_bad_auth"
	case xdr.OperationResultCodeOpNoAccount:
		return "op_no_source_account"
	case xdr.OperationResultCodeOpNotSupported:
		return "op_not_supported"
	case xdr.OperationResultCodeOpTooManySubentries:
		return "op_too_many_subentries"
	case xdr.OperationResultCodeOpInner:
		return innerCode(*r.Tr)
	}
	return "op_unknown"
}

func innerCode(tr xdr.OperationResultTr) string {
	switch tr.Type {
	case xdr.OperationTypeCreateAccount:
		return createAccountCodes[tr.CreateAccountResult.Code]
	case xdr.OperationTypePayment:
		return paymentCodes[tr.PaymentResult.Code]
	case xdr.OperationTypeSetOptions:
		return setOptionsCodes[tr.SetOptionsResult.Code]
	case xdr.OperationTypeAccountMerge:
		return mergeCodes[tr.AccountMergeResult.Code]
	case xdr.OperationTypeBumpSequence:
		if tr.BumpSeqResult.Code == xdr.BumpSequenceResultCodeBumpSequenceBadSeq {
			return "op_bad_seq"
		}
		return "op_success"
	}
	return "op_unknown"
}

var createAccountCodes = map[xdr.CreateAccountResultCode]string{
	xdr.CreateAccountResultCodeCreateAccountSuccess:      "op_success",
	xdr.CreateAccountResultCodeCreateAccountMalformed:    "op_malformed",
	xdr.CreateAccountResultCodeCreateAccountUnderfunded:  "op_underfunded",
	xdr.CreateAccountResultCodeCreateAccountLowReserve:   "op_low_reserve",
	xdr.CreateAccountResultCodeCreateAccountAlreadyExist: "op_already_exists",
}

var paymentCodes = map[xdr.PaymentResultCode]string{
	xdr.PaymentResultCodePaymentSuccess:       "op_success",
	xdr.PaymentResultCodePaymentMalformed:     "op_malformed",
	xdr.PaymentResultCodePaymentUnderfunded:   "op_underfunded",
	xdr.PaymentResultCodePaymentSrcNoTrust:    "op_src_no_trust",
	xdr.PaymentResultCodePaymentNoDestination: "op_no_destination",
	xdr.PaymentResultCodePaymentNoTrust:       "op_no_trust",
	xdr.PaymentResultCodePaymentLineFull:      "op_line_full",
}

var setOptionsCodes = map[xdr.SetOptionsResultCode]string{
	xdr.SetOptionsResultCodeSetOptionsSuccess:               "op_success",
	xdr.SetOptionsResultCodeSetOptionsLowReserve:            "op_low_reserve",
	xdr.SetOptionsResultCodeSetOptionsTooManySigners:        "op_too_many_signers",
	xdr.SetOptionsResultCodeSetOptionsBadFlags:              "op_bad_flags",
	xdr.SetOptionsResultCodeSetOptionsInvalidInflation:      "op_invalid_inflation",
	xdr.SetOptionsResultCodeSetOptionsCantChange:            "op_cant_change",
	xdr.SetOptionsResultCodeSetOptionsUnknownFlag:           "op_unknown_flag",
	xdr.SetOptionsResultCodeSetOptionsThresholdOutOfRange:   "op_threshold_out_of_range",
	xdr.SetOptionsResultCodeSetOptionsBadSigner:             "op_bad_signer",
	xdr.SetOptionsResultCodeSetOptionsInvalidHomeDomain:     "op_invalid_home_domain",
	xdr.SetOptionsResultCodeSetOptionsAuthRevocableRequired: "op_auth_revocable_required",
}

var mergeCodes = map[xdr.AccountMergeResultCode]string{
	xdr.AccountMergeResultCodeAccountMergeSuccess:       "op_success",
	xdr.AccountMergeResultCodeAccountMergeMalformed:     "op_malformed",
	xdr.AccountMergeResultCodeAccountMergeNoAccount:     "op_no_account",
	xdr.AccountMergeResultCodeAccountMergeImmutableSet:  "op_immutable_set",
	xdr.AccountMergeResultCodeAccountMergeHasSubEntries: "op_has_sub_entries",
	xdr.AccountMergeResultCodeAccountMergeSeqnumTooFar:  "op_seq_num_too_far",
	xdr.AccountMergeResultCodeAccountMergeDestFull:      "op_dest_full",
	xdr.AccountMergeResultCodeAccountMergeIsSponsor:     "op_is_sponsor",
}

// Operation results, one constructor per simulated operation.

func opFailed(code xdr.OperationResultCode) xdr.OperationResult {
	return xdr.OperationResult{Code: code}
}

func inner(tr xdr.OperationResultTr) xdr.OperationResult {
	return xdr.OperationResult{Code: xdr.OperationResultCodeOpInner, Tr: &tr}
}

func createAccountResult(c xdr.CreateAccountResultCode) xdr.OperationResult {
	return inner(xdr.OperationResultTr{Type: xdr.OperationTypeCreateAccount, CreateAccountResult: &xdr.CreateAccountResult{Code: c}})
}

func paymentResult(c xdr.PaymentResultCode) xdr.OperationResult {
	return inner(xdr.OperationResultTr{Type: xdr.OperationTypePayment, PaymentResult: &xdr.PaymentResult{Code: c}})
}

func setOptionsResult(c xdr.SetOptionsResultCode) xdr.OperationResult {
	return inner(xdr.OperationResultTr{Type: xdr.OperationTypeSetOptions, SetOptionsResult: &xdr.SetOptionsResult{Code: c}})
}

func mergeResult(c xdr.AccountMergeResultCode, moved int64) xdr.OperationResult {
	r := xdr.AccountMergeResult{Code: c}
	if c == xdr.AccountMergeResultCodeAccountMergeSuccess {
		b := xdr.Int64(moved)
		r.SourceAccountBalance = &b
	}
	return inner(xdr.OperationResultTr{Type: xdr.OperationTypeAccountMerge, AccountMergeResult: &r})
}

func bumpSeqResult(c xdr.BumpSequenceResultCode) xdr.OperationResult {
	return inner(xdr.OperationResultTr{Type: xdr.OperationTypeBumpSequence, BumpSeqResult: &xdr.BumpSequenceResult{Code: c}})
}

// successOf is the result an operation gets when it was not reached.
func successOf(t xdr.OperationType) xdr.OperationResult {
	switch t {
	case xdr.OperationTypeCreateAccount:
		return createAccountResult(xdr.CreateAccountResultCodeCreateAccountSuccess)
	case xdr.OperationTypePayment:
		return paymentResult(xdr.PaymentResultCodePaymentSuccess)
	case xdr.OperationTypeSetOptions:
		return setOptionsResult(xdr.SetOptionsResultCodeSetOptionsSuccess)
	case xdr.OperationTypeAccountMerge:
		return mergeResult(xdr.AccountMergeResultCodeAccountMergeSuccess, 0)
	case xdr.OperationTypeBumpSequence:
		return bumpSeqResult(xdr.BumpSequenceResultCodeBumpSequenceSuccess)
	}
	return opFailed(xdr.OperationResultCodeOpNotSupported)
}

// isSuccess reports whether an operation result is a success.
func isSuccess(r xdr.OperationResult) bool {
	return r.Code == xdr.OperationResultCodeOpInner && innerCode(*r.Tr) == "op_success"
}
