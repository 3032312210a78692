package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	"github.com/vinhub/vinhub/x/notary/types"
)

// bitcoinPayment is a payment of sats in output vout of a Bitcoin
// transaction tx to the lender's address, naming a loan in its OP_RETURN.
func bitcoinPayment(tx string, vout uint32, sats int64, loanID uint64) types.Observation {
	return types.Observation{Platform: types.PLATFORM_BITCOIN, NetworkId: bitcoinNet, TxRef: tx, Height: 812, Index: vout,
		Time: start.Add(-10 * time.Minute),
		Payload: &types.Observation_Payment{Payment: &types.Payment{Asset: "btc", Amount: sdkmath.NewInt(sats),
			To: "sb1qlender", Memo: types.LoanMemo(loanID)}}}
}

// A Bitcoin transaction's payment (index = vout) and an HTLC claim by its
// input 0 (index = 2^31 + vin) are two source events: both execute, no
// equivocation; the payment, once executed, is never counted again.
func TestBitcoinOutputAndInputOfOneTransaction(t *testing.T) {
	f := setup(t)
	tx := txHash("bitcoin tx")
	pay := bitcoinPayment(tx, 0, 150_000, 7)
	claim := bitcoinPayment(tx, 0, 1, 1)
	claim.Index = types.BitcoinInputIndex(0)
	claim.Payload = &types.Observation_HtlcSpend{HtlcSpend: &types.HtlcSpend{HashLock: txHash("lock"), Contract: txHash("fund") + ":0"}}
	require.NotEqual(t, pay.SourceKey(), claim.SourceKey())

	require.Equal(t, types.ATTESTATION_STATUS_EXECUTED, f.finalStatus(t, pay))
	require.Equal(t, types.ATTESTATION_STATUS_EXECUTED, f.finalStatus(t, claim), "a refund is recorded; not held as a conflict")
	require.Len(t, f.loans.calls, 1)
	require.Equal(t, types.ForeignPayment{LoanID: 7, Platform: types.PLATFORM_BITCOIN, NetworkID: bitcoinNet, Asset: "btc",
		Amount: sdkmath.NewInt(150_000), To: "sb1qlender", AttestationID: f.idOf(pay)}, f.loans.calls[0])

	// The same txid and output seen again (another block after a
	// reorganisation, a restarted notary): decided, refused, not counted.
	before := f.snapshot(t)
	_, err := f.attest(3, pay, 1)
	require.ErrorIs(t, err, types.ErrAlreadyFinal)
	require.Equal(t, before, f.snapshot(t))
	moved := pay
	moved.Height++
	_, err = f.attest(0, moved, 1)
	require.NoError(t, err, "a different observation of the event is kept as evidence")
	require.Equal(t, types.ATTESTATION_STATUS_HELD, f.attestation(t, f.idOf(moved)).Status)
	require.Len(t, f.loans.calls, 1, "and never executed")

	// A Bitcoin payment in an asset the source does not list is refused.
	other := bitcoinPayment(txHash("bitcoin tx 2"), 0, 1_000, 7)
	other.GetPayment().Asset = "BTC"
	_, err = f.attest(0, other, 1)
	require.ErrorIs(t, err, types.ErrUnknownAsset)
}
