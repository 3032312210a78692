package stellarsim

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/stellar/go-stellar-sdk/amount"
	hProtocol "github.com/stellar/go-stellar-sdk/protocols/horizon"
	"github.com/stellar/go-stellar-sdk/protocols/horizon/base"
	"github.com/stellar/go-stellar-sdk/support/render/hal"
	"github.com/stellar/go-stellar-sdk/toid"
	"github.com/stellar/go-stellar-sdk/xdr"
)

// protocolVersion is the Stellar protocol whose rules the simulator follows.
const protocolVersion = 22

// The resources below are Horizon's, built with go-stellar-sdk's own
// protocols/horizon types so their JSON is what horizonclient decodes.
// They are built under s.mu.

func (s *Sim) accountResource(a *account) hProtocol.Account {
	var r hProtocol.Account
	self := s.url + "/accounts/" + a.id
	r.Links.Self = hal.NewLink(self)
	r.Links.Transactions = hal.NewLink(self + "/transactions{?cursor,limit,order}")
	r.Links.Operations = hal.NewLink(self + "/operations{?cursor,limit,order}")
	r.Links.Payments = hal.NewLink(self + "/payments{?cursor,limit,order}")
	r.Links.Effects = hal.NewLink(self + "/effects{?cursor,limit,order}")
	r.Links.Offers = hal.NewLink(self + "/offers{?cursor,limit,order}")
	r.Links.Trades = hal.NewLink(self + "/trades{?cursor,limit,order}")
	r.Links.Data = hal.NewLink(self + "/data/{key}")
	r.ID, r.AccountID, r.PT = a.id, a.id, a.id
	r.Sequence = a.seq
	r.SequenceLedger = a.seqLedger
	if a.seqTime != 0 {
		r.SequenceTime = strconv.FormatUint(a.seqTime, 10)
	}
	r.SubentryCount = int32(a.subentries)
	r.InflationDestination, r.HomeDomain = a.inflation, a.homeDomain
	r.LastModifiedLedger = a.modified
	modified := s.ledgers[a.modified-1].closeTime
	r.LastModifiedTime = &modified
	r.Thresholds = hProtocol.AccountThresholds{
		LowThreshold: a.thresholds[thresholdLow], MedThreshold: a.thresholds[thresholdMed], HighThreshold: a.thresholds[thresholdHigh],
	}
	r.Flags = hProtocol.AccountFlags{
		AuthRequired:        a.flags&uint32(xdr.AccountFlagsAuthRequiredFlag) != 0,
		AuthRevocable:       a.flags&uint32(xdr.AccountFlagsAuthRevocableFlag) != 0,
		AuthImmutable:       a.flags&uint32(xdr.AccountFlagsAuthImmutableFlag) != 0,
		AuthClawbackEnabled: a.flags&uint32(xdr.AccountFlagsAuthClawbackEnabledFlag) != 0,
	}
	r.Balances = []hProtocol.Balance{{
		Balance: amount.StringFromInt64(a.balance), BuyingLiabilities: "0.0000000", SellingLiabilities: "0.0000000",
		Asset: base.Asset{Type: "native"},
	}}
	for _, sg := range a.signers {
		r.Signers = append(r.Signers, signerResource(sg.key, sg.weight))
	}
	// Horizon lists the master key last, with weight 0 once it is disabled.
	r.Signers = append(r.Signers, signerResource(ed25519Key(a.id), uint32(a.thresholds[thresholdMaster])))
	r.Data = map[string]string{}
	return r
}

func signerResource(k xdr.SignerKey, weight uint32) hProtocol.Signer {
	addr := k.Address()
	return hProtocol.Signer{Weight: int32(weight), Key: addr, Type: hProtocol.MustKeyTypeFromAddress(addr)}
}

func (s *Sim) txResource(r *txRecord) hProtocol.Transaction {
	var t hProtocol.Transaction
	self := s.url + "/transactions/" + r.hash
	t.Links.Self = hal.NewLink(self)
	t.Links.Transaction = t.Links.Self
	t.Links.Account = hal.NewLink(s.url + "/accounts/" + r.frame.source)
	t.Links.Ledger = hal.NewLink(fmt.Sprintf("%s/ledgers/%d", s.url, r.ledger))
	t.Links.Operations = hal.NewLink(self + "/operations{?cursor,limit,order}")
	t.Links.Effects = hal.NewLink(self + "/effects{?cursor,limit,order}")
	token := strconv.FormatInt(r.token(), 10)
	t.Links.Precedes = hal.NewLink(s.url + "/transactions?order=asc&cursor=" + token)
	t.Links.Succeeds = hal.NewLink(s.url + "/transactions?order=desc&cursor=" + token)
	t.ID, t.Hash, t.PT = r.hash, r.hash, token
	t.Successful = r.result.ok()
	t.Ledger = int32(r.ledger)
	t.LedgerCloseTime = r.closeTime
	tx := r.frame.tx
	t.Account, t.FeeAccount = r.frame.source, r.frame.source
	if tx.SourceAccount.Type == xdr.CryptoKeyTypeKeyTypeMuxedEd25519 {
		t.AccountMuxed = tx.SourceAccount.Address()
		t.AccountMuxedID = uint64(tx.SourceAccount.Med25519.Id)
		t.FeeAccountMuxed, t.FeeAccountMuxedID = t.AccountMuxed, t.AccountMuxedID
	}
	t.AccountSequence = int64(tx.SeqNum)
	t.FeeCharged, t.MaxFee = r.result.fee, int64(tx.Fee)
	t.OperationCount = int32(len(tx.Operations))
	t.EnvelopeXdr, t.ResultXdr = r.envelopeXDR, r.resultXDR
	t.MemoType, t.Memo, t.MemoBytes = memo(tx.Memo)
	t.Signatures = signatures(r.frame.sigs)
	if b := r.frame.bump; b != nil {
		feeBumpFields(&t, r, b)
	}
	if tb := tx.Cond.TimeBounds; tb != nil {
		t.Preconditions = &hProtocol.TransactionPreconditions{TimeBounds: &hProtocol.TransactionPreconditionsTimebounds{
			MinTime: strconv.FormatUint(uint64(tb.MinTime), 10), MaxTime: maxTime(tb.MaxTime),
		}}
	}
	return t
}

// feeBumpFields are Horizon's for a fee bump: the outer transaction's
// fee account, fee and signatures at the top, the inner transaction's
// hash, signatures and fee under inner_transaction.
func feeBumpFields(t *hProtocol.Transaction, r *txRecord, b *feeBump) {
	t.FeeAccount, t.FeeAccountMuxed, t.FeeAccountMuxedID = b.source, "", 0
	if b.sourceXDR.Type == xdr.CryptoKeyTypeKeyTypeMuxedEd25519 {
		t.FeeAccountMuxed = b.sourceXDR.Address()
		t.FeeAccountMuxedID = uint64(b.sourceXDR.Med25519.Id)
	}
	t.MaxFee = b.fee
	t.Signatures = signatures(b.sigs)
	t.FeeBumpTransaction = &hProtocol.FeeBumpTransaction{Hash: r.hash, Signatures: t.Signatures}
	t.InnerTransaction = &hProtocol.InnerTransaction{
		Hash: hex.EncodeToString(r.frame.hash[:]), Signatures: signatures(r.frame.sigs), MaxFee: int64(r.frame.tx.Fee),
	}
}

func signatures(sigs []xdr.DecoratedSignature) []string {
	out := []string{}
	for _, sig := range sigs {
		out = append(out, base64.StdEncoding.EncodeToString(sig.Signature))
	}
	return out
}

func maxTime(t xdr.TimePoint) string {
	if t == 0 {
		return ""
	}
	return strconv.FormatUint(uint64(t), 10)
}

func (s *Sim) ledgerResource(h ledgerHeader) hProtocol.Ledger {
	var l hProtocol.Ledger
	self := fmt.Sprintf("%s/ledgers/%d", s.url, h.seq)
	l.Links.Self = hal.NewLink(self)
	l.Links.Transactions = hal.NewLink(self + "/transactions{?cursor,limit,order}")
	l.Links.Operations = hal.NewLink(self + "/operations{?cursor,limit,order}")
	l.Links.Payments = hal.NewLink(self + "/payments{?cursor,limit,order}")
	l.Links.Effects = hal.NewLink(self + "/effects{?cursor,limit,order}")
	l.Hash = hex.EncodeToString(h.hash[:])
	l.ID = l.Hash
	l.PT = toid.New(int32(h.seq), 0, 0).String()
	if h.seq > 1 {
		l.PrevHash = hex.EncodeToString(h.prevHash[:])
	}
	l.Sequence = int32(h.seq)
	l.SuccessfulTransactionCount = h.succeeded
	failed, txSetOps := h.failed, h.txSetOps
	l.FailedTransactionCount, l.TxSetOperationCount = &failed, &txSetOps
	l.OperationCount = h.ops
	l.ClosedAt = h.closeTime
	l.TotalCoins = amount.StringFromInt64(totalCoins)
	l.FeePool = amount.StringFromInt64(h.feePool)
	l.BaseFee, l.BaseReserve = int32(s.cfg.BaseFee), int32(s.cfg.BaseReserve)
	l.MaxTxSetSize = 1000
	l.ProtocolVersion = protocolVersion
	return l
}

func (s *Sim) rootResource() hProtocol.Root {
	var r hProtocol.Root
	link := func(path string) hal.Link { return hal.NewLink(s.url + path) }
	ptr := func(l hal.Link) *hal.Link { return &l }
	r.Links.Self = link("/")
	r.Links.Account = link("/accounts/{account_id}")
	r.Links.AccountTransactions = link("/accounts/{account_id}/transactions{?cursor,limit,order}")
	r.Links.Friendbot = ptr(link("/friendbot{?addr}"))
	r.Links.Ledger = link("/ledgers/{sequence}")
	r.Links.Ledgers = link("/ledgers{?cursor,limit,order}")
	r.Links.Transaction = link("/transactions/{hash}")
	r.Links.Transactions = link("/transactions{?cursor,limit,order}")
	latest := s.ledgers[len(s.ledgers)-1]
	r.HorizonVersion = "stellarsim"
	r.StellarCoreVersion = "stellarsim (simulated stellar-core rules, protocol " + strconv.Itoa(protocolVersion) + ")"
	r.IngestSequence = latest.seq
	r.HorizonSequence, r.CoreSequence = int32(latest.seq), int32(latest.seq)
	r.HorizonLatestClosedAt = latest.closeTime
	r.HistoryElderSequence = 1
	r.NetworkPassphrase = s.cfg.Passphrase
	r.CurrentProtocolVersion, r.CoreSupportedProtocolVersion = protocolVersion, protocolVersion
	r.SupportedProtocolVersion = protocolVersion
	return r
}
