package types

import "cosmossdk.io/collections"

// MaxRegulators bounds the regulator role's holders: every sealed envelope
// is sealed to each of them, plus the sender and a counterparty, within
// sealed.MaxRecipients (16).
const MaxRegulators = 14

const (
	// ModuleName is the module's name and store key.
	ModuleName = "membership"
	// StoreKey is the key of the module's KV store.
	StoreKey = ModuleName
)

// OperatorsKey prefixes admitted operators, keyed by account address bytes.
var OperatorsKey = collections.NewPrefix(0x00)

// RolesKey prefixes role grants, keyed by (role, account address bytes).
var RolesKey = collections.NewPrefix(0x01)

// EncryptionKeysKey prefixes encryption key versions, keyed by (account address bytes, version).
var EncryptionKeysKey = collections.NewPrefix(0x02)

// KeyOwnersKey prefixes the owner of every registered public key, keyed by the key's bytes.
var KeyOwnersKey = collections.NewPrefix(0x04)

// CurrentKeysKey prefixes each account's current encryption key version, keyed by account address bytes.
var CurrentKeysKey = collections.NewPrefix(0x03)
