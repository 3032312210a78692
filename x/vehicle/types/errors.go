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

	ErrInvalidRoute           = errorsmod.Register(ModuleName, 19, "invalid IBC route")
	ErrRouteNotFound          = errorsmod.Register(ModuleName, 20, "IBC route not found")
	ErrUnboundRoute           = errorsmod.Register(ModuleName, 21, "no dealer is bound to this IBC route")
	ErrDealerNotBound         = errorsmod.Register(ModuleName, 22, "dealer not bound to this IBC route")
	ErrInvalidPacketData      = errorsmod.Register(ModuleName, 23, "invalid vehicle packet data")
	ErrUnknownPacketType      = errorsmod.Register(ModuleName, 24, "unknown vehicle packet type")
	ErrInvalidChannel         = errorsmod.Register(ModuleName, 25, "invalid vehicle channel")
	ErrNoHubRoute             = errorsmod.Register(ModuleName, 26, "no route to the hub")
	ErrNothingPending         = errorsmod.Register(ModuleName, 27, "no pending records")
	ErrInvalidAcknowledgement = errorsmod.Register(ModuleName, 28, "invalid vehicle acknowledgement")
	ErrBindingNotFound        = errorsmod.Register(ModuleName, 29, "dealer binding not found")
	ErrUnauthorizedSender     = errorsmod.Register(ModuleName, 30, "only the vehicle module sends vehicle packets")

	ErrLienHeld      = errorsmod.Register(ModuleName, 31, "VIN already has an active lien")
	ErrNotLienHolder = errorsmod.Register(ModuleName, 32, "not the holder of this lien")
	ErrLienNotFound  = errorsmod.Register(ModuleName, 33, "lien not found")
	ErrInvalidLien   = errorsmod.Register(ModuleName, 34, "invalid lien")

	ErrNotDealerChain      = errorsmod.Register(ModuleName, 35, "not a dealer chain")
	ErrLienRequestOpen     = errorsmod.Register(ModuleName, 36, "dealer already has an open lien request for this VIN")
	ErrLienRequestNotFound = errorsmod.Register(ModuleName, 37, "lien request not found")
	ErrLienRequestState    = errorsmod.Register(ModuleName, 38, "lien request cannot be released in its state")

	// 39-42 are left to the odometer disputes being added beside the lien fixes.
	ErrLienNotAuthorized         = errorsmod.Register(ModuleName, 43, "the VIN's hub asset owner has not authorized this lien")
	ErrNotVehicleOwner           = errorsmod.Register(ModuleName, 44, "not the owner of the VIN's live hub asset")
	ErrLienAuthorizationNotFound = errorsmod.Register(ModuleName, 45, "lien authorization not found")
	ErrLienNotActive             = errorsmod.Register(ModuleName, 46, "lien is not active")
	ErrLienHeldByModule          = errorsmod.Register(ModuleName, 47, "lien is held by a hub module")
)
