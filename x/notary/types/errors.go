package types

import errorsmod "cosmossdk.io/errors"

// Module errors. Every refusal changes nothing.
var (
	ErrInvalidAddress      = errorsmod.Register(ModuleName, 2, "invalid address")
	ErrInvalidAuthority    = errorsmod.Register(ModuleName, 3, "invalid authority")
	ErrInvalidObservation  = errorsmod.Register(ModuleName, 4, "invalid observation")
	ErrObservationTooLarge = errorsmod.Register(ModuleName, 5, "observation too large")
	ErrUnknownSource       = errorsmod.Register(ModuleName, 6, "the hub does not accept observations of this source")
	ErrUnknownSet          = errorsmod.Register(ModuleName, 7, "no notary set with this version")
	ErrStaleSet            = errorsmod.Register(ModuleName, 8, "notary set replaced and past its grace window")
	ErrNotInSet            = errorsmod.Register(ModuleName, 9, "signer is not a member of this notary set")
	ErrBadSignature        = errorsmod.Register(ModuleName, 10, "signature does not verify")
	ErrDuplicateSigner     = errorsmod.Register(ModuleName, 11, "this member already signed this attestation")
	ErrAlreadyFinal        = errorsmod.Register(ModuleName, 12, "this source event was already attested (replay)")
	ErrNotFound            = errorsmod.Register(ModuleName, 13, "not found")
	ErrInvalidSet          = errorsmod.Register(ModuleName, 14, "invalid notary set")
	ErrInvalidParams       = errorsmod.Register(ModuleName, 15, "invalid params")
	ErrInvalidGenesis      = errorsmod.Register(ModuleName, 16, "invalid genesis")
	ErrNotDelayed          = errorsmod.Register(ModuleName, 17, "attestation is not delayed")
	ErrNoEquivocation      = errorsmod.Register(ModuleName, 18, "no equivocation held for this source event")
	ErrLedgerNotBound      = errorsmod.Register(ModuleName, 19, "ledger is not bound to a dealer")
	ErrUnknownDealer       = errorsmod.Register(ModuleName, 20, "unknown dealer")
	ErrUnknownAsset        = errorsmod.Register(ModuleName, 21, "payment asset has no governor limit on this source")
	ErrInvalidSource       = errorsmod.Register(ModuleName, 22, "invalid source")
	ErrInvalidSignature    = errorsmod.Register(ModuleName, 23, "signature must be 64 bytes (BIP-340)")
	ErrNotFinal            = errorsmod.Register(ModuleName, 24, "attestation has not reached its threshold")
)
