package types

import "cosmossdk.io/collections"

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
