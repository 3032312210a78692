package relayer

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/vinhub/vinhub/client"

	sdk "github.com/cosmos/cosmos-sdk/types"
	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	channelv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"
	ibctm "github.com/cosmos/ibc-go/v11/modules/light-clients/07-tendermint"
)

// fakeChain is one end of a path in memory: its packet state, the client
// it holds of the other end, and every tx it committed. A tx is atomic: a
// refused message refuses it whole, as on a real chain.
type fakeChain struct {
	mu     sync.Mutex
	id     string
	height int64
	// received: packets from the other end it received; inFlight: its own
	// packets whose commitment it still holds.
	received, inFlight map[uint64]bool
	// refuse makes a message about a sequence refuse the tx it is in.
	refuse map[uint64]error
	// submitErr, if set, decides every Submit before the messages are looked at.
	submitErr func(msgs []sdk.Msg) error
	// clientHeight, clientLeft and trusting describe its client of the other end.
	clientHeight         int64
	clientLeft, trusting time.Duration
	frozen               bool
	chanState            channeltypes.Channel
	delay                time.Duration
	committed            [][]sdk.Msg
	submits              int
	// down makes every call fail as an unreachable RPC would.
	down bool
	// gate, if set, holds every Submit (broadcast, not yet committed) until
	// a value is sent on it; entered records the txs broadcast so far.
	gate    chan struct{}
	entered [][]sdk.Msg
	// proveDelay slows each proof query; proving/maxProving count the
	// queries running at once; proveErr fails them.
	proveDelay          time.Duration
	proving, maxProving int
	proveErr            error
	// forged: evidence msgs by consensus height; checked: updates checked.
	// checkErr, if set, fails every check as a failed query would.
	forged   map[uint64]sdk.Msg
	checked  []clientUpdate
	checkErr error
}

func newFakeChain(id string) *fakeChain {
	return &fakeChain{id: id, height: 100, received: map[uint64]bool{}, inFlight: map[uint64]bool{}, refuse: map[uint64]error{},
		clientLeft: 14 * 24 * time.Hour, trusting: 14 * 24 * time.Hour,
		chanState: channeltypes.Channel{State: channeltypes.OPEN, Ordering: channeltypes.UNORDERED, ConnectionHops: []string{"connection-0"}}}
}

func (c *fakeChain) ID() string                        { return c.id }
func (c *fakeChain) Signer() string                    { return "relayer-" + c.id }
func (c *fakeChain) Height(h int64) clienttypes.Height { return clienttypes.NewHeight(0, uint64(h)) }

func (c *fakeChain) Latest(context.Context) (int64, time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down {
		return 0, time.Time{}, fmt.Errorf("chain %s: status: connection refused", c.id)
	}
	return c.height, time.Now(), nil
}

func (c *fakeChain) ProveIBC(_ context.Context, key []byte, h int64) ([]byte, []byte, error) {
	c.mu.Lock()
	c.proving++
	c.maxProving = max(c.maxProving, c.proving)
	delay, err := c.proveDelay, c.proveErr
	c.mu.Unlock()
	time.Sleep(delay)
	c.mu.Lock()
	c.proving--
	c.mu.Unlock()
	if err != nil {
		return nil, nil, err
	}
	return nil, []byte(fmt.Sprintf("proof of %x at %d", key, h)), nil
}

func (c *fakeChain) unreceived(_ context.Context, seqs []uint64) ([]uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []uint64
	for _, s := range seqs {
		if !c.received[s] {
			out = append(out, s)
		}
	}
	return out, nil
}

func (c *fakeChain) unacked(_ context.Context, seqs []uint64) ([]uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []uint64
	for _, s := range seqs {
		if c.inFlight[s] {
			out = append(out, s)
		}
	}
	return out, nil
}

func (c *fakeChain) updateClient(_ context.Context, target int64) ([]sdk.Msg, int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.clientHeight >= target {
		return nil, c.clientHeight, nil
	}
	if c.forged[uint64(c.clientHeight)] != nil {
		return nil, 0, fmt.Errorf("%w: the client's latest height %d", ErrConflictingHeader, c.clientHeight)
	}
	hdr := &ibctm.Header{SignedHeader: &cmtproto.SignedHeader{Header: &cmtproto.Header{ChainID: "other", Height: target}}}
	msg, err := clienttypes.NewMsgUpdateClient("07-tendermint-0", hdr, c.Signer())
	return []sdk.Msg{msg}, target, err
}

// checkUpdate finds a conflict where a test planted one: forged holds,
// by consensus height, the evidence msg the live end would build.
func (c *fakeChain) checkUpdate(_ context.Context, u clientUpdate) (sdk.Msg, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.checked = append(c.checked, u)
	if c.checkErr != nil {
		return nil, c.checkErr
	}
	if msg := c.forged[u.height.RevisionHeight]; msg != nil {
		return msg, fmt.Errorf("%w: forged header at %s", ErrConflictingHeader, u.height)
	}
	return nil, nil
}

func (c *fakeChain) client(context.Context) (ClientInfo, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return ClientInfo{ClientID: "07-tendermint-0", TrustingPeriod: c.trusting, Left: c.clientLeft, LatestHeight: c.Height(c.clientHeight), Frozen: c.frozen}, nil
}

func (c *fakeChain) channel(context.Context) (channeltypes.Channel, time.Duration, error) {
	return c.chanState, c.delay, nil
}

// packetSeq is the sequence a packet message is about (0 for others).
func packetSeq(m sdk.Msg) (seq uint64, recv bool) {
	switch m := m.(type) {
	case *channelv2.MsgRecvPacket:
		return m.Packet.Sequence, true
	case *channeltypes.MsgRecvPacket:
		return m.Packet.Sequence, true
	case *channelv2.MsgAcknowledgement:
		return m.Packet.Sequence, false
	case *channeltypes.MsgAcknowledgement:
		return m.Packet.Sequence, false
	case *channelv2.MsgTimeout:
		return m.Packet.Sequence, false
	case *channeltypes.MsgTimeout:
		return m.Packet.Sequence, false
	}
	return 0, false
}

// Submit commits msgs in one block unless one of them is refused.
func (c *fakeChain) Submit(_ context.Context, msgs ...sdk.Msg) (client.TxResult, error) {
	c.mu.Lock()
	c.entered = append(c.entered, msgs)
	gate := c.gate
	c.mu.Unlock()
	if gate != nil {
		<-gate
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.submits++
	if c.submitErr != nil {
		if err := c.submitErr(msgs); err != nil {
			return client.TxResult{}, err
		}
	}
	for _, m := range msgs {
		if seq, _ := packetSeq(m); c.refuse[seq] != nil {
			return client.TxResult{}, c.refuse[seq]
		}
	}
	for _, m := range msgs {
		seq, recv := packetSeq(m)
		switch {
		case recv && c.received[seq]:
			return client.TxResult{}, fmt.Errorf("packet %d received twice: %w", seq, client.ErrRedundant)
		case recv:
			c.received[seq] = true
		case seq > 0:
			delete(c.inFlight, seq)
		default:
			c.clientUpdated(m)
		}
	}
	c.committed = append(c.committed, msgs)
	c.height++
	return client.TxResult{Hash: fmt.Sprintf("TX%d", len(c.committed)), Height: c.height}, nil
}

// clientUpdated applies a client message: a misbehaviour freezes the
// client, a header moves it to the latest height.
func (c *fakeChain) clientUpdated(m sdk.Msg) {
	if u, ok := m.(*clienttypes.MsgUpdateClient); ok {
		if _, ok := u.ClientMessage.GetCachedValue().(*ibctm.Misbehaviour); ok {
			c.frozen = true
			return
		}
	}
	c.clientHeight = c.height
}

// recvsPerTx lists, for each committed tx, the sequences it received.
func (c *fakeChain) recvsPerTx() [][]uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out [][]uint64
	for _, tx := range c.committed {
		var seqs []uint64
		for _, m := range tx {
			if s, recv := packetSeq(m); recv {
				seqs = append(seqs, s)
			}
		}
		if len(seqs) > 0 {
			out = append(out, seqs)
		}
	}
	return out
}

// fakePath is a linked path hub (end A) <-> dealer-a (end B) on fake
// chains, IBC v2 unless ibc says v1.
func fakePath(ibc string, g GlobalConfig) (*PathRelayer, *fakeChain, *fakeChain) {
	hub, dealer := newFakeChain("hub"), newFakeChain("dealer-a")
	cfg := PathConfig{Name: "hub-a", IBC: ibc,
		A: PathEnd{Chain: "hub", ClientID: "07-tendermint-0", ConnectionID: "connection-0", PortID: "vehicle", ChannelID: "channel-0"},
		B: PathEnd{Chain: "dealer-a", ClientID: "07-tendermint-3", ConnectionID: "connection-0", PortID: "vehicle", ChannelID: "channel-1"}}
	v1 := ibc == IBCv1
	r := &PathRelayer{cfg: cfg, g: g, log: slog.New(slog.NewTextHandler(io.Discard, nil)), m: NewMetrics(),
		ends: [2]endpoint{{PathEnd: cfg.A, v1: v1}, {PathEnd: cfg.B, v1: v1}}, io: [2]endIO{hub, dealer}, warned: map[string]bool{}}
	r.init()
	return r, hub, dealer
}

// dealerSent has the dealer chain commit packets 1..n (one block at height
// 50, v1 or v2 as the path) and the path ingest them.
func dealerSent(r *PathRelayer, dealer *fakeChain, n int) {
	timeout := time.Now().Add(time.Hour)
	b := Block{Chain: "dealer-a", Height: 50}
	for i := 1; i <= n; i++ {
		dealer.inFlight[uint64(i)] = true
		if r.cfg.IBC == IBCv1 {
			b.Events = append(b.Events, client.FlattenEvents([]abci.Event{{Type: eventSendPacket, Attributes: []abci.EventAttribute{
				{Key: channeltypes.AttributeKeyDataHex, Value: hex.EncodeToString([]byte("records"))},
				{Key: channeltypes.AttributeKeySequence, Value: fmt.Sprint(i)},
				{Key: channeltypes.AttributeKeyTimeoutTimestamp, Value: fmt.Sprint(timeout.UnixNano())},
				{Key: channeltypes.AttributeKeyTimeoutHeight, Value: "0-0"},
				{Key: channeltypes.AttributeKeySrcPort, Value: "vehicle"}, {Key: channeltypes.AttributeKeySrcChannel, Value: r.cfg.B.ChannelID},
				{Key: channeltypes.AttributeKeyDstPort, Value: "vehicle"}, {Key: channeltypes.AttributeKeyDstChannel, Value: r.cfg.A.ChannelID},
			}}})...)
			continue
		}
		p := channelv2.NewPacket(uint64(i), "07-tendermint-3", "07-tendermint-0", uint64(timeout.Unix()), vehiclePayload)
		b.Events = append(b.Events, v2Event(eventSendPacket, p, nil))
	}
	r.Ingest(b)
}

// runSteps runs hub-side steps, each followed by waiting for the txs it
// put in flight to settle, until one leaves no work or max steps ran; it
// returns the last error.
func runSteps(r *PathRelayer, max int) (steps int, err error) {
	for steps < max {
		steps++
		var more bool
		more, err = stepAndSettle(r, 0)
		if !more && err == nil {
			return steps, nil
		}
	}
	return steps, err
}

// stepAndSettle is one step of worker k, then waiting for its txs in
// flight to settle; a failure of one of them is the step's error.
func stepAndSettle(r *PathRelayer, k int) (bool, error) {
	more, err := r.step(context.Background(), k)
	for {
		r.wmu[k].Lock()
		n, async := r.inflight[k], r.asyncErr[k]
		if n == 0 {
			r.asyncErr[k] = nil
		}
		r.wmu[k].Unlock()
		if n == 0 {
			if err == nil && async != nil {
				return false, async
			}
			return more || (async == nil && r.hasWork(k)), err
		}
		time.Sleep(time.Millisecond)
	}
}

// hasWork reports whether worker k knows of anything left to deliver.
func (r *PathRelayer) hasWork(k int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sent[1-k])+len(r.acks[k]) > 0
}
