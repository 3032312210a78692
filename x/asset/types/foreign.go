package types

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	notarytypes "github.com/vinhub/vinhub/x/notary/types"
)

// MaxForeignRepayments bounds the foreign repayment terms of one offer.
const MaxForeignRepayments = 8

// MaxForeignPaymentBits is the size of the largest payment x/notary attests
// (its Payment.Amount is at most 2^128): rates are checked against it at
// offer time, so every payment that can arrive converts without overflow.
const MaxForeignPaymentBits = 128

// MaxAmountBits is the size every amount of a loan's denom must fit in, as
// for interest (sdkmath.MaxBitLen − 1).
const MaxAmountBits = sdkmath.MaxBitLen - 1

var (
	// stellarAccount is a Stellar account id (G... strkey). Muxed (M...)
	// accounts are not accepted: notaries report the underlying account.
	stellarAccount = regexp.MustCompile(`^G[A-Z2-7]{55}$`)
	// bitcoinAddress is the form of a base58 or bech32 address; the checksum
	// is the notaries' and the payer's business, the hub compares strings.
	bitcoinAddress = regexp.MustCompile(`^[A-Za-z0-9]{14,90}$`)
	// bech32Prefixes are the human-readable parts of Bitcoin's bech32
	// addresses (mainnet, testnet/signet, regtest, simnet), separator included.
	bech32Prefixes = []string{"bc1", "tb1", "bcrt1", "sb1"}
)

// ForeignPlatform parses a term's platform name ("stellar", "bitcoin") as
// x/notary spells it (Platform.Name).
func ForeignPlatform(name string) (notarytypes.Platform, bool) {
	for _, p := range []notarytypes.Platform{notarytypes.PLATFORM_STELLAR, notarytypes.PLATFORM_BITCOIN} {
		if p.Name() == name {
			return p, true
		}
	}
	return notarytypes.PLATFORM_UNSPECIFIED, false
}

// ValidateForeignRepayments checks an offer's terms: each valid, at most
// MaxForeignRepayments, and one per (platform, network, asset), so a
// payment matches at most one term.
func ValidateForeignRepayments(terms []ForeignRepayment) error {
	if len(terms) > MaxForeignRepayments {
		return errorsmod.Wrapf(ErrInvalidForeignRepayment, "%d foreign repayment terms, at most %d", len(terms), MaxForeignRepayments)
	}
	seen := map[string]bool{}
	for i, t := range terms {
		if err := t.Validate(); err != nil {
			return errorsmod.Wrapf(err, "foreign repayment %d", i)
		}
		key := t.Platform + "/" + t.NetworkId + "/" + t.Asset
		if seen[key] {
			return errorsmod.Wrapf(ErrInvalidForeignRepayment, "two terms for %s on %s/%s: a payment would match both", t.Asset, t.Platform, t.NetworkId)
		}
		seen[key] = true
	}
	return nil
}

// Validate checks one term. The platform, network id and asset follow
// x/notary's rule for a payment source, so a term names only what a notary
// source can; the account has the rail's form; the rate is positive and
// converts the largest payment x/notary attests without overflow.
func (t ForeignRepayment) Validate() error {
	platform, ok := ForeignPlatform(t.Platform)
	if !ok {
		return errorsmod.Wrapf(ErrInvalidForeignRepayment, "platform %q: write stellar or bitcoin", t.Platform)
	}
	src := notarytypes.Source{Platform: platform, NetworkId: t.NetworkId,
		Limits: []notarytypes.AssetLimit{{Asset: t.Asset, Limit: sdkmath.OneInt()}}}
	if err := src.Validate(); err != nil {
		return errorsmod.Wrap(ErrInvalidForeignRepayment, err.Error())
	}
	if err := validateForeignAccount(platform, t.Account); err != nil {
		return err
	}
	return t.Rate.Validate()
}

func validateForeignAccount(p notarytypes.Platform, account string) error {
	switch p {
	case notarytypes.PLATFORM_STELLAR:
		if !stellarAccount.MatchString(account) {
			return errorsmod.Wrapf(ErrInvalidForeignRepayment, "account %q is not a Stellar account id (G followed by 55 of A-Z 2-7)", account)
		}
	case notarytypes.PLATFORM_BITCOIN:
		if !bitcoinAddress.MatchString(account) {
			return errorsmod.Wrapf(ErrInvalidForeignRepayment, "account %q is not a Bitcoin address (14-90 letters and digits)", account)
		}
		lower := strings.ToLower(account)
		for _, hrp := range bech32Prefixes {
			// A bech32 address may be written in upper case, but notaries
			// report it in lower case and the hub compares strings.
			if strings.HasPrefix(lower, hrp) && account != lower {
				return errorsmod.Wrapf(ErrInvalidForeignRepayment, "account %q: write bech32 addresses in lower case (%s)", account, lower)
			}
		}
	}
	return nil
}

// Validate wants a positive numerator and denominator such that the
// largest payment x/notary attests converts to an amount that fits.
func (r ExchangeRate) Validate() error {
	if r.Numerator.IsNil() || !r.Numerator.IsPositive() || r.Denominator.IsNil() || !r.Denominator.IsPositive() {
		return errorsmod.Wrapf(ErrInvalidForeignRepayment, "rate %s: numerator and denominator must be positive integers", r)
	}
	largest := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), MaxForeignPaymentBits), big.NewInt(1))
	if _, err := r.Convert(sdkmath.NewIntFromBigInt(largest)); err != nil {
		return errorsmod.Wrapf(ErrInvalidForeignRepayment, "rate %s is too large: a payment of 2^128 units would overflow", r)
	}
	return nil
}

// Convert is what amount smallest units of the foreign asset are worth in
// the loan's denom: ⌊amount × numerator / denominator⌋. Rounding down means
// a payer never gets credit for more than it paid. Amounts above 2^128 − 1
// and results that do not fit in 255 bits are ErrInvalidAmount.
func (r ExchangeRate) Convert(amount sdkmath.Int) (sdkmath.Int, error) {
	if amount.IsNil() || amount.IsNegative() || amount.BigInt().BitLen() > MaxForeignPaymentBits {
		return sdkmath.Int{}, errorsmod.Wrapf(ErrInvalidAmount, "payment amount %s: a non-negative integer below 2^%d", amount, MaxForeignPaymentBits)
	}
	if r.Numerator.IsNil() || r.Denominator.IsNil() || !r.Denominator.IsPositive() {
		return sdkmath.Int{}, errorsmod.Wrapf(ErrInvalidAmount, "rate %s has no positive denominator", r)
	}
	q := new(big.Int).Mul(amount.BigInt(), r.Numerator.BigInt())
	q.Quo(q, r.Denominator.BigInt())
	if q.BitLen() > MaxAmountBits {
		return sdkmath.Int{}, errorsmod.Wrapf(ErrInvalidAmount, "%s units at %s overflow", amount, r)
	}
	return sdkmath.NewIntFromBigInt(q), nil
}

// String writes the rate as numerator/denominator.
func (r ExchangeRate) String() string { return fmt.Sprintf("%s/%s", r.Numerator, r.Denominator) }

// ForeignRepaymentFor is the loan's term for a payment of asset on the
// platform's network, or ErrNoForeignRepaymentTerm.
func (l Loan) ForeignRepaymentFor(platform, networkID, asset string) (ForeignRepayment, error) {
	for _, t := range l.ForeignRepayments {
		if t.Platform == platform && t.NetworkId == networkID && t.Asset == asset {
			return t, nil
		}
	}
	return ForeignRepayment{}, errorsmod.Wrapf(ErrNoForeignRepaymentTerm,
		"loan %d takes no repayment in %q on %s network %s", l.Id, asset, platform, networkID)
}
