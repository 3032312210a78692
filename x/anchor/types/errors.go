package types

import errorsmod "cosmossdk.io/errors"

// Module errors.
var (
	ErrInvalidHash      = errorsmod.Register(ModuleName, 2, "invalid evidence hash")
	ErrInvalidKind      = errorsmod.Register(ModuleName, 3, "invalid evidence kind")
	ErrInvalidVIN       = errorsmod.Register(ModuleName, 4, "invalid vin")
	ErrInvalidSubmitter = errorsmod.Register(ModuleName, 5, "invalid submitter")
	ErrNotAnchored      = errorsmod.Register(ModuleName, 6, "hash not anchored")
	ErrInvalidGenesis   = errorsmod.Register(ModuleName, 7, "invalid genesis")
	ErrInvalidNote      = errorsmod.Register(ModuleName, 8, "invalid sealed note")
)
