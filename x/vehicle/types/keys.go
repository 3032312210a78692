package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, store key and router key.
	ModuleName = "vehicle"
	// StoreKey is the key of the module's KV store.
	StoreKey = ModuleName
)

// Store prefixes. They are part of the documented store layout
// (docs/spec/vehicle-state.md) that auditors prove records against: never
// renumber them.
var (
	ParamsKey       = collections.NewPrefix(0x00)
	NextRecordIDKey = collections.NewPrefix(0x01)
	RecordsKey      = collections.NewPrefix(0x02)
	HistoryIndexKey = collections.NewPrefix(0x03)
	SummariesKey    = collections.NewPrefix(0x04)
	DealersKey      = collections.NewPrefix(0x05)
	ReportersKey    = collections.NewPrefix(0x06)
	// Hub side of the IBC application.
	BindingsKey = collections.NewPrefix(0x07)
	OriginsKey  = collections.NewPrefix(0x08)
	// Dealer side of the IBC application.
	HubRouteKey   = collections.NewPrefix(0x09)
	SyncStatesKey = collections.NewPrefix(0x0a)
	PendingKey    = collections.NewPrefix(0x0b)
	InFlightKey   = collections.NewPrefix(0x0c)
	// Lien registry (hub side).
	NextLienIDKey    = collections.NewPrefix(0x0d)
	LiensKey         = collections.NewPrefix(0x0e)
	ActiveLiensKey   = collections.NewPrefix(0x0f)
	LiensByVINKey    = collections.NewPrefix(0x10)
	LiensByHolderKey = collections.NewPrefix(0x11)
	LiensByLenderKey = collections.NewPrefix(0x12)
	// FlaggedRecordsKey indexes records that carry flags by dealer.
	FlaggedRecordsKey = collections.NewPrefix(0x13)
	// Lien requests (dealer side).
	NextLienRequestIDKey     = collections.NewPrefix(0x14)
	LienRequestsKey          = collections.NewPrefix(0x15)
	OpenLienRequestsKey      = collections.NewPrefix(0x16)
	LienRequestsByHubLienKey = collections.NewPrefix(0x17)
	// Odometer disputes (both sides).
	DisputesKey      = collections.NewPrefix(0x18)
	OpenDisputesKey  = collections.NewPrefix(0x19)
	WrongReadingsKey = collections.NewPrefix(0x1a)
	// LienAuthorizationsKey holds hub asset owners' consents to dealer liens
	// (hub side).
	LienAuthorizationsKey = collections.NewPrefix(0x1b)
)
