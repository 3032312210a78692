package types

import errorsmod "cosmossdk.io/errors"

// Module errors.
var (
	ErrNotAdmitted      = errorsmod.Register(ModuleName, 2, "operator not admitted")
	ErrInvalidAuthority = errorsmod.Register(ModuleName, 3, "invalid authority")
	ErrInvalidAddress   = errorsmod.Register(ModuleName, 4, "invalid address")
	ErrAlreadyAdmitted  = errorsmod.Register(ModuleName, 5, "operator already admitted")
	ErrInvalidGenesis   = errorsmod.Register(ModuleName, 6, "invalid genesis")
	ErrInvalidNote      = errorsmod.Register(ModuleName, 7, "invalid note")
	ErrMissingRole      = errorsmod.Register(ModuleName, 8, "role not held")
	ErrInvalidRole      = errorsmod.Register(ModuleName, 9, "invalid role")
	ErrRoleHeld         = errorsmod.Register(ModuleName, 10, "role already held")
	ErrInvalidKey       = errorsmod.Register(ModuleName, 11, "invalid encryption key")
	ErrNotMember        = errorsmod.Register(ModuleName, 12, "not a member")
	ErrKeyByGovernance  = errorsmod.Register(ModuleName, 13, "encryption key set by governance")
	ErrKeyNotFound      = errorsmod.Register(ModuleName, 14, "encryption key not found")
	ErrKeyUnchanged     = errorsmod.Register(ModuleName, 15, "encryption key unchanged")
)
