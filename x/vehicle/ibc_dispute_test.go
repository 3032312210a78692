package vehicle_test

import (
	"bytes"
	"errors"
	"testing"

	"cosmossdk.io/collections"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	"github.com/vinhub/vinhub/x/vehicle/keeper"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// TestInflatedReadingDisputedAcrossPlatforms is the inflated-reading attack
// over IBC on the real hub app: dealer bayside (on the hub) records 999,999 km
// on a car dealer acme (on its dealer chain) has read at 50,000 km. acme's
// next reading arrives over IBC, is FLAGGED as before (ack unchanged) but
// opens a dispute, and acme's hub account loses no credit. Only an examiner
// of x/membership may resolve it; the verdict penalises bayside's account
// through x/credit and corrects the summary.
func TestInflatedReadingDisputedAcrossPlatforms(t *testing.T) {
	forEachVersion(t, func(t *testing.T, l *link) {
		honest := sdk.AccAddress(bytes.Repeat([]byte{0xd2}, 20))
		attacker := sdk.AccAddress(bytes.Repeat([]byte{0xd3}, 20))
		hubSender := l.hub.SenderAccount.GetAddress()
		l.bind()
		l.govMsg(l.hub, &types.MsgRegisterDealer{DealerId: dealerID, Name: "Acme Motors", Account: honest.String()})
		l.govMsg(l.hub, &types.MsgRegisterDealer{DealerId: "bayside", Name: "Bayside Auto", Account: attacker.String()})
		l.govMsg(l.hub, &types.MsgAdmitReporter{DealerId: "bayside", Reporter: hubSender.String()})

		l.relay(l.record(mileage(vinA, 50_000, 30))) // hub record 1
		_, err := l.hub.SendMsgs(&types.MsgRecordEvents{Reporter: hubSender.String(), DealerId: "bayside", Records: []types.RecordInput{mileage(vinA, 999_999, 20)}})
		require.NoError(t, err)                                                           // hub record 2, implausible against record 1: dispute 2
		res := l.relay(l.record(mileage(vinA, 50_400, 10))).GetRecordBatch().GetResults() // hub record 3: dispute 3

		require.Equal(t, types.RECORD_OUTCOME_FLAGGED, res[0].Outcome)
		require.Equal(t, types.FLAG_CODE_ODOMETER_ROLLBACK, res[0].Flags[0].Code)
		require.Equal(t, "bayside", res[0].Flags[0].ConflictingDealerId)
		st := l.syncState(2)
		require.Equal(t, types.SYNC_STATUS_FLAGGED, st.Status)
		require.Equal(t, res[0].Flags, st.Flags)
		require.False(t, hasProfile(t, l, honest), "the honest dealer's account is not penalised")

		queries := keeper.NewQueryServerImpl(l.hubApp.VehicleKeeper)
		open, err := queries.OpenDisputes(l.hub.GetContext(), &types.QueryOpenDisputesRequest{})
		require.NoError(t, err)
		require.Len(t, open.Disputes, 2)

		examiner := l.hub.SenderAccounts[1]
		resolve := &types.MsgResolveDispute{Resolver: examiner.SenderAccount.GetAddress().String(), DisputeId: 3, WrongRecordId: 2, Reason: "service invoices show 50,000 km"}
		failed, err := l.hub.SendMsgsWithSender(examiner, resolve)
		require.Error(t, err, "no examiner role yet")
		require.Equal(t, types.ModuleName, failed.Codespace)
		require.Equal(t, types.ErrUnauthorizedResolver.ABCICode(), failed.Code)

		// bayside's own reporter, even as an examiner, cannot judge its dealer's dispute.
		require.NoError(t, l.hubApp.MembershipKeeper.GrantRole(l.hub.GetContext(), hubSender, membershiptypes.ROLE_EXAMINER, "odometer disputes"))
		l.hub.NextBlock()
		failed, err = l.hub.SendMsgs(&types.MsgResolveDispute{Resolver: hubSender.String(), DisputeId: 3, WrongRecordId: 3, Reason: "mine"})
		require.Error(t, err, "an examiner who reports for a disputed dealer")
		require.Equal(t, types.ErrUnauthorizedResolver.ABCICode(), failed.Code)

		require.NoError(t, l.hubApp.MembershipKeeper.GrantRole(l.hub.GetContext(), examiner.SenderAccount.GetAddress(), membershiptypes.ROLE_EXAMINER, "odometer disputes"))
		l.hub.NextBlock()
		_, err = l.hub.SendMsgsWithSender(examiner, resolve)
		require.NoError(t, err)

		ctx := l.hub.GetContext()
		profile, err := l.hubApp.CreditKeeper.Profiles.Get(ctx, attacker)
		require.NoError(t, err)
		require.Equal(t, uint64(1), profile.FraudCount)
		require.False(t, hasProfile(t, l, honest))
		summary, err := queries.Summary(ctx, &types.QuerySummaryRequest{Vin: vinA})
		require.NoError(t, err)
		require.Equal(t, uint64(50_400), summary.Summary.MaxOdometerKm)
		require.Len(t, l.hubHistory(vinA), 3, "no record is deleted")
		open, err = queries.OpenDisputes(ctx, &types.QueryOpenDisputesRequest{})
		require.NoError(t, err)
		require.Empty(t, open.Disputes)
		require.Equal(t, types.SYNC_STATUS_FLAGGED, l.syncState(2).Status, "the dealer chain's ack is settled once")
	})
}

func hasProfile(t *testing.T, l *link, addr sdk.AccAddress) bool {
	t.Helper()
	_, err := l.hubApp.CreditKeeper.Profiles.Get(l.hub.GetContext(), addr)
	if errors.Is(err, collections.ErrNotFound) {
		return false
	}
	require.NoError(t, err)
	return true
}
