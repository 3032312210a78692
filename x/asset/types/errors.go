package types

import errorsmod "cosmossdk.io/errors"

// Module errors. Every refusal changes nothing.
var (
	ErrInvalidAddress     = errorsmod.Register(ModuleName, 2, "invalid address")
	ErrInvalidAuthority   = errorsmod.Register(ModuleName, 3, "invalid authority")
	ErrInvalidKind        = errorsmod.Register(ModuleName, 4, "invalid asset kind")
	ErrInvalidDescription = errorsmod.Register(ModuleName, 5, "invalid description")
	ErrInvalidEvidence    = errorsmod.Register(ModuleName, 6, "invalid evidence hash")
	ErrUnknownVIN         = errorsmod.Register(ModuleName, 7, "VIN unknown to the hub")
	ErrAssetNotFound      = errorsmod.Register(ModuleName, 8, "asset not found")
	ErrWrongAssetStatus   = errorsmod.Register(ModuleName, 9, "asset not in the required status")
	ErrNotOwner           = errorsmod.Register(ModuleName, 10, "not the asset's owner")
	ErrFrozen             = errorsmod.Register(ModuleName, 11, "asset frozen")
	ErrNotFrozen          = errorsmod.Register(ModuleName, 12, "asset not frozen")
	ErrInvalidAmount      = errorsmod.Register(ModuleName, 13, "invalid amount")
	ErrListed             = errorsmod.Register(ModuleName, 14, "asset listed for sale")
	ErrNotListed          = errorsmod.Register(ModuleName, 15, "asset not listed for sale")
	ErrPriceMismatch      = errorsmod.Register(ModuleName, 16, "price differs from the listing")
	ErrLoanNotFound       = errorsmod.Register(ModuleName, 17, "loan not found")
	ErrWrongLoanStatus    = errorsmod.Register(ModuleName, 18, "loan not in the required status")
	ErrNotLender          = errorsmod.Register(ModuleName, 19, "not the loan's lender")
	ErrNotBorrower        = errorsmod.Register(ModuleName, 20, "not the loan's borrower")
	ErrNotMatured         = errorsmod.Register(ModuleName, 21, "loan not matured")
	ErrRateOutOfBounds    = errorsmod.Register(ModuleName, 22, "interest rate out of bounds")
	ErrInvalidTerm        = errorsmod.Register(ModuleName, 23, "invalid loan term")
	ErrInvalidParams      = errorsmod.Register(ModuleName, 24, "invalid params")
	ErrInvalidGenesis     = errorsmod.Register(ModuleName, 25, "invalid genesis")
	ErrVINHasAsset        = errorsmod.Register(ModuleName, 26, "VIN already has an asset")
	ErrInvalidReason      = errorsmod.Register(ModuleName, 27, "invalid reason")
	ErrSelfDealing        = errorsmod.Register(ModuleName, 28, "self-dealing")
	ErrAlreadyFrozen      = errorsmod.Register(ModuleName, 29, "asset already frozen")
	ErrInsufficientFunds  = errorsmod.Register(ModuleName, 30, "insufficient funds")
	ErrLoanAssetMismatch  = errorsmod.Register(ModuleName, 31, "loan is against another asset")
	ErrInEscrow           = errorsmod.Register(ModuleName, 32, "asset is held in escrow by an open swap")
	ErrTooManyPending     = errorsmod.Register(ModuleName, 33, "too many pending applications")
	// ErrInvalidForeignRepayment is a malformed foreign repayment term in an offer.
	ErrInvalidForeignRepayment = errorsmod.Register(ModuleName, 34, "invalid foreign repayment term")
	// ErrNoForeignRepaymentTerm is a foreign payment in an asset or on a
	// network the loan's offer did not accept.
	ErrNoForeignRepaymentTerm = errorsmod.Register(ModuleName, 35, "loan takes no repayment in this asset on this network")
	// ErrWrongForeignAccount is a foreign payment to an account other than
	// the lender's registered one: it repays nothing.
	ErrWrongForeignAccount = errorsmod.Register(ModuleName, 36, "payment not made to the lender's registered account")
	// ErrInvalidSealed: a malformed sealed envelope, one about something else, or one sealed to an unregistered key.
	ErrInvalidSealed = errorsmod.Register(ModuleName, 37, "invalid sealed envelope")
)
