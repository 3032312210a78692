package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name and store key. It is not "evidence",
	// the SDK's double-sign evidence module.
	ModuleName = "anchor"
	// StoreKey is the key of the module's KV store.
	StoreKey = ModuleName
)

// Store prefixes; docs/spec/anchor.md lists what each holds and how to prove it.
var (
	// AnchoringsKey prefixes anchorings, keyed by the raw 32-byte SHA-256.
	AnchoringsKey = collections.NewPrefix(0x00)
	// ByVINKey prefixes the index (vin, sha256) of anchorings about a VIN.
	ByVINKey = collections.NewPrefix(0x01)
)
