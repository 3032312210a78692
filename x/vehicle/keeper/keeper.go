package keeper

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	corestore "cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/vinhub/vinhub/x/internal/accaddr"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// Keeper owns the vehicle module's state; see docs/spec/vehicle-state.md for the layout.
type Keeper struct {
	cdc          codec.BinaryCodec
	addressCodec address.Codec
	// authority may register dealers, admit reporters and change params (the gov module account).
	authority string
	// ibc is nil in keepers built without IBC (unit tests of the local half).
	ibc *types.IBCKeepers
	// forwardsToHub makes this chain a dealer chain: every local record is
	// queued for the hub (docs/spec/vehicle-packet.md, dealer side).
	forwardsToHub bool
	// hub is shared by every copy of the keeper: the IBC modules get their
	// copies before the hub wires x/credit and x/asset, and must see them all the same.
	hub *hubSlot

	Schema       collections.Schema
	Params       collections.Item[types.Params]
	NextRecordID collections.Sequence
	// Records holds every record by its hub id.
	Records collections.Map[uint64, types.Record]
	// History indexes records by VIN then time: key (vin, HistoryKey(occurred_at, id)), value the odometer reading.
	History   collections.Map[collections.Pair[string, []byte], uint64]
	Summaries collections.Map[string, types.VehicleSummary]
	Dealers   collections.Map[string, types.Dealer]
	Reporters collections.Map[collections.Pair[string, sdk.AccAddress], types.Reporter]

	// Bindings (hub side) key: (route key, dealer id).
	Bindings collections.Map[collections.Pair[string, string], types.DealerBinding]
	// Origins (hub side) maps (dealer chain id, dealer record id) to the hub record id: the dedupe index.
	Origins collections.Map[collections.Pair[string, uint64], uint64]

	// HubRoute (dealer side) is where records are sent.
	HubRoute collections.Item[types.Route]
	// SyncStates (dealer side) tracks every local record's delivery to the hub.
	SyncStates collections.Map[uint64, types.SyncState]
	// Pending (dealer side) indexes pending records by (attempts, record id):
	// records tried least go first, so a batch the hub keeps refusing (say, of
	// a dealer it has not bound) cannot hold back everyone else's records.
	Pending collections.KeySet[collections.Pair[uint32, uint64]]
	// InFlight (dealer side) indexes in-flight records by record id.
	InFlight collections.KeySet[uint64]

	// NextLienID (hub side) is the id the next granted lien gets.
	NextLienID collections.Sequence
	// Liens (hub side) holds every lien by id; released liens stay as history.
	Liens collections.Map[uint64, types.Lien]
	// ActiveLiens (hub side) maps a VIN to its one active lien: the registry's guarantee.
	ActiveLiens collections.Map[string, uint64]
	// LiensByVIN (hub side) indexes every lien of a VIN, active or released: (vin, lien id).
	LiensByVIN collections.KeySet[collections.Pair[string, uint64]]
	// LiensByHolder (hub side) indexes liens by (party, chain id, lien id), see LienHolder.IndexKey.
	LiensByHolder collections.KeySet[collections.Triple[string, string, uint64]]
	// LiensByLender (hub side) indexes liens by (lender, lien id).
	LiensByLender collections.KeySet[collections.Pair[string, uint64]]
	// FlaggedRecords indexes the records that carry flags by (dealer id, record id).
	FlaggedRecords collections.KeySet[collections.Pair[string, uint64]]

	// NextLienRequestID (dealer side) is the id the next lien request gets.
	NextLienRequestID collections.Sequence
	// LienRequests (dealer side) holds every lien request by id.
	LienRequests collections.Map[uint64, types.LienRequest]
	// OpenLienRequests (dealer side) maps (dealer id, VIN) to the request that is
	// requested, granted or releasing: one at a time per dealer and VIN.
	OpenLienRequests collections.Map[collections.Pair[string, string], uint64]
	// LienRequestsByHubLien (dealer side) maps a granted hub lien id to its request.
	LienRequestsByHubLien collections.Map[uint64, uint64]

	// Disputes holds every odometer dispute by id (the flagged record's id).
	Disputes collections.Map[uint64, types.Dispute]
	// OpenDisputes indexes the disputes waiting for a verdict.
	OpenDisputes collections.KeySet[uint64]
	// WrongReadings indexes the records judged wrong by (VIN, record id): their
	// readings are skipped when later readings are checked.
	WrongReadings collections.KeySet[collections.Pair[string, uint64]]
	// LienAuthorizations (hub side) holds hub asset owners' unused consents to
	// dealer liens, keyed by (VIN, chain id, dealer id).
	LienAuthorizations collections.Map[collections.Triple[string, string, string], types.LienAuthorization]
}

// hubSlot holds what the hub wires in after the keeper is built: the credit
// hooks, the asset registry and the role registry. Nil hooks are a no-op;
// with no asset registry (a dealer chain) no VIN is a hub asset; with no
// role registry only the authority resolves disputes.
type hubSlot struct {
	hooks  types.CreditHooks
	assets types.VehicleAssets
	roles  types.RoleChecker
	// anchors anchors records' evidence hashes (nil: nothing is anchored).
	anchors types.EvidenceAnchor
	// keys checks sealed envelopes' recipient keys (nil: structure only).
	keys types.RecipientKeys
}

// NewKeeper builds the keeper over the module's store.
func NewKeeper(cdc codec.BinaryCodec, storeService corestore.KVStoreService, addressCodec address.Codec, authority string) Keeper {
	if _, err := addressCodec.StringToBytes(authority); err != nil {
		panic(fmt.Errorf("vehicle: invalid authority address %q: %w", authority, err))
	}
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		cdc:          cdc,
		addressCodec: addressCodec,
		authority:    authority,
		Params:       collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		NextRecordID: collections.NewSequence(sb, types.NextRecordIDKey, "next_record_id"),
		Records:      collections.NewMap(sb, types.RecordsKey, "records", collections.Uint64Key, codec.CollValue[types.Record](cdc)),
		History: collections.NewMap(sb, types.HistoryIndexKey, "history",
			collections.PairKeyCodec(collections.StringKey, collections.BytesKey), collections.Uint64Value),
		Summaries: collections.NewMap(sb, types.SummariesKey, "summaries", collections.StringKey, codec.CollValue[types.VehicleSummary](cdc)),
		Dealers:   collections.NewMap(sb, types.DealersKey, "dealers", collections.StringKey, codec.CollValue[types.Dealer](cdc)),
		Reporters: collections.NewMap(sb, types.ReportersKey, "reporters",
			collections.PairKeyCodec(collections.StringKey, sdk.AccAddressKey), codec.CollValue[types.Reporter](cdc)),
		Bindings: collections.NewMap(sb, types.BindingsKey, "bindings",
			collections.PairKeyCodec(collections.StringKey, collections.StringKey), codec.CollValue[types.DealerBinding](cdc)),
		Origins: collections.NewMap(sb, types.OriginsKey, "origins",
			collections.PairKeyCodec(collections.StringKey, collections.Uint64Key), collections.Uint64Value),
		HubRoute:   collections.NewItem(sb, types.HubRouteKey, "hub_route", codec.CollValue[types.Route](cdc)),
		SyncStates: collections.NewMap(sb, types.SyncStatesKey, "sync_states", collections.Uint64Key, codec.CollValue[types.SyncState](cdc)),
		Pending: collections.NewKeySet(sb, types.PendingKey, "pending",
			collections.PairKeyCodec(collections.Uint32Key, collections.Uint64Key)),
		InFlight: collections.NewKeySet(sb, types.InFlightKey, "in_flight", collections.Uint64Key),

		NextLienID:  collections.NewSequence(sb, types.NextLienIDKey, "next_lien_id"),
		Liens:       collections.NewMap(sb, types.LiensKey, "liens", collections.Uint64Key, codec.CollValue[types.Lien](cdc)),
		ActiveLiens: collections.NewMap(sb, types.ActiveLiensKey, "active_liens", collections.StringKey, collections.Uint64Value),
		LiensByVIN: collections.NewKeySet(sb, types.LiensByVINKey, "liens_by_vin",
			collections.PairKeyCodec(collections.StringKey, collections.Uint64Key)),
		LiensByHolder: collections.NewKeySet(sb, types.LiensByHolderKey, "liens_by_holder",
			collections.TripleKeyCodec(collections.StringKey, collections.StringKey, collections.Uint64Key)),
		LiensByLender: collections.NewKeySet(sb, types.LiensByLenderKey, "liens_by_lender",
			collections.PairKeyCodec(collections.StringKey, collections.Uint64Key)),
		FlaggedRecords: collections.NewKeySet(sb, types.FlaggedRecordsKey, "flagged_records",
			collections.PairKeyCodec(collections.StringKey, collections.Uint64Key)),

		NextLienRequestID: collections.NewSequence(sb, types.NextLienRequestIDKey, "next_lien_request_id"),
		LienRequests:      collections.NewMap(sb, types.LienRequestsKey, "lien_requests", collections.Uint64Key, codec.CollValue[types.LienRequest](cdc)),
		OpenLienRequests: collections.NewMap(sb, types.OpenLienRequestsKey, "open_lien_requests",
			collections.PairKeyCodec(collections.StringKey, collections.StringKey), collections.Uint64Value),
		LienRequestsByHubLien: collections.NewMap(sb, types.LienRequestsByHubLienKey, "lien_requests_by_hub_lien",
			collections.Uint64Key, collections.Uint64Value),
		LienAuthorizations: collections.NewMap(sb, types.LienAuthorizationsKey, "lien_authorizations",
			collections.TripleKeyCodec(collections.StringKey, collections.StringKey, collections.StringKey),
			codec.CollValue[types.LienAuthorization](cdc)),
		Disputes:     collections.NewMap(sb, types.DisputesKey, "disputes", collections.Uint64Key, codec.CollValue[types.Dispute](cdc)),
		OpenDisputes: collections.NewKeySet(sb, types.OpenDisputesKey, "open_disputes", collections.Uint64Key),
		WrongReadings: collections.NewKeySet(sb, types.WrongReadingsKey, "wrong_readings",
			collections.PairKeyCodec(collections.StringKey, collections.Uint64Key)),

		hub: &hubSlot{},
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// WithIBC returns the keeper wired to IBC core, able to send and receive vehicle packets.
func (k Keeper) WithIBC(ibc types.IBCKeepers) Keeper {
	k.ibc = &ibc
	return k
}

// WithHubForwarding returns the keeper of a dealer chain: every record it
// appends is queued for the hub and sent over the hub route.
func (k Keeper) WithHubForwarding() Keeper {
	k.forwardsToHub = true
	return k
}

// SetCreditHooks installs the credit hooks. It affects every copy of the
// keeper already handed out (they share one slot); it panics if hooks are
// already set, which would be a wiring mistake.
func (k Keeper) SetCreditHooks(h types.CreditHooks) {
	if k.hub.hooks != nil {
		panic("vehicle: credit hooks already set")
	}
	k.hub.hooks = h
}

// SetVehicleAssets installs the hub's asset registry, which makes a dealer
// lien on a VIN backing a live hub asset need its owner's consent. Like
// SetCreditHooks it reaches every copy of the keeper and panics if set twice.
// A dealer chain never calls it.
func (k Keeper) SetVehicleAssets(a types.VehicleAssets) {
	if k.hub.assets != nil {
		panic("vehicle: asset registry already set")
	}
	k.hub.assets = a
}

// SetRoleChecker installs the role registry whose examiners may resolve
// odometer disputes. Like SetCreditHooks it reaches every copy of the keeper
// and panics if called twice.
func (k Keeper) SetRoleChecker(r types.RoleChecker) {
	if k.hub.roles != nil {
		panic("vehicle: role checker already set")
	}
	k.hub.roles = r
}

// SetEvidenceAnchor installs the hub's evidence anchoring: every record
// appended from then on has its evidence hash anchored. Like SetCreditHooks
// it reaches every copy of the keeper and panics if called twice.
func (k Keeper) SetEvidenceAnchor(a types.EvidenceAnchor) {
	if k.hub.anchors != nil {
		panic("vehicle: evidence anchor already set")
	}
	k.hub.anchors = a
}

// SetRecipientKeys installs the registry of encryption keys that sealed
// envelopes' recipients must be registered in. Like SetCreditHooks it
// reaches every copy of the keeper and panics if called twice.
func (k Keeper) SetRecipientKeys(r types.RecipientKeys) {
	if k.hub.keys != nil {
		panic("vehicle: recipient keys already set")
	}
	k.hub.keys = r
}

// ModuleAddress is the vehicle module account, the only signer allowed to send vehicle packets.
func ModuleAddress() sdk.AccAddress { return authtypes.NewModuleAddress(types.ModuleName) }

// Authority returns the address allowed to govern the module.
func (k Keeper) Authority() string { return k.authority }

// GetParams returns the module parameters.
func (k Keeper) GetParams(ctx context.Context) (types.Params, error) {
	return k.Params.Get(ctx)
}

func (k Keeper) checkAuthority(signer string) error {
	if !accaddr.Same(signer, k.authority) {
		return errorsmod.Wrapf(types.ErrInvalidAuthority, "expected %s (the governance module account), got %s; submit this message in a governance proposal", k.authority, signer)
	}
	return nil
}

// HistoryKey is the second half of a history index key: occurred_at as
// order-preserving signed nanoseconds, then the record id, both big-endian.
func HistoryKey(occurredAt time.Time, id uint64) []byte {
	key := make([]byte, 16)
	binary.BigEndian.PutUint64(key[:8], uint64(occurredAt.UnixNano())^(1<<63))
	binary.BigEndian.PutUint64(key[8:], id)
	return key
}

// historyKeyTime decodes the time half of a HistoryKey.
func historyKeyTime(key []byte) time.Time {
	return time.Unix(0, int64(binary.BigEndian.Uint64(key[:8])^(1<<63))).UTC()
}

// historyKeyID decodes the record id half of a HistoryKey.
func historyKeyID(key []byte) uint64 {
	return binary.BigEndian.Uint64(key[8:])
}
