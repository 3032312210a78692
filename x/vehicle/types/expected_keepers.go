package types

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	clientv2types "github.com/cosmos/ibc-go/v11/modules/core/02-client/v2/types"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	channeltypesv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"
	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/exported"

	"github.com/vinhub/vinhub/sealed"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
)

// ChannelKeeper is IBC v1 core as the vehicle application uses it.
type ChannelKeeper interface {
	SendPacket(ctx sdk.Context, sourcePort, sourceChannel string, timeoutHeight clienttypes.Height, timeoutTimestamp uint64, data []byte) (uint64, error)
	GetChannel(ctx sdk.Context, portID, channelID string) (channeltypes.Channel, bool)
	GetChannelClientState(ctx sdk.Context, portID, channelID string) (string, ibcexported.ClientState, error)
}

// PacketSenderV2 is IBC v2 core's packet msg server; the module sends its own packets through it.
type PacketSenderV2 interface {
	SendPacket(ctx context.Context, msg *channeltypesv2.MsgSendPacket) (*channeltypesv2.MsgSendPacketResponse, error)
}

// ClientKeeper reads light clients.
type ClientKeeper interface {
	GetClientState(ctx sdk.Context, clientID string) (ibcexported.ClientState, bool)
}

// ClientV2Keeper reads IBC v2 counterparty registrations.
type ClientV2Keeper interface {
	GetClientCounterparty(ctx sdk.Context, clientID string) (clientv2types.CounterpartyInfo, bool)
}

// IBCKeepers are the IBC core keepers the vehicle application needs.
type IBCKeepers struct {
	Channel   ChannelKeeper
	PacketsV2 PacketSenderV2
	Clients   ClientKeeper
	ClientsV2 ClientV2Keeper
}

// VehicleAssets is the hub's asset registry (x/asset) as the lien registry
// asks it: does a VIN back a live hub asset, and who owns it. A dealer lien on
// such a VIN needs that owner's consent. A chain without assets (a dealer
// chain) wires none, and then no consent is asked for.
type VehicleAssets interface {
	// LiveVehicleAsset returns the live asset (not rejected or redeemed) that
	// the canonical VIN backs, if there is one.
	LiveVehicleAsset(ctx context.Context, vin string) (asset LiveAsset, found bool, err error)
}

// LiveAsset is a live hub asset as the lien registry needs it: which asset,
// who owns it, and since when (a consent given before the title last moved
// is a former ownership's, even if the owner bought the car back).
type LiveAsset struct {
	ID uint64
	// Owner is the owner's bech32 address.
	Owner string
	// TitleMovedHeight is the height the title last passed to another
	// account; 0 if never (or not known).
	TitleMovedHeight int64
}

// CreditHooks lets the hub's credit module follow what the vehicle module
// sees of a dealer. The keeper calls it after the record is stored; an error
// is logged and reported as an event, never undoes the record.
type CreditHooks interface {
	// AfterDealerRecordFlagged is called for a record of a dealer that has a
	// hub account when it is appended with a flag not under dispute, and when a
	// dispute resolution judges it wrong.
	AfterDealerRecordFlagged(ctx context.Context, dealerAccount sdk.AccAddress, dealerID string, recordID uint64) error
}

// RoleChecker is x/membership's role registry: examiners resolve odometer
// disputes. A chain without it (a dealer chain) leaves that to governance.
type RoleChecker interface {
	HasRole(ctx context.Context, addr sdk.AccAddress, role membershiptypes.Role) (bool, error)
}

// EvidenceAnchor is the hub's x/anchor as the vehicle module uses it: the
// evidence hash of every appended record is anchored, the first anchoring of
// a hash winning. A chain without it (a dealer chain) anchors nothing.
type EvidenceAnchor interface {
	AnchorRecordEvidence(ctx context.Context, hash []byte, vin, reporter string, recordID uint64) error
}

// RecipientKeys is the hub's x/membership as the vehicle module asks it:
// is every recipient key of a sealed envelope the registered one, and is
// every regulator a recipient. A chain without it (a dealer chain) checks
// envelopes' structure and subject only; the hub checks the keys when the
// record arrives.
type RecipientKeys interface {
	// CheckRecipients checks an envelope of a local record.
	CheckRecipients(ctx context.Context, env *sealed.Envelope) error
	// CheckRelayedRecipients checks an envelope sealed before it reached the
	// hub (IBC, notarised ledger): a regulator's key may have rotated since.
	CheckRelayedRecipients(ctx context.Context, env *sealed.Envelope) error
}
