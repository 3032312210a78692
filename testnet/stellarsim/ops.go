package stellarsim

import (
	"math"

	"github.com/stellar/go-stellar-sdk/xdr"
)

// The operations the simulator applies. Anything else is refused at
// submission (see unsupported).
var simulatedOps = map[xdr.OperationType]bool{
	xdr.OperationTypeCreateAccount: true,
	xdr.OperationTypePayment:       true,
	xdr.OperationTypeSetOptions:    true,
	xdr.OperationTypeAccountMerge:  true,
	xdr.OperationTypeBumpSequence:  true,
}

// opEnv is what an operation sees while it applies.
type opEnv struct {
	v         *view
	source    *account
	ledgerSeq uint32
	reserve   int64
}

// thresholdLevel is the threshold an operation needs on its source
// account, as stellar-core's getThresholdLevel.
func thresholdLevel(op xdr.Operation) int {
	switch op.Body.Type {
	case xdr.OperationTypeBumpSequence, xdr.OperationTypeAllowTrust, xdr.OperationTypeSetTrustLineFlags, xdr.OperationTypeInflation:
		return thresholdLow
	case xdr.OperationTypeAccountMerge:
		return thresholdHigh
	case xdr.OperationTypeSetOptions:
		so := op.Body.SetOptionsOp
		if so.MasterWeight != nil || so.LowThreshold != nil || so.MedThreshold != nil || so.HighThreshold != nil || so.Signer != nil {
			return thresholdHigh
		}
	}
	return thresholdMed
}

// checkOp is stellar-core's doCheckValid: refusals that need no ledger
// state. It returns nil when the operation is well formed.
func checkOp(op xdr.Operation, source string) *xdr.OperationResult {
	fail := func(r xdr.OperationResult) *xdr.OperationResult { return &r }
	b := op.Body
	switch b.Type {
	case xdr.OperationTypeCreateAccount:
		if b.CreateAccountOp.StartingBalance < 0 || b.CreateAccountOp.Destination.Address() == source {
			return fail(createAccountResult(xdr.CreateAccountResultCodeCreateAccountMalformed))
		}
	case xdr.OperationTypePayment:
		if b.PaymentOp.Amount <= 0 {
			return fail(paymentResult(xdr.PaymentResultCodePaymentMalformed))
		}
	case xdr.OperationTypeSetOptions:
		if code, ok := checkSetOptions(*b.SetOptionsOp, source); !ok {
			return fail(setOptionsResult(code))
		}
	case xdr.OperationTypeAccountMerge:
		if accountOf(*b.Destination) == source {
			return fail(mergeResult(xdr.AccountMergeResultCodeAccountMergeMalformed, 0))
		}
	case xdr.OperationTypeBumpSequence:
		if b.BumpSequenceOp.BumpTo < 0 {
			return fail(bumpSeqResult(xdr.BumpSequenceResultCodeBumpSequenceBadSeq))
		}
	}
	return nil
}

func checkSetOptions(so xdr.SetOptionsOp, source string) (xdr.SetOptionsResultCode, bool) {
	set, clear := flagsOf(so.SetFlags), flagsOf(so.ClearFlags)
	switch {
	case set&clear != 0:
		return xdr.SetOptionsResultCodeSetOptionsBadFlags, false
	case (set|clear)&^xdr.MaskAccountFlagsV17 != 0:
		return xdr.SetOptionsResultCodeSetOptionsUnknownFlag, false
	case over255(so.MasterWeight) || over255(so.LowThreshold) || over255(so.MedThreshold) || over255(so.HighThreshold):
		return xdr.SetOptionsResultCodeSetOptionsThresholdOutOfRange, false
	case so.HomeDomain != nil && !validHomeDomain(string(*so.HomeDomain)):
		return xdr.SetOptionsResultCodeSetOptionsInvalidHomeDomain, false
	}
	if s := so.Signer; s != nil {
		if s.Weight > 255 || s.Key.Equals(ed25519Key(source)) {
			return xdr.SetOptionsResultCodeSetOptionsBadSigner, false
		}
	}
	return xdr.SetOptionsResultCodeSetOptionsSuccess, true
}

func flagsOf(p *xdr.Uint32) uint32 {
	if p == nil {
		return 0
	}
	return uint32(*p)
}

func over255(p *xdr.Uint32) bool { return p != nil && *p > 255 }

func validHomeDomain(d string) bool {
	for _, c := range []byte(d) {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return len(d) <= 32
}

// applyOp is stellar-core's doApply for the simulated operations.
func applyOp(e opEnv, op xdr.Operation) xdr.OperationResult {
	b := op.Body
	switch b.Type {
	case xdr.OperationTypeCreateAccount:
		return e.createAccount(*b.CreateAccountOp)
	case xdr.OperationTypePayment:
		return e.payment(*b.PaymentOp)
	case xdr.OperationTypeSetOptions:
		return e.setOptions(*b.SetOptionsOp)
	case xdr.OperationTypeAccountMerge:
		return e.merge(accountOf(*b.Destination))
	case xdr.OperationTypeBumpSequence:
		if to := int64(b.BumpSequenceOp.BumpTo); to > e.source.seq {
			e.source.seq = to
		}
		return bumpSeqResult(xdr.BumpSequenceResultCodeBumpSequenceSuccess)
	}
	return opFailed(xdr.OperationResultCodeOpNotSupported)
}

func (e opEnv) createAccount(op xdr.CreateAccountOp) xdr.OperationResult {
	dest := op.Destination.Address()
	start := int64(op.StartingBalance)
	switch {
	case e.v.get(dest) != nil:
		return createAccountResult(xdr.CreateAccountResultCodeCreateAccountAlreadyExist)
	case start < 2*e.reserve:
		return createAccountResult(xdr.CreateAccountResultCodeCreateAccountLowReserve)
	case e.source.available(e.reserve) < start:
		return createAccountResult(xdr.CreateAccountResultCodeCreateAccountUnderfunded)
	}
	e.source.balance -= start
	e.v.put(&account{
		id: dest, balance: start, seq: startingSeq(e.ledgerSeq),
		thresholds: [4]uint8{1, 0, 0, 0}, modified: e.ledgerSeq,
	})
	return createAccountResult(xdr.CreateAccountResultCodeCreateAccountSuccess)
}

func (e opEnv) payment(op xdr.PaymentOp) xdr.OperationResult {
	if op.Asset.Type != xdr.AssetTypeAssetTypeNative {
		// No trust lines exist here: an issuer's payment finds none at the
		// destination, anyone else's finds none at the source.
		if op.Asset.GetIssuer() == e.source.id {
			return paymentResult(xdr.PaymentResultCodePaymentNoTrust)
		}
		return paymentResult(xdr.PaymentResultCodePaymentSrcNoTrust)
	}
	destID := accountOf(op.Destination)
	amount := int64(op.Amount)
	dest := e.v.load(destID)
	switch {
	case dest == nil:
		return paymentResult(xdr.PaymentResultCodePaymentNoDestination)
	case destID == e.source.id:
		return paymentResult(xdr.PaymentResultCodePaymentSuccess)
	case e.source.available(e.reserve) < amount:
		return paymentResult(xdr.PaymentResultCodePaymentUnderfunded)
	case dest.balance > math.MaxInt64-amount:
		return paymentResult(xdr.PaymentResultCodePaymentLineFull)
	}
	e.source.balance -= amount
	dest.balance += amount
	dest.modified = e.ledgerSeq
	return paymentResult(xdr.PaymentResultCodePaymentSuccess)
}

func (e opEnv) setOptions(op xdr.SetOptionsOp) xdr.OperationResult {
	a := e.source
	if op.InflationDest != nil {
		dest := op.InflationDest.Address()
		if dest != a.id && e.v.get(dest) == nil {
			return setOptionsResult(xdr.SetOptionsResultCodeSetOptionsInvalidInflation)
		}
		a.inflation = dest
	}
	if code, ok := e.setFlags(op); !ok {
		return setOptionsResult(code)
	}
	if op.HomeDomain != nil {
		a.homeDomain = string(*op.HomeDomain)
	}
	setThreshold(&a.thresholds[thresholdMaster], op.MasterWeight)
	setThreshold(&a.thresholds[thresholdLow], op.LowThreshold)
	setThreshold(&a.thresholds[thresholdMed], op.MedThreshold)
	setThreshold(&a.thresholds[thresholdHigh], op.HighThreshold)
	if op.Signer != nil {
		return setOptionsResult(e.setSigner(*op.Signer))
	}
	return setOptionsResult(xdr.SetOptionsResultCodeSetOptionsSuccess)
}

func (e opEnv) setFlags(op xdr.SetOptionsOp) (xdr.SetOptionsResultCode, bool) {
	a := e.source
	set, clear := flagsOf(op.SetFlags), flagsOf(op.ClearFlags)
	if set|clear == 0 {
		return xdr.SetOptionsResultCodeSetOptionsSuccess, true
	}
	if a.flags&uint32(xdr.AccountFlagsAuthImmutableFlag) != 0 {
		return xdr.SetOptionsResultCodeSetOptionsCantChange, false
	}
	flags := (a.flags &^ clear) | set
	clawback, revocable := uint32(xdr.AccountFlagsAuthClawbackEnabledFlag), uint32(xdr.AccountFlagsAuthRevocableFlag)
	if flags&clawback != 0 && flags&revocable == 0 {
		return xdr.SetOptionsResultCodeSetOptionsAuthRevocableRequired, false
	}
	a.flags = flags
	return xdr.SetOptionsResultCodeSetOptionsSuccess, true
}

func setThreshold(dst *uint8, v *xdr.Uint32) {
	if v != nil {
		*dst = uint8(*v)
	}
}

// setSigner adds, updates (weight > 0) or removes (weight 0) a signer; an
// added signer is a subentry and needs its reserve.
func (e opEnv) setSigner(s xdr.Signer) xdr.SetOptionsResultCode {
	a := e.source
	if s.Weight == 0 {
		a.removeSigner(s.Key)
		return xdr.SetOptionsResultCodeSetOptionsSuccess
	}
	if a.signerIndex(s.Key) < 0 {
		switch {
		case len(a.signers) >= maxSigners:
			return xdr.SetOptionsResultCodeSetOptionsTooManySigners
		case a.balance < (3+int64(a.subentries))*e.reserve:
			return xdr.SetOptionsResultCodeSetOptionsLowReserve
		}
	}
	a.putSigner(signerEntry{key: s.Key, weight: uint32(s.Weight)})
	return xdr.SetOptionsResultCodeSetOptionsSuccess
}

// merge moves the whole native balance to dest and deletes the source.
// Signers are the only subentries that do not block a merge.
func (e opEnv) merge(destID string) xdr.OperationResult {
	a := e.source
	dest := e.v.load(destID)
	switch {
	case dest == nil:
		return mergeResult(xdr.AccountMergeResultCodeAccountMergeNoAccount, 0)
	case a.flags&uint32(xdr.AccountFlagsAuthImmutableFlag) != 0:
		return mergeResult(xdr.AccountMergeResultCodeAccountMergeImmutableSet, 0)
	case a.subentries != uint32(len(a.signers)):
		return mergeResult(xdr.AccountMergeResultCodeAccountMergeHasSubEntries, 0)
	case a.seq >= startingSeq(e.ledgerSeq):
		return mergeResult(xdr.AccountMergeResultCodeAccountMergeSeqnumTooFar, 0)
	case dest.balance > math.MaxInt64-a.balance:
		return mergeResult(xdr.AccountMergeResultCodeAccountMergeDestFull, 0)
	}
	moved := a.balance
	dest.balance += moved
	dest.modified = e.ledgerSeq
	e.v.remove(a.id)
	return mergeResult(xdr.AccountMergeResultCodeAccountMergeSuccess, moved)
}

// startingSeq is the sequence number of an account created in ledgerSeq.
func startingSeq(ledgerSeq uint32) int64 { return int64(ledgerSeq) << 32 }

// accountOf is the G... account behind a possibly muxed address.
func accountOf(m xdr.MuxedAccount) string {
	aid := m.ToAccountId()
	return aid.Address()
}
