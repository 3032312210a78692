package relayer

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"
	"github.com/vinhub/vinhub/client"

	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	channelv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"
)

// testPath is a linked v2 path hub (end A, client 07-tendermint-0) <->
// dealer-a (end B, client 07-tendermint-3) with no RPC behind it.
func testPath(t *testing.T, log io.Writer, edit func(*PathConfig)) *PathRelayer {
	t.Helper()
	m := NewMetrics()
	chain := func(id string) *Chain {
		return &Chain{Chain: &client.Chain{Config: client.Config{ID: id}}, m: m, log: slog.Default()}
	}
	cfg := PathConfig{Name: "hub-a", IBC: IBCv2, A: PathEnd{Chain: "hub", ClientID: "07-tendermint-0"},
		B: PathEnd{Chain: "dealer-a", ClientID: "07-tendermint-3"}}
	if edit != nil {
		edit(&cfg)
	}
	r, err := NewPathRelayer(cfg, DefaultConfig().Global, chain("hub"), chain("dealer-a"), slog.New(slog.NewTextHandler(log, nil)))
	require.NoError(t, err)
	return r
}

var (
	vehiclePayload  = channelv2.NewPayload("vehicle", "vehicle", "vinhub-vehicle-1", "application/x-protobuf", []byte("records"))
	transferPayload = channelv2.NewPayload("transfer", "transfer", "ics20-1", "application/json", []byte(`{"denom":"stake","amount":"1"}`))
)

// dealerSends is a dealer-a block with one send_packet event per packet.
func dealerSends(height int64, pkts ...channelv2.Packet) Block {
	b := Block{Chain: "dealer-a", Height: height}
	for _, p := range pkts {
		b.Events = append(b.Events, v2Event(eventSendPacket, p, nil))
	}
	return b
}

// TestIngestSkipsPortsNotAllowed is the attack: anyone can send cheap
// ICS-20 v2 packets over the hub<->dealer clients; the relayer must not pay
// to receive them (nor their acks), and they must not queue ahead of
// vehicle packets.
func TestIngestSkipsPortsNotAllowed(t *testing.T) {
	var log bytes.Buffer
	r := testPath(t, &log, nil)
	send := func(seq uint64, payloads ...channelv2.Payload) channelv2.Packet {
		return channelv2.NewPacket(seq, "07-tendermint-3", "07-tendermint-0", 1700000000, payloads...)
	}
	r.Ingest(dealerSends(10, send(1, transferPayload), send(2, vehiclePayload), send(3, vehiclePayload, transferPayload),
		send(4, channelv2.NewPayload("vehicle", "transfer", "v", "e", nil))))
	recv, acks := r.Backlog()
	require.Equal(t, 1, recv, "only the vehicle packet is queued")
	require.Equal(t, 0, acks)
	r.mu.Lock()
	require.Contains(t, r.sent[1], uint64(2))
	r.mu.Unlock()

	ack := channelv2.NewAcknowledgement([]byte("ok"))
	r.Ingest(Block{Chain: "hub", Height: 11, Events: []client.Event{v2Event(eventWriteAck, send(1, transferPayload), &ack)}})
	_, acks = r.Backlog()
	require.Equal(t, 0, acks, "the ack of a skipped packet is not delivered either")

	r.Ingest(dealerSends(12, send(1, transferPayload), send(5, transferPayload)))
	recv, _ = r.Backlog()
	require.Equal(t, 1, recv)
	require.Equal(t, 1, strings.Count(log.String(), "not on the path's allow_ports"), "logged once per foreign port: %s", log.String())
	var skipped dto.Metric
	require.NoError(t, r.m.Skipped.WithLabelValues("hub-a", "dealer-a", "port_not_allowed").Write(&skipped))
	require.Equal(t, 4.0, skipped.GetCounter().GetValue(), "each skipped packet is counted once, however often it is seen")
}

// TestAllowPortsConfigured: a path that allows transfer relays it; a port
// left out of a custom list is skipped even if it is vehicle.
func TestAllowPortsConfigured(t *testing.T) {
	r := testPath(t, io.Discard, func(c *PathConfig) { c.AllowPorts = []string{"transfer"} })
	r.Ingest(dealerSends(10,
		channelv2.NewPacket(1, "07-tendermint-3", "07-tendermint-0", 1700000000, transferPayload),
		channelv2.NewPacket(2, "07-tendermint-3", "07-tendermint-0", 1700000000, vehiclePayload),
		channelv2.NewPacket(3, "07-tendermint-3", "07-tendermint-0", 1700000000)))
	r.mu.Lock()
	defer r.mu.Unlock()
	require.Equal(t, []uint64{1}, slices.Collect(maps.Keys(r.sent[1])))
	require.Equal(t, map[uint64]bool{2: true, 3: true}, r.skipped[1], "a packet without payloads is not relayed either")
}

// TestIngestV1ChecksPacketPorts: a v1 path keeps relaying its channel, but
// a packet on it whose counterparty port is not allowed is skipped.
func TestIngestV1ChecksPacketPorts(t *testing.T) {
	r := testPath(t, io.Discard, func(c *PathConfig) {
		c.IBC, c.Version = IBCv1, "vinhub-vehicle-1"
		c.A.PortID, c.A.ChannelID, c.B.PortID, c.B.ChannelID = "vehicle", "channel-0", "vehicle", "channel-1"
	})
	send := func(seq int, dstPort string) client.Event {
		return client.FlattenEvents([]abci.Event{{Type: eventSendPacket, Attributes: []abci.EventAttribute{
			{Key: channeltypes.AttributeKeyDataHex, Value: hex.EncodeToString([]byte("data"))},
			{Key: channeltypes.AttributeKeySequence, Value: fmt.Sprint(seq)},
			{Key: channeltypes.AttributeKeyTimeoutTimestamp, Value: "1700000000000000000"},
			{Key: channeltypes.AttributeKeyTimeoutHeight, Value: "0-0"},
			{Key: channeltypes.AttributeKeySrcPort, Value: "vehicle"}, {Key: channeltypes.AttributeKeySrcChannel, Value: "channel-1"},
			{Key: channeltypes.AttributeKeyDstPort, Value: dstPort}, {Key: channeltypes.AttributeKeyDstChannel, Value: "channel-0"},
		}}})[0]
	}
	r.Ingest(Block{Chain: "dealer-a", Height: 5, Events: []client.Event{send(1, "vehicle"), send(2, "transfer")}})
	r.mu.Lock()
	defer r.mu.Unlock()
	require.Equal(t, []uint64{1}, slices.Collect(maps.Keys(r.sent[1])))
	require.True(t, r.skipped[1][2])
}

// TestClearingSkipsPortsNotAllowed: a clearing pass finds packets from
// chain state, not events; the ones of foreign ports are not queued, are
// not searched for again, do not count as waiting (so `vinrelay clear`
// ends), and are forgotten once the chains no longer show them pending.
func TestClearingSkipsPortsNotAllowed(t *testing.T) {
	r := testPath(t, io.Discard, nil)
	pkt := func(seq uint64, pl channelv2.Payload) *Packet {
		p := channelv2.NewPacket(seq, "07-tendermint-3", "07-tendermint-0", 1700000000, pl)
		return &Packet{Sequence: seq, V2: &p}
	}
	found := map[uint64]*Packet{1: pkt(1, transferPayload), 2: pkt(2, vehiclePayload)}
	r.enqueue(1, "dealer-a", eventSendPacket, []uint64{1, 2}, found, r.sent[1])
	require.Equal(t, []uint64{2}, slices.Collect(maps.Keys(r.sent[1])))

	unrec, received := r.relayable(1, []uint64{1, 2, 3}, []uint64{1})
	require.Equal(t, []uint64{2, 3}, unrec, "the skipped packet is neither searched for nor waited on")
	require.Empty(t, received)
	require.Equal(t, []uint64{3}, r.missing(r.sent[1], unrec))

	r.relayable(1, []uint64{2}, nil)
	require.Empty(t, r.skipped[1], "a skipped packet no longer pending is forgotten")
}
