package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name and store key.
	ModuleName = "credit"
	// StoreKey is the key of the module's KV store.
	StoreKey = ModuleName
)

// Store prefixes; never renumber them.
var (
	// ParamsKey holds the module parameters.
	ParamsKey = collections.NewPrefix(0x00)
	// ProfilesKey prefixes credit profiles, keyed by account address bytes.
	ProfilesKey = collections.NewPrefix(0x01)
)
