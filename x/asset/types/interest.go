package types

import (
	"math/big"
	"time"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// BasisPoints is one in basis points: a rate of 10000 bps is 100% a year.
const BasisPoints = 10_000

// overflowHorizon is how long a loan may run late before its interest could
// overflow; offers whose interest over this horizon would not fit are refused.
const overflowHorizon = 100 * Year

// Interest is simple annual interest on principal at rateBps over elapsed
// whole seconds, rounded up so that rounding never favours the borrower:
// ceil(principal * rateBps * seconds / (10000 * 31536000)). Integer math only.
func Interest(principal sdkmath.Int, rateBps uint32, elapsed time.Duration) (sdkmath.Int, error) {
	seconds := int64(elapsed / time.Second)
	if seconds <= 0 || rateBps == 0 || principal.IsZero() {
		return sdkmath.ZeroInt(), nil
	}
	num := new(big.Int).Mul(principal.BigInt(), big.NewInt(int64(rateBps)))
	num.Mul(num, big.NewInt(seconds))
	den := big.NewInt(BasisPoints * int64(Year/time.Second))
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	if r.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	if q.BitLen() > sdkmath.MaxBitLen-1 {
		return sdkmath.Int{}, errorsmod.Wrapf(ErrInvalidAmount, "interest on %s at %d bps over %s overflows", principal, rateBps, elapsed)
	}
	return sdkmath.NewIntFromBigInt(q), nil
}

// AmountDue is what repaying an active loan costs at now: principal plus interest since it started.
func (l Loan) AmountDue(now time.Time) (sdk.Coin, error) {
	var elapsed time.Duration
	if l.StartedAt != nil {
		elapsed = now.Sub(*l.StartedAt)
	}
	interest, err := Interest(l.Principal.Amount, l.InterestRateBps, elapsed)
	if err != nil {
		return sdk.Coin{}, err
	}
	total := new(big.Int).Add(l.Principal.Amount.BigInt(), interest.BigInt())
	if total.BitLen() > sdkmath.MaxBitLen-1 {
		return sdk.Coin{}, errorsmod.Wrapf(ErrInvalidAmount, "amount due on loan %d overflows", l.Id)
	}
	return sdk.NewCoin(l.Principal.Denom, sdkmath.NewIntFromBigInt(total)), nil
}

// Outstanding is what is left to pay of the amount due: the amount due at
// now less what payments on other rails have counted for, never negative.
// On-hub Repay charges this; the Loan query shows it as amount_due.
func (l Loan) Outstanding(now time.Time) (sdk.Coin, error) {
	due, err := l.AmountDue(now)
	if err != nil || l.RepaidAcrossRails == nil {
		return due, err
	}
	if l.RepaidAcrossRails.Amount.GTE(due.Amount) {
		return sdk.NewCoin(due.Denom, sdkmath.ZeroInt()), nil
	}
	return due.Sub(*l.RepaidAcrossRails), nil
}

// CheckInterestFits refuses principals whose interest could overflow if the
// loan ran a century: every amount a loan can reach stays representable.
func CheckInterestFits(principal sdk.Coin, rateBps uint32) error {
	l := Loan{Principal: principal, InterestRateBps: rateBps, StartedAt: &time.Time{}}
	if _, err := l.AmountDue(time.Time{}.Add(overflowHorizon)); err != nil {
		return errorsmod.Wrapf(ErrInvalidAmount, "principal %s is too large: the interest could overflow", principal)
	}
	return nil
}
