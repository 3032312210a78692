package keeper_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	"github.com/vinhub/vinhub/x/notary/types"
)

// The Stellar source's limit is 1,000,000,000 stroops (100 XLM) a day.
func TestGovernorDelaysThenReleases(t *testing.T) {
	f := setup(t)
	first := payment(txHash("pay-1"), 600_000_000, 7)
	second := payment(txHash("pay-2"), 600_000_000, 8)

	require.Equal(t, types.ATTESTATION_STATUS_EXECUTED, f.finalStatus(t, first))
	require.Len(t, f.loans.calls, 1)
	require.Equal(t, types.ForeignPayment{LoanID: 7, Platform: types.PLATFORM_STELLAR, NetworkID: stellarNet, Asset: "native",
		Amount: sdkmath.NewInt(600_000_000), From: "GBORROWER", To: "GLENDER", AttestationID: f.idOf(first)}, f.loans.calls[0])

	// Over the remaining room: final, kept, delayed — never dropped.
	require.Equal(t, types.ATTESTATION_STATUS_DELAYED, f.finalStatus(t, second))
	require.Len(t, f.loans.calls, 1)
	delayed, err := f.queries.Attestations(f.ctx, &types.QueryAttestationsRequest{Status: types.ATTESTATION_STATUS_DELAYED})
	require.NoError(t, err)
	require.Len(t, delayed.Attestations, 1)
	src, err := f.queries.Sources(f.ctx, &types.QuerySourcesRequest{})
	require.NoError(t, err)
	for _, s := range src.Sources {
		if s.Source.Platform == types.PLATFORM_STELLAR {
			require.Equal(t, sdkmath.NewInt(600_000_000), s.Used[0].Limit)
		}
	}

	// Blocks inside the window do not release it.
	f.next(23 * time.Hour)
	require.NoError(t, f.k.EndBlock(f.ctx))
	require.Len(t, f.loans.calls, 1)

	// Once the first payment leaves the window, the end block executes it.
	f.next(time.Hour)
	require.NoError(t, f.k.EndBlock(f.ctx))
	require.Len(t, f.loans.calls, 2)
	require.Equal(t, types.ATTESTATION_STATUS_EXECUTED, f.attestation(t, f.idOf(second)).Status)
	require.EqualValues(t, 8, f.loans.calls[1].LoanID)
	require.NoError(t, f.k.EndBlock(f.ctx))
	require.Len(t, f.loans.calls, 2, "released exactly once")
}

func TestGovernanceReleasesADelayedPayment(t *testing.T) {
	f := setup(t)
	big := payment(txHash("big"), 2_000_000_000, 9)
	require.Equal(t, types.ATTESTATION_STATUS_DELAYED, f.finalStatus(t, big))
	id := f.idOf(big)

	_, err := f.msgs.ReleaseDelayed(f.ctx, &types.MsgReleaseDelayed{Authority: stranger.String(), Id: id})
	require.ErrorIs(t, err, types.ErrInvalidAuthority)
	res, err := f.msgs.ReleaseDelayed(f.ctx, &types.MsgReleaseDelayed{Authority: authority, Id: id})
	require.NoError(t, err)
	require.Equal(t, types.ATTESTATION_STATUS_EXECUTED, res.Status)
	require.Len(t, f.loans.calls, 1)

	_, err = f.msgs.ReleaseDelayed(f.ctx, &types.MsgReleaseDelayed{Authority: authority, Id: id})
	require.ErrorIs(t, err, types.ErrNotDelayed)
	require.NoError(t, f.k.EndBlock(f.ctx))
	require.Len(t, f.loans.calls, 1)
}

func TestFailedExecutionIsKeptAndNeverRetried(t *testing.T) {
	f := setup(t)
	f.loans.fail = errors.New("loan 7 is already repaid")
	obs := payment(txHash("late"), 1_000, 7)
	require.Equal(t, types.ATTESTATION_STATUS_FAILED, f.finalStatus(t, obs))
	att := f.attestation(t, f.idOf(obs))
	require.Contains(t, att.Result, "already repaid")
	f.loans.fail = nil
	_, err := f.attest(3, obs, 1)
	require.ErrorIs(t, err, types.ErrAlreadyFinal)
	require.NoError(t, f.k.EndBlock(f.ctx))
	require.Empty(t, f.loans.calls)
	// A failed payment does not use governor room.
	require.Equal(t, types.ATTESTATION_STATUS_EXECUTED, f.finalStatus(t, payment(txHash("next"), 1_000_000_000, 8)))
}

func TestPaymentWithoutALoanMemoFails(t *testing.T) {
	f := setup(t)
	obs := payment(txHash("gift"), 1_000, 7)
	obs.GetPayment().Memo = "thanks"
	require.Equal(t, types.ATTESTATION_STATUS_FAILED, f.finalStatus(t, obs))
	require.Empty(t, f.loans.calls)
}

func TestHtlcRefundIsRecorded(t *testing.T) {
	f := setup(t)
	refund := payment(txHash("refund"), 1, 1)
	refund.Payload = &types.Observation_HtlcSpend{HtlcSpend: &types.HtlcSpend{HashLock: txHash("lock"), Contract: "GESCROW"}}
	require.Equal(t, types.ATTESTATION_STATUS_EXECUTED, f.finalStatus(t, refund))
}

// finalStatus has notaries 0-2 sign obs under set 1 and returns the status.
func (f *fixture) finalStatus(t *testing.T, obs types.Observation) types.AttestationStatus {
	t.Helper()
	var res *types.MsgAttestResponse
	for i := 0; i < 3; i++ {
		res = f.mustAttest(t, i, obs, 1)
	}
	return res.Status
}

func (f *fixture) idOf(obs types.Observation) string {
	d, err := types.Digest(obs, 1)
	if err != nil {
		panic(err)
	}
	return types.AttestationID(d)
}
