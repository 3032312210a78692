package types

import errorsmod "cosmossdk.io/errors"

// Module errors. Codes are stable: clients and dealer chains match on them.
var (
	ErrInvalidVIN           = errorsmod.Register(ModuleName, 2, "invalid VIN")
	ErrInvalidRecord        = errorsmod.Register(ModuleName, 3, "invalid record")
	ErrFutureTimestamp      = errorsmod.Register(ModuleName, 4, "record timestamp too far in the future")
	ErrEmptyBatch           = errorsmod.Register(ModuleName, 5, "empty record batch")
	ErrBatchTooLarge        = errorsmod.Register(ModuleName, 6, "record batch too large")
	ErrUnknownDealer        = errorsmod.Register(ModuleName, 7, "unknown dealer")
	ErrDealerRevoked        = errorsmod.Register(ModuleName, 8, "dealer revoked")
	ErrUnauthorizedReporter = errorsmod.Register(ModuleName, 9, "reporter not admitted for this dealer")
	ErrInvalidEvidenceHash  = errorsmod.Register(ModuleName, 10, "invalid evidence hash")
	ErrInvalidAuthority     = errorsmod.Register(ModuleName, 11, "invalid authority")
	ErrInvalidParams        = errorsmod.Register(ModuleName, 12, "invalid params")
	ErrRecordNotFound       = errorsmod.Register(ModuleName, 13, "record not found")
	ErrInvalidDealerID      = errorsmod.Register(ModuleName, 14, "invalid dealer id")
	ErrReporterNotFound     = errorsmod.Register(ModuleName, 15, "reporter not found")
	ErrInvalidAddress       = errorsmod.Register(ModuleName, 16, "invalid address")
	ErrInvalidGenesis       = errorsmod.Register(ModuleName, 17, "invalid genesis")
	ErrVehicleNotFound      = errorsmod.Register(ModuleName, 18, "vehicle not found")
)
