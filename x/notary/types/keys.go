package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name and store key.
	ModuleName = "notary"
	// StoreKey is the key of the module's KV store.
	StoreKey = ModuleName
)

// Store prefixes; docs/spec/notary.md lists what each holds.
var (
	ParamsKey       = collections.NewPrefix(0x00)
	SetsKey         = collections.NewPrefix(0x01)
	SourcesKey      = collections.NewPrefix(0x02)
	LedgersKey      = collections.NewPrefix(0x03)
	AttestationsKey = collections.NewPrefix(0x04)
	BySourceKey     = collections.NewPrefix(0x05)
	FinalizedKey    = collections.NewPrefix(0x06)
	ByStatusKey     = collections.NewPrefix(0x07)
	DelayedKey      = collections.NewPrefix(0x08)
	GovernorKey     = collections.NewPrefix(0x09)
	SignaturesKey   = collections.NewPrefix(0x0a)
)

// MaxReleasesPerBlock bounds how many delayed attestations the end block
// executes; the rest wait for the next block.
const MaxReleasesPerBlock = 50
