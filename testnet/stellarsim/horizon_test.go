package stellarsim

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stellar/go-stellar-sdk/clients/horizonclient"
	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/txnbuild"
	"github.com/stellar/go-stellar-sdk/xdr"
)

// TestAccountMerge: a merge moves the whole balance, needs the high
// threshold, is not blocked by signers, and leaves the account's history
// readable after the account is gone.
func TestAccountMerge(t *testing.T) {
	n := startNet(t)
	a, b, c := n.funded(t), n.funded(t), n.funded(t)
	_, got := n.submit(t, n.sign(t, n.build(t, a.Address(), txOpts{}, &txnbuild.AccountMerge{Destination: keypair.MustRandom().Address()}), a))
	wantCodes(t, "merge into nobody", got, "tx_failed", "op_no_account")
	_, got = n.submit(t, n.sign(t, n.build(t, a.Address(), txOpts{}, &txnbuild.SetOptions{
		HighThreshold: threshold(2), Signer: &txnbuild.Signer{Address: c.Address(), Weight: 1},
	}), a))
	wantCodes(t, "add a signer", got, "tx_success")
	_, got = n.submit(t, n.sign(t, n.build(t, a.Address(), txOpts{}, &txnbuild.AccountMerge{Destination: b.Address()}), a))
	wantCodes(t, "merge under the high threshold", got, "tx_failed", "op_bad_auth")

	aBal, bBal := n.balance(t, a.Address()), n.balance(t, b.Address())
	merge, got := n.submit(t, n.sign(t, n.build(t, a.Address(), txOpts{}, &txnbuild.AccountMerge{Destination: b.Address()}), a, c))
	wantCodes(t, "merge", got, "tx_success")
	if gain := n.balance(t, b.Address()) - bBal; gain != aBal-100 {
		t.Fatalf("b gained %d, want a's balance less the fee, %d", gain, aBal-100)
	}
	var res xdr.TransactionResult
	if err := xdr.SafeUnmarshalBase64(merge.ResultXdr, &res); err != nil {
		t.Fatal(err)
	}
	if moved := (*res.Result.Results)[0].Tr.AccountMergeResult.SourceAccountBalance; moved == nil || int64(*moved) != aBal-100 {
		t.Fatalf("merge result moved %v", moved)
	}
	if _, err := n.hc.AccountDetail(horizonclient.AccountRequest{AccountID: a.Address()}); !horizonclient.IsNotFoundError(err) {
		t.Fatalf("merged account: %v, want Horizon's not_found", err)
	}
	page, err := n.hc.Transactions(horizonclient.TransactionRequest{ForAccount: a.Address(), Order: horizonclient.OrderDesc, Limit: 1})
	if err != nil || len(page.Embedded.Records) != 1 || page.Embedded.Records[0].Hash != merge.Hash {
		t.Fatalf("history after the merge: %v %+v", err, page.Embedded.Records)
	}
	all, err := n.hc.Transactions(horizonclient.TransactionRequest{ForAccount: a.Address(), IncludeFailed: true, Limit: 200})
	if err != nil || len(all.Embedded.Records) != 4 {
		t.Fatalf("all of a's transactions (friendbot, failed merge, signer, merge; the refused one is not in the ledger): %v, %d", err, len(all.Embedded.Records))
	}
	ok, _ := n.hc.Transactions(horizonclient.TransactionRequest{ForAccount: a.Address(), Limit: 200})
	if len(ok.Embedded.Records) != 3 {
		t.Fatalf("successful transactions of a: %d, want 3", len(ok.Embedded.Records))
	}
}

// TestPaging: cursor, order and limit over an account's transactions.
func TestPaging(t *testing.T) {
	n := startNet(t)
	a, b := n.funded(t), n.funded(t)
	for range 3 {
		n.submit(t, n.sign(t, n.build(t, a.Address(), txOpts{}, pay(b.Address(), "1")), a))
	}
	first, err := n.hc.Transactions(horizonclient.TransactionRequest{ForAccount: a.Address(), Limit: 2})
	if err != nil || len(first.Embedded.Records) != 2 {
		t.Fatalf("first page: %v %d", err, len(first.Embedded.Records))
	}
	next, err := n.hc.NextTransactionsPage(first)
	if err != nil || len(next.Embedded.Records) != 2 {
		t.Fatalf("next page: %v %d", err, len(next.Embedded.Records))
	}
	if first.Embedded.Records[1].PT >= next.Embedded.Records[0].PT {
		t.Fatal("pages overlap or go backwards")
	}
	desc, _ := n.hc.Transactions(horizonclient.TransactionRequest{ForAccount: a.Address(), Order: horizonclient.OrderDesc, Cursor: next.Embedded.Records[1].PT})
	if len(desc.Embedded.Records) != 3 || desc.Embedded.Records[0].Hash != next.Embedded.Records[0].Hash {
		t.Fatalf("descending from the last: %d records", len(desc.Embedded.Records))
	}
	tx, err := n.hc.TransactionDetail(desc.Embedded.Records[0].Hash)
	if err != nil || tx.EnvelopeXdr == "" || tx.ResultXdr == "" || tx.Ledger == 0 || !tx.Successful || tx.FeeCharged != 100 {
		t.Fatalf("transaction detail: %v %+v", err, tx)
	}
}

// TestEnvelopes: only v1 envelopes and fee bumps of them are applied;
// anything else is refused with Horizon's transaction_malformed problem
// saying why, and a transaction already in the ledger is answered from
// history.
func TestEnvelopes(t *testing.T) {
	n := startNet(t)
	a, b := n.funded(t), n.funded(t)
	inner := n.sign(t, n.build(t, a.Address(), txOpts{}, pay(b.Address(), "1")), a)
	twice, _ := inner.Base64()
	v0 := xdr.TransactionEnvelope{Type: xdr.EnvelopeTypeEnvelopeTypeTxV0, V0: &xdr.TransactionV0Envelope{Tx: xdr.TransactionV0{
		SourceAccountEd25519: *xdr.MustAddress(a.Address()).Ed25519, Fee: 100, SeqNum: 1,
		Operations: []xdr.Operation{{Body: xdr.OperationBody{Type: xdr.OperationTypeBumpSequence, BumpSequenceOp: &xdr.BumpSequenceOp{}}}},
	}}}
	v0XDR, err := xdr.MarshalBase64(v0)
	if err != nil {
		t.Fatal(err)
	}
	data := n.sign(t, n.build(t, a.Address(), txOpts{}, &txnbuild.ManageData{Name: "k", Value: []byte("v")}), a)
	for _, tc := range []struct{ name, envelope, want string }{
		{"v0 envelope", v0XDR, "v1 transaction envelopes"},
		{"fee bump of an operation not simulated", n.bump(t, data, b.Address(), 200, b), "inner transaction: operation 0 is OperationTypeManageData"},
		{"not XDR", "AAAA", "not a base64 XDR"},
	} {
		_, err := n.hc.SubmitTransactionXDR(tc.envelope)
		herr := horizonclient.GetError(err)
		if herr == nil || herr.Problem.Type != horizonErrors+"transaction_malformed" || !strings.Contains(herr.Problem.Detail, tc.want) {
			t.Fatalf("%s: %v, want transaction_malformed mentioning %q", tc.name, err, tc.want)
		}
	}
	first, err := n.hc.SubmitTransactionXDR(twice)
	if err != nil {
		t.Fatal(err)
	}
	again, err := n.hc.SubmitTransactionXDR(twice)
	if err != nil || again.Hash != first.Hash || again.Ledger != first.Ledger {
		t.Fatalf("resubmission: %v, ledger %d then %d", err, first.Ledger, again.Ledger)
	}
}

// TestHorizonEndpoints: root, ledgers, friendbot over HTTP, problems.
func TestHorizonEndpoints(t *testing.T) {
	n := startNet(t)
	root, err := n.hc.Root()
	if err != nil || root.NetworkPassphrase != DefaultPassphrase {
		t.Fatalf("root: %v %q", err, root.NetworkPassphrase)
	}
	kp := keypair.MustRandom()
	funded, err := n.hc.Fund(kp.Address())
	if err != nil || !funded.Successful {
		t.Fatalf("friendbot: %v", err)
	}
	acc := n.account(t, kp.Address())
	if bal, _ := acc.GetNativeBalance(); bal != "10000.0000000" || acc.Sequence != int64(funded.Ledger)<<32 {
		t.Fatalf("funded account: balance %s seq %d (ledger %d)", bal, acc.Sequence, funded.Ledger)
	}
	_, err = n.hc.Fund(kp.Address())
	if rc, _ := horizonclient.GetError(err).ResultCodes(); rc == nil || rc.OperationCodes[0] != "op_already_exists" {
		t.Fatalf("second friendbot: %v", err)
	}

	n.clock.Advance(90 * time.Second)
	n.submit(t, n.sign(t, n.build(t, kp.Address(), txOpts{}, &txnbuild.BumpSequence{BumpTo: 0}), kp))
	ledgers, err := n.hc.Ledgers(horizonclient.LedgerRequest{Order: horizonclient.OrderDesc, Limit: 1})
	if err != nil || len(ledgers.Embedded.Records) != 1 || !ledgers.Embedded.Records[0].ClosedAt.Equal(n.clock.Now()) {
		t.Fatalf("latest ledger: %v %+v, want closed at %s", err, ledgers.Embedded.Records, n.clock.Now())
	}
	if l := ledgers.Embedded.Records[0]; l.BaseFee != DefaultBaseFee || l.BaseReserve != DefaultBaseReserve {
		t.Fatalf("ledger fees: %+v", l)
	}

	for _, path := range []string{"/accounts/" + keypair.MustRandom().Address(), "/transactions/" + strings.Repeat("ab", 32), "/ledgers/999999", "/offers"} {
		resp, err := http.Get(n.sim.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Type") != "application/problem+json; charset=utf-8" {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	resp, err := http.PostForm(n.sim.URL()+"/transactions", url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("submit without tx: %d", resp.StatusCode)
	}
	var txErr *TxError
	if _, err := n.sim.Fund(n.ctx, kp.Address()); !errors.As(err, &txErr) || txErr.Codes.OperationCodes[0] != "op_already_exists" {
		t.Fatalf("Fund of an existing account: %v", err)
	}
}
