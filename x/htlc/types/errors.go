package types

import errorsmod "cosmossdk.io/errors"

// Module errors. Every refusal changes nothing.
var (
	ErrInvalidAddress    = errorsmod.Register(ModuleName, 2, "invalid address")
	ErrInvalidAuthority  = errorsmod.Register(ModuleName, 3, "invalid authority")
	ErrInvalidHashLock   = errorsmod.Register(ModuleName, 4, "hash lock must be the hex SHA-256 (64 hex characters) of a 32-byte secret")
	ErrInvalidSecret     = errorsmod.Register(ModuleName, 5, "secret must be hex")
	ErrSecretLength      = errorsmod.Register(ModuleName, 6, "secret must be exactly 32 bytes (64 hex characters)")
	ErrWrongSecret       = errorsmod.Register(ModuleName, 7, "secret does not match the hash lock")
	ErrInvalidAmount     = errorsmod.Register(ModuleName, 8, "invalid amount")
	ErrInvalidEscrow     = errorsmod.Register(ModuleName, 9, "lock either coins (amount) or one asset title (asset_id), not both or neither")
	ErrInvalidExpiry     = errorsmod.Register(ModuleName, 10, "expiry outside the allowed lock duration")
	ErrHashUsed          = errorsmod.Register(ModuleName, 11, "hash lock already used by this sender; draw a new secret")
	ErrNotFound          = errorsmod.Register(ModuleName, 12, "htlc not found")
	ErrAlreadyClaimed    = errorsmod.Register(ModuleName, 13, "htlc already claimed")
	ErrAlreadyRefunded   = errorsmod.Register(ModuleName, 14, "htlc already refunded")
	ErrExpired           = errorsmod.Register(ModuleName, 15, "htlc expired: it can only be refunded")
	ErrNotExpired        = errorsmod.Register(ModuleName, 16, "htlc not expired yet: it can only be claimed")
	ErrSelfLock          = errorsmod.Register(ModuleName, 17, "sender and recipient are the same account")
	ErrInsufficientFunds = errorsmod.Register(ModuleName, 18, "insufficient funds")
	ErrInvalidParams     = errorsmod.Register(ModuleName, 19, "invalid params")
	ErrInvalidGenesis    = errorsmod.Register(ModuleName, 20, "invalid genesis")
	ErrInvalidID         = errorsmod.Register(ModuleName, 21, "htlc id must be 64 hex characters")
	ErrSecretPublic      = errorsmod.Register(ModuleName, 22, "the secret of this hash lock is public (revealed on another rail): anyone could claim a lock under it; draw a new secret")
	ErrInvalidEvidence   = errorsmod.Register(ModuleName, 23, "evidence must name what proved the secret (an attestation id): 1-128 of A-Z a-z 0-9 . _ : / -")
)
