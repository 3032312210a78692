package types

import (
	"context"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// MembershipKeeper is x/membership as the notary module uses it: a notary
// must hold the notary role when it signs, so a revoked notary stops at once.
type MembershipKeeper interface {
	CheckRole(ctx context.Context, addr sdk.AccAddress, role membershiptypes.Role) error
}

// VehicleKeeper is x/vehicle as the notary module uses it: a ledger is
// bound to a registered dealer, and a final VehicleRecord attestation is
// appended through the same validation as records from reporters and IBC.
type VehicleKeeper interface {
	CheckDealer(ctx context.Context, dealerID string) error
	AppendAttestedRecord(ctx context.Context, dealerID string, in vehicletypes.RecordInput, origin vehicletypes.LedgerOrigin) (vehicletypes.Record, error)
}

// ForeignPayment is a final Payment attestation naming a hub loan.
type ForeignPayment struct {
	LoanID        uint64
	Platform      Platform
	NetworkID     string
	Asset         string
	Amount        math.Int
	From, To      string
	AttestationID string
}

// LoanKeeper is x/asset as the notary module uses it: a payment on another
// rail to the lender's registered account counts as repayment of the loan.
// It returns what it did, for the attestation's result.
type LoanKeeper interface {
	RepayAcrossRails(ctx context.Context, p ForeignPayment) (string, error)
}

// HTLCKeeper is x/htlc as the notary module uses it: a secret revealed by
// a claim on another rail is published on the hub HTLCs under that hash.
type HTLCKeeper interface {
	PublishForeignSecret(ctx context.Context, hashLock, secret, evidence string) (string, error)
}
