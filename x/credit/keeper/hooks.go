package keeper

import (
	"context"
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/credit/types"
)

// RecordActivity marks addr as seen (its tenure starts at the first call);
// x/asset calls it when an account applies to register an asset.
func (k Keeper) RecordActivity(ctx context.Context, addr sdk.AccAddress) error {
	return k.update(ctx, addr, types.ReasonActivity, "", func(*types.CreditProfile) {})
}

// RecordRepayment counts a loan repayment, on time or late; both also count
// toward volume. x/asset calls it when a loan is repaid.
func (k Keeper) RecordRepayment(ctx context.Context, borrower sdk.AccAddress, onTime bool) error {
	if onTime {
		return k.update(ctx, borrower, types.ReasonRepaymentOnTime, "", func(p *types.CreditProfile) {
			p.OnTimeMilli = types.AddEvent(p.OnTimeMilli)
			p.OnTimeCount++
		})
	}
	return k.update(ctx, borrower, types.ReasonRepaymentLate, "", func(p *types.CreditProfile) {
		p.LateMilli = types.AddEvent(p.LateMilli)
		p.LateCount++
	})
}

// RecordDefault counts a loan default; x/asset calls it when a loan defaults.
func (k Keeper) RecordDefault(ctx context.Context, borrower sdk.AccAddress) error {
	return k.update(ctx, borrower, types.ReasonDefault, "", func(p *types.CreditProfile) {
		p.DefaultsMilli = types.AddEvent(p.DefaultsMilli)
		p.DefaultCount++
	})
}

// RecordTrade counts a completed trade toward volume; x/asset calls it for
// the buyer and the seller of a sale.
func (k Keeper) RecordTrade(ctx context.Context, addr sdk.AccAddress) error {
	return k.update(ctx, addr, types.ReasonTrade, "", func(p *types.CreditProfile) { p.TradeCount++ })
}

// AfterDealerRecordFlagged counts a fraud flag (e.g. odometer rollback) on
// one of a dealer's records against the dealer's account; x/vehicle calls it
// once per flagged record.
func (k Keeper) AfterDealerRecordFlagged(ctx context.Context, dealerAccount sdk.AccAddress, dealerID string, recordID uint64) error {
	detail := fmt.Sprintf("dealer %q record %d", dealerID, recordID)
	return k.update(ctx, dealerAccount, types.ReasonFraudFlag, detail, func(p *types.CreditProfile) {
		p.FraudMilli = types.AddEvent(p.FraudMilli)
		p.FraudCount++
	})
}

// RecordRejection counts an asset application an examiner rejected against
// the applicant; x/asset calls it from MsgReject.
func (k Keeper) RecordRejection(ctx context.Context, applicant sdk.AccAddress) error {
	return k.update(ctx, applicant, types.ReasonRejection, "", func(p *types.CreditProfile) {
		p.RejectionsMilli = types.AddEvent(p.RejectionsMilli)
		p.RejectionCount++
	})
}

// update decays addr's profile to the block time (creating it, first seen
// now, if it does not exist), applies the event, stores it and emits
// EventScoreChanged with the scores before and after.
func (k Keeper) update(ctx context.Context, addr sdk.AccAddress, reason, detail string, apply func(*types.CreditProfile)) error {
	p, _, err := k.profile(ctx, addr)
	if err != nil {
		return err
	}
	params, err := k.GetParams(ctx)
	if err != nil {
		return err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	now := sdkCtx.BlockTime()
	old := types.ComputeScore(p, params.DecayHalfLife, now)
	p = p.DecayTo(now, params.DecayHalfLife)
	apply(&p)
	if err := k.Profiles.Set(ctx, addr, p); err != nil {
		return err
	}
	updated := types.ComputeScore(p, params.DecayHalfLife, now)
	return sdkCtx.EventManager().EmitTypedEvent(&types.EventScoreChanged{
		Address: p.Address, Old: old.Score, New: updated.Score, Reason: reason, Detail: detail,
	})
}
