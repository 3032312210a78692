package stellarsim

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stellar/go-stellar-sdk/amount"
	"github.com/stellar/go-stellar-sdk/clients/horizonclient"
	"github.com/stellar/go-stellar-sdk/keypair"
	hProtocol "github.com/stellar/go-stellar-sdk/protocols/horizon"
	"github.com/stellar/go-stellar-sdk/txnbuild"
	"github.com/stellar/go-stellar-sdk/xdr"
)

// testNet is a running simulator and a horizonclient talking to it over
// 127.0.0.1.
type testNet struct {
	sim   *Sim
	hc    *horizonclient.Client
	clock *ManualClock
	ctx   context.Context
}

func startNet(t *testing.T) *testNet {
	t.Helper()
	clock := NewManualClock(time.Unix(1_800_000_000, 0))
	sim, err := New(Config{CloseInterval: 20 * time.Millisecond, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	url, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	hc := &horizonclient.Client{HorizonURL: url, HTTP: &http.Client{Timeout: 10 * time.Second}}
	return &testNet{sim: sim, hc: hc, clock: clock, ctx: ctx}
}

// funded is a new account holding friendbot's 10,000 XLM.
func (n *testNet) funded(t *testing.T) *keypair.Full {
	t.Helper()
	kp := keypair.MustRandom()
	if _, err := n.sim.Fund(n.ctx, kp.Address()); err != nil {
		t.Fatalf("fund %s: %v", kp.Address(), err)
	}
	return kp
}

func (n *testNet) account(t *testing.T, id string) hProtocol.Account {
	t.Helper()
	a, err := n.hc.AccountDetail(horizonclient.AccountRequest{AccountID: id})
	if err != nil {
		t.Fatalf("account %s: %v", id, err)
	}
	return a
}

func (n *testNet) balance(t *testing.T, id string) int64 {
	t.Helper()
	b, err := n.account(t, id).GetNativeBalance()
	if err != nil {
		t.Fatal(err)
	}
	return xlm(b)
}

// txOpts are the knobs the rule tests turn on a transaction.
type txOpts struct {
	seqDelta int64 // added to the next sequence number
	baseFee  int64
	bounds   *txnbuild.TimeBounds
}

// build makes a transaction from src's current sequence number.
func (n *testNet) build(t *testing.T, src string, o txOpts, ops ...txnbuild.Operation) *txnbuild.Transaction {
	t.Helper()
	seq := int64(0)
	if a, err := n.hc.AccountDetail(horizonclient.AccountRequest{AccountID: src}); err == nil {
		seq = a.Sequence
	}
	fee := o.baseFee
	if fee == 0 {
		fee = txnbuild.MinBaseFee
	}
	bounds := txnbuild.NewInfiniteTimeout()
	if o.bounds != nil {
		bounds = *o.bounds
	}
	tx, err := txnbuild.NewTransaction(txnbuild.TransactionParams{
		SourceAccount: &txnbuild.SimpleAccount{AccountID: src, Sequence: seq + 1 + o.seqDelta},
		Operations:    ops, BaseFee: fee, Preconditions: txnbuild.Preconditions{TimeBounds: bounds},
	})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return tx
}

func (n *testNet) sign(t *testing.T, tx *txnbuild.Transaction, kps ...*keypair.Full) *txnbuild.Transaction {
	t.Helper()
	tx, err := tx.Sign(n.sim.Passphrase(), kps...)
	if err != nil {
		t.Fatal(err)
	}
	return tx
}

// submit sends the transaction through horizonclient and returns the
// Horizon result codes it got back: "tx_success" when it applied.
func (n *testNet) submit(t *testing.T, tx *txnbuild.Transaction) (hProtocol.Transaction, []string) {
	t.Helper()
	env, err := tx.Base64()
	if err != nil {
		t.Fatal(err)
	}
	return n.submitXDR(t, env)
}

// submitXDR is submit for an envelope. The codes are the transaction's
// (read from result_xdr when it applied), a fee bump's inner
// transaction's, then the operations'.
func (n *testNet) submitXDR(t *testing.T, envelope string) (hProtocol.Transaction, []string) {
	t.Helper()
	got, err := n.hc.SubmitTransactionXDR(envelope)
	if err == nil {
		var res xdr.TransactionResult
		if err := xdr.SafeUnmarshalBase64(got.ResultXdr, &res); err != nil {
			t.Fatal(err)
		}
		return got, []string{txCodes[res.Result.Code]}
	}
	herr := horizonclient.GetError(err)
	if herr == nil {
		t.Fatalf("submit: %v", err)
	}
	rc, rerr := herr.ResultCodes()
	if rerr != nil {
		t.Fatalf("submit: %v (%s: %s)", err, herr.Problem.Title, herr.Problem.Detail)
	}
	codes := []string{rc.TransactionCode}
	if rc.InnerTransactionCode != "" {
		codes = append(codes, rc.InnerTransactionCode)
	}
	return got, append(codes, rc.OperationCodes...)
}

// xlm is lumens in stroops.
func xlm(lumens string) int64 {
	v, err := amount.ParseInt64(lumens)
	if err != nil {
		panic(err)
	}
	return v
}
