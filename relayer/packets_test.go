package relayer

import (
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"
	"github.com/vinhub/vinhub/client"

	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	channelv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"
)

func v2Event(typ string, p channelv2.Packet, ack *channelv2.Acknowledgement) client.Event {
	bz, _ := proto.Marshal(&p)
	attrs := map[string]string{
		channelv2.AttributeKeySrcClient: p.SourceClient, channelv2.AttributeKeyDstClient: p.DestinationClient,
		channelv2.AttributeKeySequence: fmt.Sprint(p.Sequence), channelv2.AttributeKeyEncodedPacketHex: hex.EncodeToString(bz),
	}
	if ack != nil {
		abz, _ := proto.Marshal(ack)
		attrs[channelv2.AttributeKeyEncodedAckHex] = hex.EncodeToString(abz)
	}
	return client.Event{Type: typ, Attrs: attrs}
}

func TestParseV2Events(t *testing.T) {
	pkt := channelv2.NewPacket(7, "07-tendermint-3", "07-tendermint-0", 1700000000,
		channelv2.NewPayload("vehicle", "vehicle", "vinhub-vehicle-1", "application/x-protobuf", []byte("data")))
	sender := endpoint{PathEnd: PathEnd{ClientID: "07-tendermint-3"}}
	receiver := endpoint{PathEnd: PathEnd{ClientID: "07-tendermint-0"}}

	p, ok, err := sender.parse(eventSendPacket, v2Event(eventSendPacket, pkt, nil), 42)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, uint64(7), p.Sequence)
	require.Equal(t, int64(42), p.Height)
	require.Equal(t, pkt, *p.V2)

	_, ok, err = receiver.parse(eventSendPacket, v2Event(eventSendPacket, pkt, nil), 42)
	require.NoError(t, err)
	require.False(t, ok, "a packet from another client is not this end's")

	ack := channelv2.NewAcknowledgement([]byte("ok"))
	p, ok, err = receiver.parse(eventWriteAck, v2Event(eventWriteAck, pkt, &ack), 50)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, ack, *p.AckV2)

	bad := v2Event(eventSendPacket, pkt, nil)
	bad.Attrs[channelv2.AttributeKeyEncodedPacketHex] = "zz"
	_, ok, err = sender.parse(eventSendPacket, bad, 1)
	require.Error(t, err)
	require.False(t, ok)
}

func TestParseV1Events(t *testing.T) {
	ev := abci.Event{Type: eventWriteAck, Attributes: []abci.EventAttribute{
		{Key: channeltypes.AttributeKeyDataHex, Value: hex.EncodeToString([]byte("data"))},
		{Key: channeltypes.AttributeKeyAckHex, Value: hex.EncodeToString([]byte("ack"))},
		{Key: channeltypes.AttributeKeySequence, Value: "3"},
		{Key: channeltypes.AttributeKeyTimeoutTimestamp, Value: "1700000000000000000"},
		{Key: channeltypes.AttributeKeyTimeoutHeight, Value: "0-0"},
		{Key: channeltypes.AttributeKeySrcPort, Value: "vehicle"}, {Key: channeltypes.AttributeKeySrcChannel, Value: "channel-1"},
		{Key: channeltypes.AttributeKeyDstPort, Value: "vehicle"}, {Key: channeltypes.AttributeKeyDstChannel, Value: "channel-0"},
	}}
	receiver := endpoint{v1: true, PathEnd: PathEnd{PortID: "vehicle", ChannelID: "channel-0"}}
	p, ok, err := receiver.parse(eventWriteAck, client.FlattenEvents([]abci.Event{ev})[0], 9)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, []byte("ack"), p.Ack)
	require.Equal(t, "channel-1", p.V1.SourceChannel)
	require.Equal(t, uint64(1700000000000000000), p.V1.TimeoutTimestamp)

	other := endpoint{v1: true, PathEnd: PathEnd{PortID: "vehicle", ChannelID: "channel-5"}}
	_, ok, _ = other.parse(eventWriteAck, client.FlattenEvents([]abci.Event{ev})[0], 9)
	require.False(t, ok)
}

func TestTimedOut(t *testing.T) {
	at := time.Unix(1700000000, 0)
	v2 := &Packet{V2: &channelv2.Packet{TimeoutTimestamp: 1700000000}}
	require.True(t, v2.timedOut(at, clienttypes.ZeroHeight()))
	require.False(t, v2.timedOut(at.Add(-time.Second), clienttypes.ZeroHeight()))

	v1 := &Packet{V1: &channeltypes.Packet{TimeoutTimestamp: uint64(at.UnixNano()), TimeoutHeight: clienttypes.NewHeight(0, 100)}}
	require.False(t, v1.timedOut(at.Add(-time.Nanosecond), clienttypes.NewHeight(0, 99)))
	require.True(t, v1.timedOut(at.Add(-time.Nanosecond), clienttypes.NewHeight(0, 100)), "height timeout")
	require.True(t, v1.timedOut(at, clienttypes.NewHeight(0, 1)), "timestamp timeout")
}

func TestLimitPutsAcksFirst(t *testing.T) {
	mk := func(n int) []*Packet {
		out := make([]*Packet, n)
		for i := range out {
			out[i] = &Packet{Sequence: uint64(i + 1)}
		}
		return out
	}
	w, more := limit(work{recv: mk(5), acks: mk(2), timeouts: mk(2)}, 3)
	require.True(t, more)
	require.Len(t, w.acks, 2)
	require.Len(t, w.timeouts, 1)
	require.Empty(t, w.recv)
	w, more = limit(work{recv: mk(2)}, 3)
	require.False(t, more)
	require.Len(t, w.recv, 2)
}
