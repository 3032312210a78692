package types

import errorsmod "cosmossdk.io/errors"

// Module errors. Codes are stable: other modules and clients match on them.
var (
	ErrScoreTooLow      = errorsmod.Register(ModuleName, 2, "credit score too low")
	ErrInvalidGate      = errorsmod.Register(ModuleName, 3, "invalid credit gate")
	ErrInvalidAuthority = errorsmod.Register(ModuleName, 4, "invalid authority")
	ErrInvalidAddress   = errorsmod.Register(ModuleName, 5, "invalid address")
	ErrInvalidParams    = errorsmod.Register(ModuleName, 6, "invalid params")
	ErrInvalidGenesis   = errorsmod.Register(ModuleName, 7, "invalid genesis")
	ErrProfileNotFound  = errorsmod.Register(ModuleName, 8, "credit profile not found")
)
