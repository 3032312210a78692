package relayer

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/cosmos/gogoproto/proto"
	"github.com/vinhub/vinhub/client"

	sdk "github.com/cosmos/cosmos-sdk/types"
	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	channelv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"
	host "github.com/cosmos/ibc-go/v11/modules/core/24-host"
	hostv2 "github.com/cosmos/ibc-go/v11/modules/core/24-host/v2"
)

// Event types both IBC versions use for the packet lifecycle.
const (
	eventSendPacket = "send_packet"
	eventWriteAck   = "write_acknowledgement"
)

// Packet is one IBC packet in flight, v1 or v2, with what the relayer
// learned about it: the height of the event that revealed it and, once the
// receiving chain wrote one, the acknowledgement.
type Packet struct {
	Sequence uint64
	// Height of the send (or write-ack) event on the chain that emitted it.
	Height int64
	V1     *channeltypes.Packet
	V2     *channelv2.Packet
	// Ack is the raw v1 acknowledgement, or the v2 Acknowledgement.
	Ack   []byte
	AckV2 *channelv2.Acknowledgement
	// Seen is when the relayer first learned of the packet (for latency).
	Seen time.Time
	// sending: a relay tx carrying it is in flight (guarded by PathRelayer.mu).
	sending bool
}

// timedOut reports whether a chain whose block time is t (and height h) may
// no longer receive the packet.
func (p *Packet) timedOut(t time.Time, h clienttypes.Height) bool {
	if p.V2 != nil {
		return uint64(t.Unix()) >= p.V2.TimeoutTimestamp
	}
	if p.V1.TimeoutTimestamp != 0 && uint64(t.UnixNano()) >= p.V1.TimeoutTimestamp {
		return true
	}
	return !p.V1.TimeoutHeight.IsZero() && h.GTE(p.V1.TimeoutHeight)
}

// foreignPort returns a port of p (source or destination, of any payload)
// that allowed refuses. A v2 packet without payloads carries nothing of
// ours either, and is refused with an empty port.
func (p *Packet) foreignPort(allowed func(port string) bool) (port string, foreign bool) {
	if p.V1 != nil {
		for _, port := range []string{p.V1.SourcePort, p.V1.DestinationPort} {
			if !allowed(port) {
				return port, true
			}
		}
		return "", false
	}
	if len(p.V2.Payloads) == 0 {
		return "", true
	}
	for _, pl := range p.V2.Payloads {
		for _, port := range []string{pl.SourcePort, pl.DestinationPort} {
			if !allowed(port) {
				return port, true
			}
		}
	}
	return "", false
}

// endpoint is one side of a path: where packets are sent from and received.
type endpoint struct {
	chain *Chain
	PathEnd
	v1 bool
}

// commitmentKey is where the sending end stores a packet's commitment.
func (e endpoint) commitmentKey(seq uint64) []byte {
	if e.v1 {
		return host.PacketCommitmentKey(e.PortID, e.ChannelID, seq)
	}
	return hostv2.PacketCommitmentKey(e.ClientID, seq)
}

// receiptKey is where the receiving end marks a packet received.
func (e endpoint) receiptKey(seq uint64) []byte {
	if e.v1 {
		return host.PacketReceiptKey(e.PortID, e.ChannelID, seq)
	}
	return hostv2.PacketReceiptKey(e.ClientID, seq)
}

// ackKey is where the receiving end stores the acknowledgement commitment.
func (e endpoint) ackKey(seq uint64) []byte {
	if e.v1 {
		return host.PacketAcknowledgementKey(e.PortID, e.ChannelID, seq)
	}
	return hostv2.PacketAcknowledgementKey(e.ClientID, seq)
}

// sentBy reports whether a send_packet event is a packet this end sent on the path.
func (e endpoint) parseSend(ev client.Event, height int64) (*Packet, bool, error) {
	if e.v1 {
		if ev.Attrs[channeltypes.AttributeKeySrcPort] != e.PortID || ev.Attrs[channeltypes.AttributeKeySrcChannel] != e.ChannelID {
			return nil, false, nil
		}
		p, err := v1PacketFromEvent(ev)
		return p, err == nil, err
	}
	if ev.Attrs[channelv2.AttributeKeySrcClient] != e.ClientID {
		return nil, false, nil
	}
	p, err := v2PacketFromEvent(ev)
	return p, err == nil, err
}

// parseWriteAck reads a write_acknowledgement event for a packet this end received.
func (e endpoint) parseWriteAck(ev client.Event) (*Packet, bool, error) {
	if e.v1 {
		if ev.Attrs[channeltypes.AttributeKeyDstPort] != e.PortID || ev.Attrs[channeltypes.AttributeKeyDstChannel] != e.ChannelID {
			return nil, false, nil
		}
		p, err := v1PacketFromEvent(ev)
		if err != nil {
			return nil, false, err
		}
		p.Ack, err = hex.DecodeString(ev.Attrs[channeltypes.AttributeKeyAckHex])
		return p, err == nil, err
	}
	if ev.Attrs[channelv2.AttributeKeyDstClient] != e.ClientID {
		return nil, false, nil
	}
	p, err := v2PacketFromEvent(ev)
	if err != nil {
		return nil, false, err
	}
	bz, err := hex.DecodeString(ev.Attrs[channelv2.AttributeKeyEncodedAckHex])
	if err != nil {
		return nil, false, err
	}
	var ack channelv2.Acknowledgement
	if err := proto.Unmarshal(bz, &ack); err != nil {
		return nil, false, fmt.Errorf("decode v2 acknowledgement: %w", err)
	}
	p.AckV2 = &ack
	return p, true, nil
}

func v2PacketFromEvent(ev client.Event) (*Packet, error) {
	bz, err := hex.DecodeString(ev.Attrs[channelv2.AttributeKeyEncodedPacketHex])
	if err != nil {
		return nil, fmt.Errorf("v2 %s event: %w", ev.Type, err)
	}
	var pkt channelv2.Packet
	if err := proto.Unmarshal(bz, &pkt); err != nil {
		return nil, fmt.Errorf("v2 %s event: decode packet: %w", ev.Type, err)
	}
	return &Packet{Sequence: pkt.Sequence, V2: &pkt}, nil
}

func v1PacketFromEvent(ev client.Event) (*Packet, error) {
	a := ev.Attrs
	data, err := hex.DecodeString(a[channeltypes.AttributeKeyDataHex])
	if err != nil {
		return nil, fmt.Errorf("v1 %s event: data: %w", ev.Type, err)
	}
	seq, err := strconv.ParseUint(a[channeltypes.AttributeKeySequence], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("v1 %s event: sequence: %w", ev.Type, err)
	}
	ts, err := strconv.ParseUint(a[channeltypes.AttributeKeyTimeoutTimestamp], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("v1 %s event: timeout timestamp: %w", ev.Type, err)
	}
	th, err := clienttypes.ParseHeight(a[channeltypes.AttributeKeyTimeoutHeight])
	if err != nil {
		return nil, fmt.Errorf("v1 %s event: timeout height: %w", ev.Type, err)
	}
	pkt := channeltypes.NewPacket(data, seq, a[channeltypes.AttributeKeySrcPort], a[channeltypes.AttributeKeySrcChannel],
		a[channeltypes.AttributeKeyDstPort], a[channeltypes.AttributeKeyDstChannel], th, ts)
	return &Packet{Sequence: seq, V1: &pkt}, nil
}

// recvMsg delivers p on the receiving chain.
func recvMsg(p *Packet, proof []byte, h clienttypes.Height, signer string) sdk.Msg {
	if p.V2 != nil {
		return channelv2.NewMsgRecvPacket(*p.V2, proof, h, signer)
	}
	return channeltypes.NewMsgRecvPacket(*p.V1, proof, h, signer)
}

// ackMsg delivers p's acknowledgement back on the sending chain.
func ackMsg(p *Packet, proof []byte, h clienttypes.Height, signer string) sdk.Msg {
	if p.V2 != nil {
		return channelv2.NewMsgAcknowledgement(*p.V2, *p.AckV2, proof, h, signer)
	}
	return channeltypes.NewMsgAcknowledgement(*p.V1, p.Ack, proof, h, signer)
}

// timeoutMsg proves on the sending chain that p was never received.
func timeoutMsg(p *Packet, proof []byte, h clienttypes.Height, signer string) sdk.Msg {
	if p.V2 != nil {
		return channelv2.NewMsgTimeout(*p.V2, proof, h, signer)
	}
	return channeltypes.NewMsgTimeout(*p.V1, p.Sequence, proof, h, signer)
}
