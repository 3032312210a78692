package keeper_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/collections"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

var (
	honestAccount   = sdk.AccAddress(bytes.Repeat([]byte{0xd2}, 20))
	attackerAccount = sdk.AccAddress(bytes.Repeat([]byte{0xd3}, 20))
	examiner        = sdk.AccAddress(bytes.Repeat([]byte{0xe1}, 20))
)

// examiners is x/membership as the keeper sees it: the listed accounts hold
// ROLE_EXAMINER and nothing else.
type examiners map[string]bool

func (e examiners) HasRole(_ context.Context, addr sdk.AccAddress, role membershiptypes.Role) (bool, error) {
	return role == membershiptypes.ROLE_EXAMINER && e[addr.String()], nil
}

// disputeFixture is setup with both dealers holding hub accounts (A honest,
// B the attacker), recording credit hooks and one examiner.
func disputeFixture(t *testing.T) (fixture, *recordingHooks) {
	t.Helper()
	f := setup(t)
	f.setAccount(t, dealerA, honestAccount)
	f.setAccount(t, dealerB, attackerAccount)
	hooks := &recordingHooks{k: f.k}
	f.k.SetCreditHooks(hooks)
	f.k.SetRoleChecker(examiners{examiner.String(): true})
	return f, hooks
}

// setAccount registers dealer id again with a hub account (its reporters stay).
func (f fixture) setAccount(t *testing.T, id string, account sdk.AccAddress) {
	t.Helper()
	_, err := f.msgs.RegisterDealer(f.ctx, &types.MsgRegisterDealer{Authority: f.authority, DealerId: id, Name: "Dealer " + id, Account: account.String()})
	require.NoError(t, err)
}

func (f fixture) record(t *testing.T, id uint64) types.Record {
	t.Helper()
	res, err := f.queries.Record(f.ctx, &types.QueryRecordRequest{Id: id})
	require.NoError(t, err)
	return res.Record
}

func (f fixture) openDisputes(t *testing.T) []uint64 {
	t.Helper()
	res, err := f.queries.OpenDisputes(f.ctx, &types.QueryOpenDisputesRequest{})
	require.NoError(t, err)
	ids := []uint64{}
	for _, d := range res.Disputes {
		ids = append(ids, d.Id)
	}
	return ids
}

func (f fixture) resolve(resolver string, dispute, wrong uint64) ([]uint64, error) {
	res, err := f.msgs.ResolveDispute(f.ctx, &types.MsgResolveDispute{Resolver: resolver, DisputeId: dispute, WrongRecordId: wrong, Reason: "workshop invoices checked"})
	if err != nil {
		return nil, err
	}
	return res.ClosedDisputeIds, nil
}

func reviewStatus(rec types.Record) types.ReviewStatus { return rec.Review.GetStatus() }

// call is how recordingHooks logs one AfterDealerRecordFlagged.
func call(account sdk.AccAddress, dealer string, record uint64) string {
	return fmt.Sprintf("%s %s %d", account, dealer, record)
}

// TestInflatedReadingDoesNotPenaliseHonestDealers is the attack of issue 18,
// item 3: a malicious dealer (B) records 999,999 km on a car an honest dealer
// (A) has read at 50,000 km; every later honest reading used to be flagged as
// a rollback against it and cost A's account credit at once. Now the inflated
// reading is itself flagged implausible, every conflict between the two
// dealers is a dispute that penalises nobody, and one verdict penalises B,
// closes every dispute over the inflated record and corrects the summary.
func TestInflatedReadingDoesNotPenaliseHonestDealers(t *testing.T) {
	f, hooks := disputeFixture(t)

	f.mustSend(t, dealerA, reporterA, mileage(accord, 50_000, day(30)))                                            // 1
	inflated := f.mustSend(t, dealerB, reporterB, mileage(accord, 999_999, day(20)))                               // 2
	honest := f.mustSend(t, dealerA, reporterA, mileage(accord, 50_400, day(10)), mileage(accord, 50_900, day(1))) // 3, 4

	require.Empty(t, hooks.calls, "no account is penalised before a review")
	require.Equal(t, []types.FlagCode{types.FLAG_CODE_ODOMETER_IMPLAUSIBLE}, flagCodes(inflated[0].Flags))
	require.Equal(t, uint64(1), inflated[0].Flags[0].ConflictingRecordId)
	require.Equal(t, dealerA, inflated[0].Flags[0].ConflictingDealerId)
	for _, res := range honest {
		require.Equal(t, []types.FlagCode{types.FLAG_CODE_ODOMETER_ROLLBACK}, flagCodes(res.Flags))
		require.Equal(t, uint64(2), res.Flags[0].ConflictingRecordId)
		require.Equal(t, dealerB, res.Flags[0].ConflictingDealerId)
	}
	for id := uint64(1); id <= 4; id++ {
		require.Equal(t, types.REVIEW_STATUS_DISPUTED, reviewStatus(f.record(t, id)), "record %d", id)
	}
	require.Equal(t, []uint64{2, 3, 4}, f.record(t, 2).Review.DisputeIds)
	require.Equal(t, []uint64{2, 3, 4}, f.openDisputes(t))
	require.Equal(t, uint64(999_999), f.summary(t, accord).MaxOdometerKm)
	require.Equal(t, []types.FlagCode{types.FLAG_CODE_ODOMETER_ROLLBACK, types.FLAG_CODE_ODOMETER_IMPLAUSIBLE}, f.summary(t, accord).Flags)

	closed, err := f.resolve(examiner.String(), 3, 2)
	require.NoError(t, err)
	require.Equal(t, []uint64{3, 2, 4}, closed, "one verdict closes every dispute over the wrong record")
	require.Equal(t, []string{call(attackerAccount, dealerB, 2)}, hooks.calls, "only the wrong record's dealer is penalised")
	require.Empty(t, f.openDisputes(t))

	wrong := f.record(t, 2)
	require.Equal(t, types.REVIEW_STATUS_WRONG, wrong.Review.Status)
	want := types.Verdict{DisputeId: 3, WrongRecordId: 2, WrongDealerId: dealerB, Resolver: examiner.String(),
		ResolvedHeight: f.ctx.BlockHeight(), ResolvedAt: blockTime, Reason: "workshop invoices checked"}
	require.Equal(t, &want, wrong.Review.Verdict)
	require.Equal(t, []types.FlagCode{types.FLAG_CODE_ODOMETER_IMPLAUSIBLE}, flagCodes(wrong.Flags), "flags never change")
	for _, id := range []uint64{1, 3, 4} {
		rec := f.record(t, id)
		require.Equal(t, types.REVIEW_STATUS_UPHELD, rec.Review.Status, "record %d", id)
		require.Equal(t, &want, rec.Review.Verdict)
	}
	d, err := f.queries.Dispute(f.ctx, &types.QueryDisputeRequest{Id: 2})
	require.NoError(t, err)
	require.Equal(t, types.DISPUTE_STATUS_RESOLVED, d.Dispute.Status)
	require.Equal(t, &want, d.Dispute.Verdict, "a dispute closed by another's verdict names that verdict")

	// The summary is recomputed without the wrong reading; no record is gone.
	s := f.summary(t, accord)
	require.Equal(t, uint64(50_900), s.MaxOdometerKm)
	require.Equal(t, uint64(4), s.MaxOdometerRecordId)
	require.Equal(t, uint64(50_900), s.LatestOdometerKm)
	require.Equal(t, uint64(4), s.RecordCount)
	require.Equal(t, []uint64{50_000, 999_999, 50_400, 50_900}, readings(f.history(t, accord)))
	// The honest readings were flagged only because of the wrong one: the
	// summary no longer carries their rollback, the records keep it.
	require.Equal(t, []types.FlagCode{types.FLAG_CODE_ODOMETER_IMPLAUSIBLE}, s.Flags, "the wrong record's own flag stays")
	for _, id := range []uint64{3, 4} {
		require.Equal(t, []types.FlagCode{types.FLAG_CODE_ODOMETER_ROLLBACK}, flagCodes(f.record(t, id).Flags), "record %d keeps its flag", id)
	}

	// The next honest reading is measured against the corrected history.
	res := f.mustSend(t, dealerA, reporterA, mileage(accord, 51_500, blockTime))
	require.Empty(t, res[0].Flags)
	require.Len(t, hooks.calls, 1)
	// So is a back-dated one: the wrong reading is no longer "read later".
	res = f.mustSend(t, dealerA, reporterA, mileage(accord, 50_200, day(15)))
	require.Empty(t, res[0].Flags)

	// Genesis carries reviews and disputes; the summary and indexes rebuild alike.
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Len(t, gs.Disputes, 3)
	fresh := newFixture(t)
	require.NoError(t, fresh.k.InitGenesis(fresh.ctx, *gs))
	require.Equal(t, all(t, f.ctx, f.k.Summaries), all(t, fresh.ctx, fresh.k.Summaries))
	require.Equal(t, keys(t, f, f.k.WrongReadings), keys(t, fresh, fresh.k.WrongReadings))
	require.Equal(t, keys(t, f, f.k.OpenDisputes), keys(t, fresh, fresh.k.OpenDisputes))
	again, err := fresh.k.ExportGenesis(fresh.ctx)
	require.NoError(t, err)
	require.Equal(t, gs, again)
}

// TestOdometerFlagsPenaliseOrDispute: every odometer flag names the record it
// contradicts. Against the dealer's own record it counts against the dealer
// at once, as before; against another dealer's record it opens a dispute,
// marks both records and penalises nobody.
func TestOdometerFlagsPenaliseOrDispute(t *testing.T) {
	tests := []struct {
		name     string
		earlier  []types.RecordInput
		late     types.RecordInput
		wantFlag types.FlagCode
		// conflicting is the index in earlier of the record the flag names.
		conflicting int
	}{
		{
			name:     "rollback",
			earlier:  []types.RecordInput{mileage(accord, 120_000, day(30))},
			late:     mileage(accord, 45_000, day(10)),
			wantFlag: types.FLAG_CODE_ODOMETER_ROLLBACK,
		},
		{
			name:     "back-dated rollback",
			earlier:  []types.RecordInput{mileage(accord, 10_000, day(30)), mileage(accord, 50_000, day(10))},
			late:     mileage(accord, 5_000, day(20)),
			wantFlag: types.FLAG_CODE_ODOMETER_ROLLBACK,
		},
		{
			name:        "out of order",
			earlier:     []types.RecordInput{mileage(accord, 10_000, day(30)), mileage(accord, 50_000, day(10))},
			late:        mileage(accord, 55_000, day(20)),
			wantFlag:    types.FLAG_CODE_ODOMETER_OUT_OF_ORDER,
			conflicting: 1,
		},
		{
			name:     "implausible jump",
			earlier:  []types.RecordInput{mileage(accord, 50_000, day(30))},
			late:     mileage(accord, 999_999, day(20)),
			wantFlag: types.FLAG_CODE_ODOMETER_IMPLAUSIBLE,
		},
		{
			// A reading planted an hour before an honest one makes the honest
			// reading look implausible: a dispute, not a penalty.
			name:     "implausible against a planted reading",
			earlier:  []types.RecordInput{mileage(accord, 100_001, day(10).Add(-time.Hour))},
			late:     mileage(accord, 150_000, day(10)),
			wantFlag: types.FLAG_CODE_ODOMETER_IMPLAUSIBLE,
		},
	}
	for _, tc := range tests {
		for _, owner := range []string{dealerA, dealerB} {
			t.Run(tc.name+"/earlier by "+owner, func(t *testing.T) {
				f, hooks := disputeFixture(t)
				reporter := map[string]sdk.AccAddress{dealerA: reporterA, dealerB: reporterB}[owner]
				for _, in := range tc.earlier {
					f.mustSend(t, owner, reporter, in)
				}
				res := f.mustSend(t, dealerA, reporterA, tc.late)
				late := res[0].Id
				conflicting := uint64(tc.conflicting + 1)

				require.Len(t, res[0].Flags, 1)
				flag := res[0].Flags[0]
				require.Equal(t, tc.wantFlag, flag.Code)
				require.Equal(t, conflicting, flag.ConflictingRecordId)
				require.Equal(t, owner, flag.ConflictingDealerId)
				require.Equal(t, tc.earlier[tc.conflicting].OdometerKm, flag.PreviousOdometerKm)
				require.Contains(t, f.summary(t, accord).Flags, tc.wantFlag)

				if owner == dealerA {
					require.Equal(t, []string{call(honestAccount, dealerA, late)}, hooks.calls)
					require.Empty(t, f.openDisputes(t))
					require.Nil(t, f.record(t, late).Review)
					require.Nil(t, f.record(t, conflicting).Review)
					return
				}
				require.Empty(t, hooks.calls)
				require.Equal(t, []uint64{late}, f.openDisputes(t))
				d, err := f.queries.Dispute(f.ctx, &types.QueryDisputeRequest{Id: late})
				require.NoError(t, err)
				require.Equal(t, types.Dispute{
					Id: late, Vin: accord, Code: tc.wantFlag,
					FlaggedRecordId: late, FlaggedDealerId: dealerA,
					ConflictingRecordId: conflicting, ConflictingDealerId: dealerB,
					OpenedHeight: f.ctx.BlockHeight(), OpenedAt: blockTime, Status: types.DISPUTE_STATUS_OPEN,
				}, d.Dispute)
				for _, id := range []uint64{late, conflicting} {
					require.Equal(t, &types.RecordReview{Status: types.REVIEW_STATUS_DISPUTED, DisputeIds: []uint64{late}}, f.record(t, id).Review)
				}
				var opened int
				for _, ev := range f.ctx.EventManager().Events() {
					if ev.Type == "vinhub.vehicle.v1.EventDisputeOpened" {
						opened++
					}
				}
				require.Equal(t, 1, opened)
			})
		}
	}

	t.Run("a flag not under dispute still counts at once", func(t *testing.T) {
		f, hooks := disputeFixture(t)
		f.mustSend(t, dealerB, reporterB, mileage(golf, 120_000, day(30)))
		res := f.mustSend(t, dealerA, reporterA, mileage(golf, 45_000, day(10)))
		require.Equal(t, []types.FlagCode{types.FLAG_CODE_VIN_CHECK_DIGIT, types.FLAG_CODE_ODOMETER_ROLLBACK}, flagCodes(res[0].Flags))
		require.Equal(t, []uint64{res[0].Id}, f.openDisputes(t), "the rollback is disputed")
		require.Equal(t, []string{
			call(attackerAccount, dealerB, 1), // B's own record: check digit
			call(honestAccount, dealerA, 2),   // A's: check digit
		}, hooks.calls)
	})
}

// TestImplausibleOdometerEnvelope: a reading may exceed the highest
// earlier-dated reading by max_odometer_km_per_day for the time between them
// plus odometer_grace_km; governance may change both.
func TestImplausibleOdometerEnvelope(t *testing.T) {
	tests := []struct {
		name     string
		params   func(*types.Params)
		earlier  []types.RecordInput
		late     types.RecordInput
		wantFlag bool
	}{
		{name: "a day's driving and the grace", earlier: []types.RecordInput{mileage(accord, 50_000, day(10))}, late: mileage(accord, 53_000, day(9))},
		{name: "a kilometre more", earlier: []types.RecordInput{mileage(accord, 50_000, day(10))}, late: mileage(accord, 53_001, day(9)), wantFlag: true},
		{name: "the same hour, within the grace", earlier: []types.RecordInput{mileage(accord, 50_000, day(10))}, late: mileage(accord, 51_000, day(10).Add(30*time.Minute))},
		{name: "a long gap allows more", earlier: []types.RecordInput{mileage(accord, 50_000, day(100))}, late: mileage(accord, 231_000, day(10))},
		{name: "but not without end", earlier: []types.RecordInput{mileage(accord, 50_000, day(100))}, late: mileage(accord, 231_001, day(10)), wantFlag: true},
		{name: "a first reading has nothing to jump from", late: mileage(accord, 999_999, day(10))},
		{name: "measured from the highest reading, not the latest", earlier: []types.RecordInput{mileage(accord, 90_000, day(30)), mileage(accord, 10_000, day(2))}, late: mileage(accord, 140_000, day(1))},
		{
			name:     "back-dated, measured from the reading before it",
			earlier:  []types.RecordInput{mileage(accord, 10_000, day(100)), mileage(accord, 150_000, day(1))},
			late:     mileage(accord, 100_000, day(90)),
			wantFlag: true,
		},
		{
			name:    "governance raises the rate",
			params:  func(p *types.Params) { p.MaxOdometerKmPerDay = 10_000 },
			earlier: []types.RecordInput{mileage(accord, 50_000, day(10))},
			late:    mileage(accord, 61_000, day(9)),
		},
		{
			name:     "governance removes the grace",
			params:   func(p *types.Params) { p.OdometerGraceKm = 0 },
			earlier:  []types.RecordInput{mileage(accord, 50_000, day(10))},
			late:     mileage(accord, 50_001, day(10)),
			wantFlag: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			if tc.params != nil {
				params := types.DefaultParams()
				tc.params(&params)
				_, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: params})
				require.NoError(t, err)
			}
			for _, in := range tc.earlier {
				f.mustSend(t, dealerA, reporterA, in)
			}
			res := f.mustSend(t, dealerA, reporterA, tc.late)
			if !tc.wantFlag {
				require.NotContains(t, flagCodes(res[0].Flags), types.FLAG_CODE_ODOMETER_IMPLAUSIBLE)
				return
			}
			require.Equal(t, []types.FlagCode{types.FLAG_CODE_ODOMETER_IMPLAUSIBLE}, flagCodes(res[0].Flags))
			require.Contains(t, res[0].Flags[0].Detail, "the most a car read at")
		})
	}
}

// TestVerdictAgainstEitherSide: a verdict may name the flagged record or the
// one it contradicts; a record still party to another open dispute stays
// DISPUTED; governance resolves as well as an examiner.
func TestVerdictAgainstEitherSide(t *testing.T) {
	f, hooks := disputeFixture(t)
	f.mustSend(t, dealerA, reporterA, mileage(accord, 50_000, day(30)))  // 1
	f.mustSend(t, dealerB, reporterB, mileage(accord, 999_999, day(20))) // 2: dispute 2 with 1
	f.mustSend(t, dealerA, reporterA, mileage(accord, 50_400, day(10)))  // 3: dispute 3 with 2

	// The examiner believes B: A's first reading was wrong.
	closed, err := f.resolve(examiner.String(), 2, 1)
	require.NoError(t, err)
	require.Equal(t, []uint64{2}, closed)
	require.Equal(t, []string{call(honestAccount, dealerA, 1)}, hooks.calls)
	require.Equal(t, types.REVIEW_STATUS_WRONG, reviewStatus(f.record(t, 1)))
	require.Equal(t, types.REVIEW_STATUS_DISPUTED, reviewStatus(f.record(t, 2)), "still party to dispute 3")
	require.Nil(t, f.record(t, 2).Review.Verdict)
	require.Equal(t, []uint64{3}, f.openDisputes(t))
	s := f.summary(t, accord)
	require.Equal(t, uint64(999_999), s.MaxOdometerKm)
	require.Equal(t, uint64(50_400), s.LatestOdometerKm)
	require.Equal(t, []types.FlagCode{types.FLAG_CODE_ODOMETER_ROLLBACK, types.FLAG_CODE_ODOMETER_IMPLAUSIBLE}, s.Flags, "record 2 is not upheld yet: its flag stays")

	// Governance settles the other dispute against B.
	closed, err = f.resolve(f.authority, 3, 2)
	require.NoError(t, err)
	require.Equal(t, []uint64{3}, closed)
	require.Equal(t, []string{call(honestAccount, dealerA, 1), call(attackerAccount, dealerB, 2)}, hooks.calls)
	rec := f.record(t, 3)
	require.Equal(t, types.REVIEW_STATUS_UPHELD, rec.Review.Status)
	require.Equal(t, f.authority, rec.Review.Verdict.Resolver)
	s = f.summary(t, accord)
	require.Equal(t, uint64(50_400), s.MaxOdometerKm)
	require.Equal(t, uint64(3), s.MaxOdometerRecordId)
	require.Equal(t, []types.FlagCode{types.FLAG_CODE_ODOMETER_IMPLAUSIBLE}, s.Flags, "record 3 upheld against wrong record 2: its rollback is cleared; wrong record 2 keeps its own flag")
	require.Empty(t, f.openDisputes(t))
}

// TestResolveDisputeRefused: every refusal is a registered error and changes
// nothing — records, reviews, disputes, summaries, indexes, credit.
func TestResolveDisputeRefused(t *testing.T) {
	tests := []struct {
		name     string
		malleate func(t *testing.T, f fixture, msg *types.MsgResolveDispute)
		wantErr  error
	}{
		{name: "resolver without the examiner role", malleate: func(_ *testing.T, _ fixture, msg *types.MsgResolveDispute) { msg.Resolver = stranger.String() }, wantErr: types.ErrUnauthorizedResolver},
		{name: "a dealer's own reporter", malleate: func(_ *testing.T, _ fixture, msg *types.MsgResolveDispute) { msg.Resolver = reporterA.String() }, wantErr: types.ErrUnauthorizedResolver},
		{name: "examiner is the account of the conflicting dealer", malleate: func(t *testing.T, f fixture, msg *types.MsgResolveDispute) {
			f.setAccount(t, dealerA, examiner) // dispute 3: A's record 2 against B's record 3
			msg.WrongRecordId = 3
		}, wantErr: types.ErrUnauthorizedResolver},
		{name: "examiner is the account of the flagged dealer, spelled in upper case", malleate: func(t *testing.T, f fixture, msg *types.MsgResolveDispute) {
			f.setAccount(t, dealerB, examiner)
			msg.Resolver, msg.WrongRecordId = strings.ToUpper(examiner.String()), 2
		}, wantErr: types.ErrUnauthorizedResolver},
		{name: "examiner is a reporter of the flagged dealer", malleate: func(t *testing.T, f fixture, msg *types.MsgResolveDispute) {
			_, err := f.msgs.AdmitReporter(f.ctx, &types.MsgAdmitReporter{Authority: f.authority, DealerId: dealerB, Reporter: examiner.String()})
			require.NoError(t, err)
			msg.WrongRecordId = 2
		}, wantErr: types.ErrUnauthorizedResolver},
		{name: "examiner was a reporter of the conflicting dealer (revoked)", malleate: func(t *testing.T, f fixture, msg *types.MsgResolveDispute) {
			_, err := f.msgs.AdmitReporter(f.ctx, &types.MsgAdmitReporter{Authority: f.authority, DealerId: dealerA, Reporter: examiner.String()})
			require.NoError(t, err)
			_, err = f.msgs.RevokeReporter(f.ctx, &types.MsgRevokeReporter{Authority: f.authority, DealerId: dealerA, Reporter: examiner.String()})
			require.NoError(t, err)
		}, wantErr: types.ErrUnauthorizedResolver},
		{name: "malformed resolver", malleate: func(_ *testing.T, _ fixture, msg *types.MsgResolveDispute) { msg.Resolver = "cosmos1bad" }, wantErr: types.ErrInvalidAddress},
		{name: "unknown dispute", malleate: func(_ *testing.T, _ fixture, msg *types.MsgResolveDispute) { msg.DisputeId = 99 }, wantErr: types.ErrDisputeNotFound},
		{name: "a record that is not a dispute", malleate: func(_ *testing.T, _ fixture, msg *types.MsgResolveDispute) { msg.DisputeId = 1 }, wantErr: types.ErrDisputeNotFound},
		{name: "no dispute id", malleate: func(_ *testing.T, _ fixture, msg *types.MsgResolveDispute) { msg.DisputeId = 0 }, wantErr: types.ErrDisputeNotFound},
		{name: "record not a party", malleate: func(_ *testing.T, _ fixture, msg *types.MsgResolveDispute) { msg.WrongRecordId = 1 }, wantErr: types.ErrInvalidVerdict},
		{name: "no record named", malleate: func(_ *testing.T, _ fixture, msg *types.MsgResolveDispute) { msg.WrongRecordId = 0 }, wantErr: types.ErrInvalidVerdict},
		{name: "reason too long", malleate: func(_ *testing.T, _ fixture, msg *types.MsgResolveDispute) {
			msg.Reason = strings.Repeat("x", types.MaxVerdictReasonLength+1)
		}, wantErr: types.ErrInvalidVerdict},
		{name: "resolved twice", malleate: func(t *testing.T, f fixture, msg *types.MsgResolveDispute) {
			_, err := f.resolve(examiner.String(), 3, 2)
			require.NoError(t, err)
			msg.WrongRecordId = 3
		}, wantErr: types.ErrDisputeResolved},
		{name: "closed by a verdict on another dispute", malleate: func(t *testing.T, f fixture, msg *types.MsgResolveDispute) {
			_, err := f.resolve(examiner.String(), 4, 3)
			require.NoError(t, err)
		}, wantErr: types.ErrDisputeResolved},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, hooks := disputeFixture(t)
			f.mustSend(t, dealerA, reporterA, mileage(golf, 50_000, day(30)))                                          // 1: check digit only
			f.mustSend(t, dealerA, reporterA, mileage(accord, 50_000, day(30)))                                        // 2
			f.mustSend(t, dealerB, reporterB, mileage(accord, 999_999, day(20)))                                       // 3: dispute 3 with 2
			f.mustSend(t, dealerA, reporterA, mileage(accord, 50_400, day(10)))                                        // 4: dispute 4 with 3
			msg := &types.MsgResolveDispute{Resolver: examiner.String(), DisputeId: 3, WrongRecordId: 3, Reason: "ok"} // valid
			tc.malleate(t, f, msg)
			before := takeDisputeSnapshot(t, f)
			calls := len(hooks.calls)
			events := len(f.ctx.EventManager().Events())

			_, err := f.msgs.ResolveDispute(f.ctx, msg)
			require.ErrorIs(t, err, tc.wantErr)
			require.Equal(t, before, takeDisputeSnapshot(t, f))
			require.Len(t, hooks.calls, calls)
			require.Len(t, f.ctx.EventManager().Events(), events)
		})
	}

	t.Run("the authority in upper case is the authority; the verdict names it in lower case", func(t *testing.T) {
		f, _ := disputeFixture(t)
		f.mustSend(t, dealerA, reporterA, mileage(accord, 50_000, day(30)))  // 1
		f.mustSend(t, dealerB, reporterB, mileage(accord, 999_999, day(20))) // 2: dispute 2 with 1
		_, err := f.resolve(strings.ToUpper(f.authority), 2, 2)
		require.NoError(t, err)
		require.Equal(t, f.authority, f.record(t, 2).Review.Verdict.Resolver)
	})

	t.Run("an examiner in upper case is stored in lower case", func(t *testing.T) {
		f, _ := disputeFixture(t)
		f.mustSend(t, dealerA, reporterA, mileage(accord, 50_000, day(30)))  // 1
		f.mustSend(t, dealerB, reporterB, mileage(accord, 999_999, day(20))) // 2: dispute 2 with 1
		_, err := f.resolve(strings.ToUpper(examiner.String()), 2, 2)
		require.NoError(t, err)
		require.Equal(t, examiner.String(), f.record(t, 2).Review.Verdict.Resolver)
		d, err := f.queries.Dispute(f.ctx, &types.QueryDisputeRequest{Id: 2})
		require.NoError(t, err)
		require.Equal(t, examiner.String(), d.Dispute.Verdict.Resolver)
	})

	t.Run("a chain without an examiner registry: governance only", func(t *testing.T) {
		f := setup(t)
		f.mustSend(t, dealerA, reporterA, mileage(accord, 120_000, day(30)))
		f.mustSend(t, dealerB, reporterB, mileage(accord, 45_000, day(10)))
		before := takeDisputeSnapshot(t, f)
		_, err := f.resolve(examiner.String(), 2, 2)
		require.ErrorIs(t, err, types.ErrUnauthorizedResolver)
		require.Equal(t, before, takeDisputeSnapshot(t, f))
		_, err = f.resolve(f.authority, 2, 2)
		require.NoError(t, err)
		require.Panics(t, func() { f.k.SetRoleChecker(examiners{}); f.k.SetRoleChecker(examiners{}) }, "the registry is set once")
	})
}

// disputeSnapshot is every piece of state a refused resolution must leave alone.
type disputeSnapshot struct {
	genesis   *types.GenesisState
	summaries []collections.KeyValue[string, types.VehicleSummary]
	open      []uint64
	wrong     []collections.Pair[string, uint64]
}

func takeDisputeSnapshot(t *testing.T, f fixture) disputeSnapshot {
	t.Helper()
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	return disputeSnapshot{genesis: gs, summaries: all(t, f.ctx, f.k.Summaries), open: keys(t, f, f.k.OpenDisputes), wrong: keys(t, f, f.k.WrongReadings)}
}

func TestDisputeQueries(t *testing.T) {
	f, _ := disputeFixture(t)
	f.mustSend(t, dealerA, reporterA, mileage(accord, 120_000, day(30)))
	f.mustSend(t, dealerB, reporterB, mileage(accord, 45_000, day(20)), mileage(accord, 46_000, day(10)), mileage(accord, 47_000, day(5)))

	page1, err := f.queries.OpenDisputes(f.ctx, &types.QueryOpenDisputesRequest{Pagination: &query.PageRequest{Limit: 2}})
	require.NoError(t, err)
	require.Len(t, page1.Disputes, 2)
	page2, err := f.queries.OpenDisputes(f.ctx, &types.QueryOpenDisputesRequest{Pagination: &query.PageRequest{Key: page1.Pagination.NextKey}})
	require.NoError(t, err)
	require.Len(t, page2.Disputes, 1)
	require.Equal(t, uint64(4), page2.Disputes[0].Id)

	_, err = f.queries.Dispute(f.ctx, &types.QueryDisputeRequest{Id: 1})
	require.Equal(t, codes.NotFound, status.Code(err))
	_, err = f.queries.Dispute(f.ctx, nil)
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	_, err = f.queries.OpenDisputes(f.ctx, nil)
	require.Equal(t, codes.InvalidArgument, status.Code(err))
}

var _ types.RoleChecker = examiners{}

// TestOpenDisputesPerRecordCapped: one planted reading contradicted by a
// stream of honest ones opens at most MaxOpenDisputesPerRecord disputes over
// it. Beyond the cap a conflicting reading is still kept and flagged, but
// opens no dispute and penalises nobody; one verdict still closes them all.
func TestOpenDisputesPerRecordCapped(t *testing.T) {
	f, hooks := disputeFixture(t)
	f.mustSend(t, dealerA, reporterA, mileage(accord, 50_000, day(30)))  // 1
	f.mustSend(t, dealerB, reporterB, mileage(accord, 999_999, day(20))) // 2: dispute 2, over record 2
	var honest []types.RecordInput
	for i := range types.MaxOpenDisputesPerRecord { // records 3.., one dispute each, then one more
		honest = append(honest, mileage(accord, 50_100+uint64(i), day(19).Add(time.Duration(i)*time.Minute)))
	}
	res := f.mustSend(t, dealerA, reporterA, honest...)
	last := res[len(res)-1]
	require.Equal(t, []types.FlagCode{types.FLAG_CODE_ODOMETER_ROLLBACK}, flagCodes(last.Flags), "beyond the cap the reading is still flagged")
	require.Equal(t, uint64(2), last.Flags[0].ConflictingRecordId)

	require.Len(t, f.record(t, 2).Review.DisputeIds, types.MaxOpenDisputesPerRecord)
	require.Len(t, f.openDisputes(t), types.MaxOpenDisputesPerRecord)
	beyond := f.record(t, last.Id)
	require.Nil(t, beyond.Review, "no dispute beyond the cap")
	_, err := f.queries.Dispute(f.ctx, &types.QueryDisputeRequest{Id: last.Id})
	require.Equal(t, codes.NotFound, status.Code(err))
	require.Empty(t, hooks.calls, "nobody is penalised without a verdict")

	closed, err := f.resolve(examiner.String(), 3, 2)
	require.NoError(t, err)
	require.Len(t, closed, types.MaxOpenDisputesPerRecord)
	require.Empty(t, f.openDisputes(t))
	require.Nil(t, f.record(t, last.Id).Review, "a record beyond the cap joins no verdict")
	require.Equal(t, []string{call(attackerAccount, dealerB, 2)}, hooks.calls)
}
