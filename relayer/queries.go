package relayer

import (
	"context"
	"fmt"

	"github.com/cosmos/cosmos-sdk/types/query"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	channelv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"
	"github.com/vinhub/vinhub/client"
)

// unreceived returns which of seqs this (receiving) end has not received.
func (e endpoint) unreceived(ctx context.Context, seqs []uint64) ([]uint64, error) {
	if len(seqs) == 0 {
		return nil, nil
	}
	if e.v1 {
		res, err := channeltypes.NewQueryClient(e.chain.Conn()).UnreceivedPackets(ctx, &channeltypes.QueryUnreceivedPacketsRequest{
			PortId: e.PortID, ChannelId: e.ChannelID, PacketCommitmentSequences: seqs})
		if err != nil {
			return nil, fmt.Errorf("%s: unreceived packets: %w", e.chain.ID(), err)
		}
		return res.Sequences, nil
	}
	res, err := channelv2.NewQueryClient(e.chain.Conn()).UnreceivedPackets(ctx, &channelv2.QueryUnreceivedPacketsRequest{
		ClientId: e.ClientID, Sequences: seqs})
	if err != nil {
		return nil, fmt.Errorf("%s: unreceived packets: %w", e.chain.ID(), err)
	}
	return res.Sequences, nil
}

// unacked returns which of seqs this (sending) end still holds a commitment
// for, i.e. whose acknowledgement or timeout has not been delivered.
func (e endpoint) unacked(ctx context.Context, seqs []uint64) ([]uint64, error) {
	if len(seqs) == 0 {
		return nil, nil
	}
	if e.v1 {
		res, err := channeltypes.NewQueryClient(e.chain.Conn()).UnreceivedAcks(ctx, &channeltypes.QueryUnreceivedAcksRequest{
			PortId: e.PortID, ChannelId: e.ChannelID, PacketAckSequences: seqs})
		if err != nil {
			return nil, fmt.Errorf("%s: unreceived acks: %w", e.chain.ID(), err)
		}
		return res.Sequences, nil
	}
	res, err := channelv2.NewQueryClient(e.chain.Conn()).UnreceivedAcks(ctx, &channelv2.QueryUnreceivedAcksRequest{
		ClientId: e.ClientID, PacketAckSequences: seqs})
	if err != nil {
		return nil, fmt.Errorf("%s: unreceived acks: %w", e.chain.ID(), err)
	}
	return res.Sequences, nil
}

// commitments lists every packet this (sending) end still has in flight.
func (e endpoint) commitments(ctx context.Context) ([]uint64, error) {
	var seqs []uint64
	var next []byte
	for {
		page := &query.PageRequest{Key: next, Limit: 1000}
		if e.v1 {
			res, err := channeltypes.NewQueryClient(e.chain.Conn()).PacketCommitments(ctx, &channeltypes.QueryPacketCommitmentsRequest{
				PortId: e.PortID, ChannelId: e.ChannelID, Pagination: page})
			if err != nil {
				return nil, fmt.Errorf("%s: packet commitments: %w", e.chain.ID(), err)
			}
			for _, c := range res.Commitments {
				seqs = append(seqs, c.Sequence)
			}
			next = res.Pagination.GetNextKey()
		} else {
			res, err := channelv2.NewQueryClient(e.chain.Conn()).PacketCommitments(ctx, &channelv2.QueryPacketCommitmentsRequest{
				ClientId: e.ClientID, Pagination: page})
			if err != nil {
				return nil, fmt.Errorf("%s: packet commitments: %w", e.chain.ID(), err)
			}
			for _, c := range res.Commitments {
				seqs = append(seqs, c.Sequence)
			}
			next = res.Pagination.GetNextKey()
		}
		if len(next) == 0 {
			return seqs, nil
		}
	}
}

// Clearing searches: pages of searchPage txs, newest first, at most
// searchPages of them before the sequences still missing are searched for
// one by one.
const (
	searchPage  = 100
	searchPages = 20
)

// findEvents searches committed transactions for this end's send_packet (or
// write_acknowledgement) events of the given sequences, so a backlog found
// by the commitment queries can be relayed with its full packet data. One
// search over the path's events, newest first, finds a whole backlog in a
// few pages; only sequences it did not reach are searched for singly.
func (e endpoint) findEvents(ctx context.Context, eventType string, seqs []uint64) (map[uint64]*Packet, error) {
	found := make(map[uint64]*Packet, len(seqs))
	want := make(map[uint64]bool, len(seqs))
	for _, s := range seqs {
		want[s] = true
	}
	q := e.eventFilter(eventType)
	for page := 1; page <= searchPages && len(found) < len(want); page++ {
		total, err := e.search(ctx, eventType, q, page, want, found)
		if err != nil {
			return nil, err
		}
		if page*searchPage >= total { // CometBFT refuses a page past the end
			break
		}
	}
	for _, seq := range seqs {
		if found[seq] != nil {
			continue
		}
		one := fmt.Sprintf("%s.packet_sequence='%d' AND %s", eventType, seq, q)
		if _, err := e.search(ctx, eventType, one, 1, want, found); err != nil {
			return nil, err
		}
	}
	return found, nil
}

// search runs one tx_search page (newest first) and adds the wanted
// packets it holds to found; it returns how many txs match in all.
func (e endpoint) search(ctx context.Context, eventType, q string, page int, want map[uint64]bool, found map[uint64]*Packet) (int, error) {
	perPage := searchPage
	res, err := e.chain.RPC.TxSearch(ctx, q, false, &page, &perPage, "desc")
	if err != nil {
		return 0, fmt.Errorf("%s: search %s: %w", e.chain.ID(), q, err)
	}
	for _, tx := range res.Txs {
		for _, ev := range client.FlattenEvents(tx.TxResult.Events) {
			p, ok, err := e.parse(eventType, ev, tx.Height)
			if err != nil || !ok || !want[p.Sequence] {
				continue
			}
			if found[p.Sequence] == nil {
				found[p.Sequence] = p
			}
		}
	}
	return res.TotalCount, nil
}

func (e endpoint) parse(eventType string, ev client.Event, height int64) (*Packet, bool, error) {
	if ev.Type != eventType {
		return nil, false, nil
	}
	var (
		p   *Packet
		ok  bool
		err error
	)
	if eventType == eventSendPacket {
		p, ok, err = e.parseSend(ev, height)
	} else {
		p, ok, err = e.parseWriteAck(ev)
	}
	if ok {
		p.Height = height
	}
	return p, ok, err
}

// eventFilter narrows a search to this end of the path.
func (e endpoint) eventFilter(eventType string) string {
	if e.v1 {
		if eventType == eventSendPacket {
			return fmt.Sprintf("%s.%s='%s'", eventType, channeltypes.AttributeKeySrcChannel, e.ChannelID)
		}
		return fmt.Sprintf("%s.%s='%s'", eventType, channeltypes.AttributeKeyDstChannel, e.ChannelID)
	}
	if eventType == eventSendPacket {
		return fmt.Sprintf("%s.%s='%s'", eventType, channelv2.AttributeKeySrcClient, e.ClientID)
	}
	return fmt.Sprintf("%s.%s='%s'", eventType, channelv2.AttributeKeyDstClient, e.ClientID)
}
