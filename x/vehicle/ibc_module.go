package vehicle

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	porttypes "github.com/cosmos/ibc-go/v11/modules/core/05-port/types"
	ibcerrors "github.com/cosmos/ibc-go/v11/modules/core/errors"
	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/exported"

	"github.com/vinhub/vinhub/x/vehicle/keeper"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

var _ porttypes.IBCModule = IBCModule{}

// IBCModule is the vehicle application on classic IBC v1 channels, so that
// off-the-shelf relayers can serve dealers. Packet logic is the keeper's,
// shared with the IBC v2 module in x/vehicle/v2.
type IBCModule struct{ keeper keeper.Keeper }

// NewIBCModule returns the v1 vehicle application over the keeper.
func NewIBCModule(k keeper.Keeper) IBCModule { return IBCModule{keeper: k} }

// validateChannel checks what every vehicle channel must be: UNORDERED (a
// late packet must not block the ones behind it; the hub orders history by
// record time, not by arrival) and on port "vehicle" at both ends — a hub
// trusts only the counterparty's vehicle module, never another port (say, a
// contract's) that could write arbitrary records.
func validateChannel(order channeltypes.Order, portID string, counterparty channeltypes.Counterparty) error {
	if order != channeltypes.UNORDERED {
		return errorsmod.Wrapf(types.ErrInvalidChannel, "vehicle channels are UNORDERED, got %s", order)
	}
	if portID != types.PortID || counterparty.PortId != types.PortID {
		return errorsmod.Wrapf(types.ErrInvalidChannel, "vehicle channels join port %q to port %q, got %q to %q", types.PortID, types.PortID, portID, counterparty.PortId)
	}
	return nil
}

func validateVersion(version string) error {
	if version != types.Version {
		return errorsmod.Wrapf(types.ErrInvalidChannel, "channel version must be %q, got %q", types.Version, version)
	}
	return nil
}

// OnChanOpenInit accepts an empty version (and proposes ours) or exactly ours.
func (IBCModule) OnChanOpenInit(_ sdk.Context, order channeltypes.Order, _ []string, portID, _ string, counterparty channeltypes.Counterparty, version string) (string, error) {
	if err := validateChannel(order, portID, counterparty); err != nil {
		return "", err
	}
	if version == "" {
		return types.Version, nil
	}
	return version, validateVersion(version)
}

// OnChanOpenTry refuses a counterparty that proposes another version rather
// than silently counter-proposing: a wrong version is a misconfigured peer.
func (IBCModule) OnChanOpenTry(_ sdk.Context, order channeltypes.Order, _ []string, portID, _ string, counterparty channeltypes.Counterparty, counterpartyVersion string) (string, error) {
	if err := validateChannel(order, portID, counterparty); err != nil {
		return "", err
	}
	return types.Version, validateVersion(counterpartyVersion)
}

// OnChanOpenAck checks the version the counterparty settled on.
func (IBCModule) OnChanOpenAck(_ sdk.Context, _, _, _ string, counterpartyVersion string) error {
	return validateVersion(counterpartyVersion)
}

// OnChanOpenConfirm has nothing to check.
func (IBCModule) OnChanOpenConfirm(sdk.Context, string, string) error { return nil }

// OnChanCloseInit refuses: closing a vehicle channel would strand in-flight
// records; unbind the dealer on the hub instead.
func (IBCModule) OnChanCloseInit(sdk.Context, string, string) error {
	return errorsmod.Wrap(ibcerrors.ErrInvalidRequest, "vehicle channels cannot be closed by users; unbind the dealer instead")
}

// OnChanCloseConfirm accepts a close the counterparty completed.
func (IBCModule) OnChanCloseConfirm(sdk.Context, string, string) error { return nil }

// OnRecvPacket applies the packet on the hub side; the route is this chain's channel end.
func (im IBCModule) OnRecvPacket(ctx sdk.Context, _ string, packet channeltypes.Packet, _ sdk.AccAddress) ibcexported.Acknowledgement {
	return im.keeper.OnRecvPacket(ctx, types.NewChannelRoute(packet.DestinationChannel), packet.Sequence, packet.Data)
}

// OnAcknowledgementPacket settles the packet's records on the dealer side.
func (im IBCModule) OnAcknowledgementPacket(ctx sdk.Context, _ string, packet channeltypes.Packet, acknowledgement []byte, _ sdk.AccAddress) error {
	return im.keeper.OnAcknowledgementPacket(ctx, types.NewChannelRoute(packet.SourceChannel), packet.Sequence, packet.Data, acknowledgement)
}

// OnTimeoutPacket returns the packet's records to pending on the dealer side.
func (im IBCModule) OnTimeoutPacket(ctx sdk.Context, _ string, packet channeltypes.Packet, _ sdk.AccAddress) error {
	return im.keeper.OnTimeoutPacket(ctx, types.NewChannelRoute(packet.SourceChannel), packet.Sequence, packet.Data)
}

// SetICS4Wrapper is a no-op: the vehicle application sits on IBC core with
// no middleware and sends through the channel keeper directly.
func (IBCModule) SetICS4Wrapper(porttypes.ICS4Wrapper) {}
