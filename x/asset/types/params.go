package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Defaults of the module parameters.
const (
	DefaultMaxInterestRateBps = 5_000 // 50% a year
	DefaultMaxTerm            = 10 * Year
	// DefaultMaxPendingPerOwner is how many applications an account may have
	// pending at once: room for a dealer's batch, bounded state per account.
	DefaultMaxPendingPerOwner = 32
	// MaxPendingPerOwnerLimit bounds the param, and so what Apply reads.
	MaxPendingPerOwnerLimit = 1000
)

// DefaultParams charges 100stake to redeem, caps rates at 50% a year, terms
// at ten years and pending applications at 32 per account.
func DefaultParams() Params {
	return Params{
		RedemptionFee:      sdk.NewCoins(sdk.NewCoin(sdk.DefaultBondDenom, sdkmath.NewInt(100))),
		MaxInterestRateBps: DefaultMaxInterestRateBps,
		MaxTerm:            DefaultMaxTerm,
		MaxPendingPerOwner: DefaultMaxPendingPerOwner,
	}
}

// Validate checks the fee coins, the rate cap (at most 100% a year), the
// term cap and the pending-applications cap (1 to 1000).
func (p Params) Validate() error {
	if err := p.RedemptionFee.Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "redemption_fee %s: %v", p.RedemptionFee, err)
	}
	if p.MaxInterestRateBps > BasisPoints {
		return errorsmod.Wrapf(ErrInvalidParams, "max_interest_rate_bps %d is above %d (100%% a year)", p.MaxInterestRateBps, BasisPoints)
	}
	if p.MaxTerm <= 0 || p.MaxTerm > 100*Year {
		return errorsmod.Wrapf(ErrInvalidParams, "max_term must be between 1ns and 100 years, got %s", p.MaxTerm)
	}
	if p.MaxPendingPerOwner == 0 || p.MaxPendingPerOwner > MaxPendingPerOwnerLimit {
		return errorsmod.Wrapf(ErrInvalidParams, "max_pending_per_owner must be between 1 and %d, got %d", MaxPendingPerOwnerLimit, p.MaxPendingPerOwner)
	}
	return nil
}

// CheckLoanTerms refuses rates above the cap and terms outside (0, max_term].
func (p Params) CheckLoanTerms(rateBps uint32, term time.Duration) error {
	if rateBps > p.MaxInterestRateBps {
		return errorsmod.Wrapf(ErrRateOutOfBounds, "interest rate %d bps is above the maximum %d bps (x/asset param max_interest_rate_bps)", rateBps, p.MaxInterestRateBps)
	}
	if term <= 0 || term > p.MaxTerm {
		return errorsmod.Wrapf(ErrInvalidTerm, "term %s must be positive and at most %s (x/asset param max_term)", term, p.MaxTerm)
	}
	return nil
}
