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
	// ErrKeyTaken: a public key already registered, by another account or
	// as an earlier version of the same one: a key belongs to one account.
	ErrKeyTaken = errorsmod.Register(ModuleName, 16, "encryption key already registered")
	// ErrKeyMismatch: a sealed envelope's recipient entry names another key
	// than the one registered under its key id (a substituted key).
	ErrKeyMismatch = errorsmod.Register(ModuleName, 17, "sealed to another key than the registered one")
	// ErrRegulatorNotRecipient: a sealed envelope on the hub that leaves out
	// a regulator with a key set by governance.
	ErrRegulatorNotRecipient = errorsmod.Register(ModuleName, 18, "regulator not a recipient")
	// ErrTooManyRegulators: a regulator grant beyond MaxRegulators.
	ErrTooManyRegulators = errorsmod.Register(ModuleName, 19, "too many regulators")
)
