package types

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/sealed"
	credittypes "github.com/vinhub/vinhub/x/credit/types"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// BankKeeper moves the coins of sales, loans and fees.
type BankKeeper interface {
	SendCoins(ctx context.Context, from, to sdk.AccAddress, amt sdk.Coins) error
	SendCoinsFromAccountToModule(ctx context.Context, from sdk.AccAddress, module string, amt sdk.Coins) error
	SendCoinsFromModuleToAccount(ctx context.Context, module string, to sdk.AccAddress, amt sdk.Coins) error
	SpendableCoins(ctx context.Context, addr sdk.AccAddress) sdk.Coins
	GetAllBalances(ctx context.Context, addr sdk.AccAddress) sdk.Coins
	// BlockedAddr is true for module accounts, which can never sign to move a title on.
	BlockedAddr(addr sdk.AccAddress) bool
}

// VehicleRegistry is x/vehicle as the asset module uses it: VIN histories and the lien registry.
type VehicleRegistry interface {
	HasVehicle(ctx context.Context, vin string) (bool, error)
	GrantLien(ctx context.Context, vin string, holder vehicletypes.LienHolder) (vehicletypes.Lien, error)
	ReleaseLien(ctx context.Context, id uint64, by vehicletypes.LienHolder, reason string) (vehicletypes.Lien, error)
	Lien(ctx context.Context, id uint64) (vehicletypes.Lien, error)
	ActiveLien(ctx context.Context, vin string) (vehicletypes.Lien, bool, error)
	// AppendOwnershipRecord writes a vehicle title move into the VIN's history.
	AppendOwnershipRecord(ctx context.Context, vin string, origin vehicletypes.TitleOrigin) (vehicletypes.Record, error)
}

// RoleChecker is x/membership's role registry, and its registry of
// encryption keys that sealed envelopes' recipients must be in.
type RoleChecker interface {
	CheckRole(ctx context.Context, addr sdk.AccAddress, role membershiptypes.Role) error
	HasRole(ctx context.Context, addr sdk.AccAddress, role membershiptypes.Role) (bool, error)
	CheckRecipients(ctx context.Context, env *sealed.Envelope) error
}

// CreditKeeper is x/credit: the score gates and the behaviour hooks.
type CreditKeeper interface {
	CheckScore(ctx context.Context, addr sdk.AccAddress, gate credittypes.Gate) error
	RecordActivity(ctx context.Context, addr sdk.AccAddress) error
	RecordRepayment(ctx context.Context, borrower sdk.AccAddress, onTime bool) error
	RecordDefault(ctx context.Context, borrower sdk.AccAddress) error
	RecordTrade(ctx context.Context, addr sdk.AccAddress) error
	RecordRejection(ctx context.Context, applicant sdk.AccAddress) error
}

// EvidenceAnchor is x/anchor as the asset module uses it: the evidence
// hashes of an accepted application or valuation are anchored, the first
// anchoring of a hash winning. A keeper without one anchors nothing.
type EvidenceAnchor interface {
	AnchorApplicationEvidence(ctx context.Context, hash []byte, vin, owner string, assetID uint64) error
	AnchorValuationEvidence(ctx context.Context, hash []byte, vin, examiner string, assetID uint64, index int) error
}
