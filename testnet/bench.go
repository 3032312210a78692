package testnet

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/vinhub/vinhub/relayer"
)

// PacketTimes follows one packet: its send on the dealer chain, the hub
// writing its acknowledgement, and the acknowledgement delivered back.
type PacketTimes struct {
	Sequence                            uint64
	SendHeight, HubAckHeight, AckHeight int64
	SendTime, HubAckTime, DealerAckAt   time.Time
}

// packetEventKey matches a packet event to one end of a path.
func packetEventKey(p relayer.PathConfig, end relayer.PathEnd, role string) (string, string) {
	if p.IBC == relayer.IBCv1 {
		if role == "src" {
			return "packet_src_channel", end.ChannelID
		}
		return "packet_dst_channel", end.ChannelID
	}
	if role == "src" {
		return "packet_source_client", end.ClientID
	}
	return "packet_dest_client", end.ClientID
}

// scanEvents walks blocks [from, to] of a chain and returns, for events of
// type typ whose attribute key equals value, the sequence -> (height, time).
func scanEvents(ctx context.Context, rpc *rpchttp.HTTP, from, to int64, typ, key, value string) (map[uint64]int64, map[int64]time.Time, error) {
	seqs := map[uint64]int64{}
	times := map[int64]time.Time{}
	for h := from; h <= to; h++ {
		res, err := rpc.BlockResults(ctx, &h)
		if err != nil {
			return nil, nil, fmt.Errorf("block results %d: %w", h, err)
		}
		found := false
		for _, tx := range res.TxsResults {
			for _, ev := range tx.Events {
				if ev.Type != typ {
					continue
				}
				attrs := map[string]string{}
				for _, a := range ev.Attributes {
					attrs[a.Key] = a.Value
				}
				if attrs[key] != value {
					continue
				}
				seq, err := strconv.ParseUint(attrs["packet_sequence"], 10, 64)
				if err != nil {
					return nil, nil, err
				}
				seqs[seq], found = h, true
			}
		}
		if found {
			hdr, err := rpc.Header(ctx, &h)
			if err != nil {
				return nil, nil, err
			}
			times[h] = hdr.Header.Time
		}
	}
	return seqs, times, nil
}

// TracePackets reads, from the chains alone, when each packet path p carried
// from the dealer (end B) was sent, acknowledged on the hub (end A) and
// acknowledged back on the dealer, between the given start heights and now.
func TracePackets(ctx context.Context, p relayer.PathConfig, hub, dealer *Node, hubFrom, dealerFrom int64) ([]PacketTimes, error) {
	hubRPC, err := rpchttp.New(hub.RPCURL(), "/websocket")
	if err != nil {
		return nil, err
	}
	dealerRPC, err := rpchttp.New(dealer.RPCURL(), "/websocket")
	if err != nil {
		return nil, err
	}
	hubTo, err := hub.Height(ctx)
	if err != nil {
		return nil, err
	}
	dealerTo, err := dealer.Height(ctx)
	if err != nil {
		return nil, err
	}
	k, v := packetEventKey(p, p.B, "src")
	sent, sentT, err := scanEvents(ctx, dealerRPC, dealerFrom, dealerTo, "send_packet", k, v)
	if err != nil {
		return nil, err
	}
	acked, ackedT, err := scanEvents(ctx, dealerRPC, dealerFrom, dealerTo, "acknowledge_packet", k, v)
	if err != nil {
		return nil, err
	}
	k, v = packetEventKey(p, p.A, "dst")
	hubAck, hubT, err := scanEvents(ctx, hubRPC, hubFrom, hubTo, "write_acknowledgement", k, v)
	if err != nil {
		return nil, err
	}
	var out []PacketTimes
	for seq, h := range sent {
		pt := PacketTimes{Sequence: seq, SendHeight: h, SendTime: sentT[h]}
		if hh, ok := hubAck[seq]; ok {
			pt.HubAckHeight, pt.HubAckTime = hh, hubT[hh]
		}
		if ah, ok := acked[seq]; ok {
			pt.AckHeight, pt.DealerAckAt = ah, ackedT[ah]
		}
		out = append(out, pt)
	}
	slices.SortFunc(out, func(a, b PacketTimes) int { return int(a.Sequence) - int(b.Sequence) })
	return out, nil
}

// Percentile of sorted values (nearest rank).
func Percentile[T int64 | float64](sorted []T, p float64) T {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}

// Median of sorted values: the middle one, or the mean of the middle two
// (the upper one alone made a median of two runs their maximum).
func Median(sorted []float64) float64 {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// PeakRSS is the peak resident set size of a process, from /proc (Linux).
func PeakRSS(pid int) (int64, error) {
	bz, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(bz), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no VmHWM for pid %d", pid)
}

// RelayTxStats counts, in blocks [from, to] of a chain, the committed txs
// that relay packets (a recv_packet, acknowledge_packet or timeout_packet
// event) and the gas they used: read from the chain, so any relayer's txs
// are counted the same way.
func RelayTxStats(ctx context.Context, n *Node, from, to int64) (txs int, gas int64, err error) {
	rpc, err := rpchttp.New(n.RPCURL(), "/websocket")
	if err != nil {
		return 0, 0, err
	}
	for h := from; h <= to; h++ {
		res, err := rpc.BlockResults(ctx, &h)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: block results %d: %w", n.ChainID, h, err)
		}
		for _, tx := range res.TxsResults {
			if tx.Code == 0 && slices.ContainsFunc(tx.Events, func(e abci.Event) bool {
				return e.Type == "recv_packet" || e.Type == "acknowledge_packet" || e.Type == "timeout_packet"
			}) {
				txs++
				gas += tx.GasUsed
			}
		}
	}
	return txs, gas, nil
}

// StartBenchHub wipes home, builds vinhubd (and extra commands) into
// home/bin and starts a single-validator demo hub in home/hub, as the
// benchmark commands run one. It returns the running node (the caller stops
// it) and the extra commands' paths.
func StartBenchHub(ctx context.Context, home string, extra ...string) (*Node, []string, error) {
	if err := os.RemoveAll(home); err != nil {
		return nil, nil, err
	}
	fmt.Fprintln(os.Stderr, "==> building vinhubd", extra)
	bins, err := BuildInto(ctx, home, append([]string{"vinhubd"}, extra...)...)
	if err != nil {
		return nil, nil, err
	}
	node, err := InitSingleNode(ctx, DemoChainSpec(bins[0], filepath.Join(home, "hub")))
	if err != nil {
		return nil, nil, err
	}
	if err := node.StartWait(ctx); err != nil {
		return nil, nil, err
	}
	return node, bins[1:], nil
}
