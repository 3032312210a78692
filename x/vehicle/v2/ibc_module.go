package v2

import (
	"bytes"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	channeltypesv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"
	"github.com/cosmos/ibc-go/v11/modules/core/api"

	"github.com/vinhub/vinhub/x/vehicle/keeper"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

var _ api.IBCModule = IBCModule{}

// IBCModule is the vehicle application on IBC v2 (clients with registered
// counterparties, no handshakes). Packet logic is the keeper's, shared with
// the v1 module in x/vehicle.
type IBCModule struct{ keeper keeper.Keeper }

// NewIBCModule returns the v2 vehicle application over the keeper.
func NewIBCModule(k keeper.Keeper) IBCModule { return IBCModule{keeper: k} }

// checkPayload holds v2 payloads to what a v1 handshake would have
// negotiated: port "vehicle" on both ends, our version, protobuf encoding.
func checkPayload(p channeltypesv2.Payload) error {
	if p.SourcePort != types.PortID || p.DestinationPort != types.PortID {
		return errorsmod.Wrapf(types.ErrInvalidChannel, "vehicle payloads go from port %q to port %q, got %q to %q", types.PortID, types.PortID, p.SourcePort, p.DestinationPort)
	}
	if p.Version != types.Version {
		return errorsmod.Wrapf(types.ErrInvalidChannel, "payload version must be %q, got %q", types.Version, p.Version)
	}
	if p.Encoding != types.EncodingProtobuf {
		return errorsmod.Wrapf(types.ErrInvalidChannel, "payload encoding must be %q, got %q", types.EncodingProtobuf, p.Encoding)
	}
	return nil
}

// OnSendPacket lets only the vehicle module itself send: anyone may submit
// MsgSendPacket to IBC core, and a hub trusts what a bound dealer chain's
// vehicle port sends, so a user-built payload must never leave this chain.
func (IBCModule) OnSendPacket(_ sdk.Context, _, _ string, _ uint64, payload channeltypesv2.Payload, signer sdk.AccAddress) error {
	if !bytes.Equal(signer, keeper.ModuleAddress()) {
		return errorsmod.Wrapf(types.ErrUnauthorizedSender, "signer %s; vehicle packets leave only through MsgRecordEvents, MsgResendPending, MsgRequestLien and MsgReleaseLien", signer)
	}
	if err := checkPayload(payload); err != nil {
		return err
	}
	_, err := types.DecodePacketData(payload.Value)
	return err
}

// OnRecvPacket applies the packet on the hub side; the route is this chain's
// client. Refusals are returned as a successful payload result carrying a
// vehicle error acknowledgement so that the reason reaches the dealer chain;
// the keeper guarantees a refusal wrote no state.
func (im IBCModule) OnRecvPacket(ctx sdk.Context, sourceClient, destinationClient string, sequence uint64, payload channeltypesv2.Payload, _ sdk.AccAddress) channeltypesv2.RecvPacketResult {
	route := types.NewClientRoute(destinationClient)
	var ack *types.VehicleAcknowledgement
	if err := checkPayload(payload); err != nil {
		ack = im.keeper.RefusePacket(ctx, route, sequence, err)
	} else {
		ack = im.keeper.OnRecvPacket(ctx, route, sequence, payload.Value)
	}
	return channeltypesv2.RecvPacketResult{Status: channeltypesv2.PacketStatus_Success, Acknowledgement: ack.Acknowledgement()}
}

// OnAcknowledgementPacket settles the packet's records on the dealer side.
func (im IBCModule) OnAcknowledgementPacket(ctx sdk.Context, sourceClient, _ string, sequence uint64, acknowledgement []byte, payload channeltypesv2.Payload, _ sdk.AccAddress) error {
	return im.keeper.OnAcknowledgementPacket(ctx, types.NewClientRoute(sourceClient), sequence, payload.Value, acknowledgement)
}

// OnTimeoutPacket returns the packet's records to pending on the dealer side.
func (im IBCModule) OnTimeoutPacket(ctx sdk.Context, sourceClient, _ string, sequence uint64, payload channeltypesv2.Payload, _ sdk.AccAddress) error {
	return im.keeper.OnTimeoutPacket(ctx, types.NewClientRoute(sourceClient), sequence, payload.Value)
}
