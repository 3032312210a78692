package types

import (
	errorsmod "cosmossdk.io/errors"

	host "github.com/cosmos/ibc-go/v11/modules/core/24-host"
)

// IBC identity of the vehicle application (docs/spec/vehicle-packet.md).
const (
	// PortID is the port the vehicle application binds on both IBC v1 and v2.
	PortID = ModuleName
	// Version is the application version negotiated on v1 channels and carried in v2 payloads.
	Version = "vinhub-vehicle-1"
	// EncodingProtobuf is the only payload encoding the application accepts.
	EncodingProtobuf = "application/x-protobuf"
)

// NewClientRoute is an IBC v2 route over this chain's light client clientID.
func NewClientRoute(clientID string) Route { return Route{ClientId: clientID} }

// NewChannelRoute is a classic IBC v1 route over channelID on port "vehicle".
func NewChannelRoute(channelID string) Route { return Route{ChannelId: channelID} }

// IsV2 reports whether the route is an IBC v2 client route.
func (r Route) IsV2() bool { return r.ClientId != "" }

// IsEmpty reports whether neither id is set (no route configured).
func (r Route) IsEmpty() bool { return r.ClientId == "" && r.ChannelId == "" }

// Key is the route's canonical string, used as a store key and in events:
// "client/<client-id>" or "channel/<channel-id>". The two namespaces never collide.
func (r Route) Key() string {
	if r.IsV2() {
		return "client/" + r.ClientId
	}
	return "channel/" + r.ChannelId
}

// Validate checks that exactly one identifier is set and is well formed.
func (r Route) Validate() error {
	switch {
	case r.ClientId != "" && r.ChannelId != "":
		return errorsmod.Wrap(ErrInvalidRoute, "set either client_id (IBC v2) or channel_id (IBC v1), not both")
	case r.ClientId != "":
		if err := host.ClientIdentifierValidator(r.ClientId); err != nil {
			return errorsmod.Wrapf(ErrInvalidRoute, "client_id %q: %s", r.ClientId, err)
		}
	case r.ChannelId != "":
		if err := host.ChannelIdentifierValidator(r.ChannelId); err != nil {
			return errorsmod.Wrapf(ErrInvalidRoute, "channel_id %q: %s", r.ChannelId, err)
		}
	default:
		return errorsmod.Wrap(ErrInvalidRoute, "set client_id (an IBC v2 light client id) or channel_id (an IBC v1 channel on port vehicle)")
	}
	return nil
}
