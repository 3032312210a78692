package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, store key and module account (the escrow).
	ModuleName = "htlc"
	// StoreKey is the key of the module's KV store.
	StoreKey = ModuleName
)

// Store prefixes; docs/spec/htlc.md lists what each holds. 0x02 is retired
// (it indexed hash → id when a hash was unique on the whole chain) and is
// never reused, so keys an older binary wrote there are never misread.
var (
	ParamsKey        = collections.NewPrefix(0x00)
	HTLCsKey         = collections.NewPrefix(0x01)
	ByParticipantKey = collections.NewPrefix(0x03)
	ExpiringKey      = collections.NewPrefix(0x04)
	ByHashSenderKey  = collections.NewPrefix(0x05)
	PublishedKey     = collections.NewPrefix(0x06)
)

// MaxAutoRefundsPerBlock bounds the end-block refunds; the rest wait for the next block.
const MaxAutoRefundsPerBlock = 200
