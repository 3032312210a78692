package stellar

import (
	"fmt"
	"math"

	"github.com/stellar/go-stellar-sdk/amount"

	"github.com/vinhub/vinhub/adapters/htlc"
)

const (
	// escrowSigners is what the escrow holds while locked: the recipient,
	// the hashX and the pre-auth refund signer, three subentries.
	escrowSigners = 3
	// EscrowReserve is the escrow's minimum balance while locked at
	// Stellar's base reserve of 0.5 XLM: (2 + 3 signers) x 0.5 XLM.
	EscrowReserve = (2 + escrowSigners) * 5_000_000
	// EscrowFeeBudget is what the escrow keeps for the fee of the claim or
	// refund it pays for itself: 0.1 XLM, a thousand base fees.
	EscrowFeeBudget = 1_000_000
	// EscrowOverhead is what the sender puts into the escrow on top of the
	// amount: 2.6 XLM. The claim or refund merges the whole escrow, so the
	// recipient (or, refunded, the sender) gets the overhead back less the
	// one fee; the sender's cost of a lock is two transaction fees.
	EscrowOverhead = EscrowReserve + EscrowFeeBudget
)

// ParseAmount reads a Terms amount in stroops. It must be positive and
// written as go-stellar-sdk's amount package writes it (seven decimals:
// "25.0000000"), because that is how Status reads it back for Terms.Match.
func ParseAmount(s string) (int64, error) {
	v, err := amount.ParseInt64(s)
	if err != nil {
		return 0, fmt.Errorf("%w: amount %q is not lumens: %v", htlc.ErrInvalidTerms, s, err)
	}
	if v <= 0 {
		return 0, fmt.Errorf("%w: amount %s is not positive", htlc.ErrInvalidTerms, s)
	}
	if v > math.MaxInt64-EscrowOverhead {
		return 0, fmt.Errorf("%w: amount %s is more lumens than can exist", htlc.ErrInvalidTerms, s)
	}
	if canon := amount.StringFromInt64(v); canon != s {
		return 0, fmt.Errorf("%w: write amount %s as %s, the way the rail reads it back", htlc.ErrInvalidTerms, s, canon)
	}
	return v, nil
}

// NormalizeAmount writes lumens ("25.5") the way Terms on this rail need
// them ("25.5000000").
func NormalizeAmount(s string) (string, error) {
	v, err := amount.ParseInt64(s)
	if err != nil {
		return "", fmt.Errorf("%w: amount %q is not lumens: %v", htlc.ErrInvalidTerms, s, err)
	}
	canon := amount.StringFromInt64(v)
	if _, err := ParseAmount(canon); err != nil {
		return "", err
	}
	return canon, nil
}
