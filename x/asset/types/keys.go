package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, store key and module account.
	ModuleName = "asset"
	// StoreKey is the key of the module's KV store.
	StoreKey = ModuleName
)

// Store prefixes; docs/spec/asset.md lists what each holds.
var (
	ParamsKey        = collections.NewPrefix(0x00)
	NextAssetIDKey   = collections.NewPrefix(0x01)
	AssetsKey        = collections.NewPrefix(0x02)
	AssetsByOwnerKey = collections.NewPrefix(0x03)
	AssetsByStatus   = collections.NewPrefix(0x04)
	AssetsByVINKey   = collections.NewPrefix(0x05)
	FrozenKey        = collections.NewPrefix(0x06)
	NextLoanIDKey    = collections.NewPrefix(0x07)
	LoansKey         = collections.NewPrefix(0x08)
	LoansByStatusKey = collections.NewPrefix(0x09)
	AccountLoansKey  = collections.NewPrefix(0x0a)
	// AssetsByOwnerStatusKey indexes assets by (owner, status).
	AssetsByOwnerStatusKey = collections.NewPrefix(0x0b)
)
