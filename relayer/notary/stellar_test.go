package notary_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"

	"github.com/stellar/go-stellar-sdk/clients/horizonclient"
	"github.com/stellar/go-stellar-sdk/keypair"
	hProtocol "github.com/stellar/go-stellar-sdk/protocols/horizon"
	"github.com/stellar/go-stellar-sdk/strkey"
	"github.com/stellar/go-stellar-sdk/txnbuild"
	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/relayer/notary"
	"github.com/vinhub/vinhub/testnet/stellarsim"
	"github.com/vinhub/vinhub/x/notary/types"
)

// stellarNet is a simulated Stellar network closing a ledger every 20ms,
// as adapters/stellar's tests run it.
type stellarNet struct {
	sim *stellarsim.Sim
	hc  *horizonclient.Client
	ctx context.Context
}

func startStellar(t *testing.T) *stellarNet {
	t.Helper()
	clock := stellarsim.NewManualClock(time.Unix(1_800_000_000, 0))
	sim, err := stellarsim.New(stellarsim.Config{CloseInterval: 20 * time.Millisecond, Now: clock.Now})
	require.NoError(t, err)
	url, err := sim.Start("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = sim.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return &stellarNet{sim: sim, hc: &horizonclient.Client{HorizonURL: url}, ctx: ctx}
}

// account is a fresh account funded by friendbot.
func (n *stellarNet) account(t *testing.T) *keypair.Full {
	t.Helper()
	kp := keypair.MustRandom()
	_, err := n.sim.Fund(n.ctx, kp.Address())
	require.NoError(t, err)
	return kp
}

// submit builds a transaction of source with ops and memo, signs it with
// signers (hashX preimages after them) and returns it as Horizon lists it.
func (n *stellarNet) submit(t *testing.T, source string, memo txnbuild.Memo, ops []txnbuild.Operation, signers []*keypair.Full, preimages ...[]byte) hProtocol.Transaction {
	t.Helper()
	acc, err := n.hc.AccountDetail(horizonclient.AccountRequest{AccountID: source})
	require.NoError(t, err)
	tx, err := txnbuild.NewTransaction(txnbuild.TransactionParams{SourceAccount: &acc, IncrementSequenceNum: true,
		Operations: ops, BaseFee: txnbuild.MinBaseFee, Memo: memo,
		Preconditions: txnbuild.Preconditions{TimeBounds: txnbuild.NewInfiniteTimeout()}})
	require.NoError(t, err)
	tx, err = tx.Sign(n.sim.Passphrase(), signers...)
	require.NoError(t, err)
	for _, p := range preimages {
		tx, err = tx.SignHashX(p)
		require.NoError(t, err)
	}
	res, err := n.hc.SubmitTransaction(tx)
	require.NoError(t, err)
	got, err := n.hc.TransactionDetail(res.Hash)
	require.NoError(t, err)
	return got
}

func pay(to string, stroops string) *txnbuild.Payment {
	return &txnbuild.Payment{Destination: to, Amount: stroops, Asset: txnbuild.NativeAsset{}}
}

// TestStellarSourceReadsPaymentsToTheAccount: a payment with memo loan:7
// to the watched account is exactly the canonical observation, read the
// same twice; payments to other accounts are not events; a transaction
// without a text memo gives memo ""; reading resumes inside a transaction
// left half-handled and after one handled whole.
func TestStellarSourceReadsPaymentsToTheAccount(t *testing.T) {
	n := startStellar(t)
	lender, payer, other := n.account(t), n.account(t), n.account(t)
	src, err := notary.NewStellarSource(n.hc.HorizonURL, n.sim.Passphrase(), lender.Address())
	require.NoError(t, err)
	// Friendbot's create_account is not a payment: nothing to attest yet.
	events, through, err := src.Read(n.ctx, 0)
	require.NoError(t, err)
	require.Empty(t, events)
	require.Positive(t, through)

	repay := n.submit(t, payer.Address(), txnbuild.MemoText("loan:7"), []txnbuild.Operation{pay(lender.Address(), "2.5")}, []*keypair.Full{payer})
	n.submit(t, payer.Address(), txnbuild.MemoText("loan:7"), []txnbuild.Operation{pay(other.Address(), "1")}, []*keypair.Full{payer})
	mixed := n.submit(t, payer.Address(), nil, []txnbuild.Operation{pay(other.Address(), "1"), pay(lender.Address(), "0.0000003"),
		pay(lender.Address(), "4")}, []*keypair.Full{payer})

	events, _, err = src.Read(n.ctx, 0)
	require.NoError(t, err)
	require.Len(t, events, 3)
	network := sha256.Sum256([]byte(n.sim.Passphrase()))
	want := types.Observation{Platform: types.PLATFORM_STELLAR, NetworkId: hex.EncodeToString(network[:]), TxRef: repay.Hash,
		Height: uint64(repay.Ledger), Index: 0, Time: repay.LedgerCloseTime.UTC(),
		Payload: &types.Observation_Payment{Payment: &types.Payment{Asset: "native", Amount: mustInt(t, "25000000"),
			From: payer.Address(), To: lender.Address(), Memo: "loan:7"}}}
	require.NoError(t, events[0].Err)
	require.Equal(t, want, events[0].Observation)
	require.Equal(t, want.NetworkId, src.NetworkID())
	ledger, err := n.hc.LedgerDetail(uint32(repay.Ledger))
	require.NoError(t, err)
	require.True(t, ledger.ClosedAt.Equal(events[0].Observation.Time), "time is the ledger's close time")

	// The payment to another account is not an event; in the mixed
	// transaction only operations 1 and 2 pay the lender, without a memo.
	for i, e := range events[1:] {
		require.NoError(t, e.Err)
		require.Equal(t, mixed.Hash, e.Observation.TxRef)
		require.EqualValues(t, i+1, e.Observation.Index)
		require.Equal(t, "", e.Observation.GetPayment().Memo)
	}
	require.Equal(t, "3", events[1].Observation.GetPayment().Amount.String())

	again, through, err := src.Read(n.ctx, 0)
	require.NoError(t, err)
	a, err := again[0].Observation.Hash()
	require.NoError(t, err)
	b, err := want.Hash()
	require.NoError(t, err)
	require.Equal(t, b, a, "two reads, one digest")

	// Stopped after operation 1 of the mixed transaction: operation 2 is
	// read again, nothing before it. After the whole of it: nothing.
	rest, _, err := src.Read(n.ctx, events[1].Seq)
	require.NoError(t, err)
	require.Len(t, rest, 1)
	require.Equal(t, events[2], rest[0])
	rest, _, err = src.Read(n.ctx, through)
	require.NoError(t, err)
	require.Empty(t, rest)
}

// TestStellarSourceReadsHTLCClaims: an escrow locked by a hashX signer and
// merged into the watched account with the preimage as its signature is
// an HtlcSpend carrying the lock, the secret and the escrow.
func TestStellarSourceReadsHTLCClaims(t *testing.T) {
	n := startStellar(t)
	recipient, sender := n.account(t), n.account(t)
	escrow := keypair.MustRandom()
	secret := sha256.Sum256([]byte("the swap's secret"))
	lock := sha256.Sum256(secret[:])
	hashX, err := strkey.Encode(strkey.VersionByteHashX, lock[:])
	require.NoError(t, err)
	n.submit(t, sender.Address(), nil, []txnbuild.Operation{&txnbuild.CreateAccount{Destination: escrow.Address(), Amount: "10"}}, []*keypair.Full{sender})
	n.submit(t, escrow.Address(), nil, []txnbuild.Operation{&txnbuild.SetOptions{Signer: &txnbuild.Signer{Address: hashX, Weight: 1}}}, []*keypair.Full{escrow})
	claim := n.submit(t, escrow.Address(), nil, []txnbuild.Operation{&txnbuild.AccountMerge{Destination: recipient.Address()}}, nil, secret[:])

	src, err := notary.NewStellarSource(n.hc.HorizonURL, n.sim.Passphrase(), recipient.Address())
	require.NoError(t, err)
	events, _, err := src.Read(n.ctx, 0)
	require.NoError(t, err)
	require.Len(t, events, 1)
	require.NoError(t, events[0].Err)
	obs := events[0].Observation
	require.Equal(t, claim.Hash, obs.TxRef)
	require.EqualValues(t, 0, obs.Index)
	require.Equal(t, &types.HtlcSpend{HashLock: hex.EncodeToString(lock[:]), Secret: hex.EncodeToString(secret[:]), Contract: escrow.Address()},
		obs.GetHtlcSpend())

	// The sender's account sees the escrow's creation, not a claim.
	senderSrc, err := notary.NewStellarSource(n.hc.HorizonURL, n.sim.Passphrase(), sender.Address())
	require.NoError(t, err)
	events, _, err = senderSrc.Read(n.ctx, 0)
	require.NoError(t, err)
	require.Empty(t, events)
}

func TestStellarConfigValidate(t *testing.T) {
	account := keypair.MustRandom().Address()
	hub := func(string) error { return nil }
	base := notary.DefaultConfig()
	base.Hub, base.Key = "hub", "op"
	for _, tc := range []struct {
		name string
		sc   notary.StellarConfig
		err  string
	}{
		{"valid", notary.StellarConfig{Horizon: "http://127.0.0.1:8000", Passphrase: "p", Accounts: []string{account}}, ""},
		{"no URL", notary.StellarConfig{Horizon: "127.0.0.1:8000", Passphrase: "p", Accounts: []string{account}}, "http(s) URL"},
		{"no passphrase", notary.StellarConfig{Horizon: "http://h", Accounts: []string{account}}, "passphrase"},
		{"no accounts", notary.StellarConfig{Horizon: "http://h", Passphrase: "p"}, "at least one account"},
		{"bad account", notary.StellarConfig{Horizon: "http://h", Passphrase: "p", Accounts: []string{"GABC"}}, "GABC"},
		{"twice", notary.StellarConfig{Horizon: "http://h", Passphrase: "p", Accounts: []string{account, account}}, "twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base
			cfg.Stellar = []notary.StellarConfig{tc.sc}
			err := cfg.Validate(hub)
			if tc.err == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.err)
		})
	}
}

func mustInt(t *testing.T, s string) sdkmath.Int {
	t.Helper()
	v, ok := sdkmath.NewIntFromString(s)
	require.True(t, ok)
	return v
}
