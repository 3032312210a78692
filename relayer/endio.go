package relayer

import (
	"context"
	"fmt"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	connectiontypes "github.com/cosmos/ibc-go/v11/modules/core/03-connection/types"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"

	"github.com/vinhub/vinhub/client"
)

// endIO is what a path worker asks of the chain at one end of its path:
// liveEnd serves it from the real chain, the engine's unit tests from a
// fake one.
type endIO interface {
	ID() string
	Signer() string
	Height(h int64) clienttypes.Height
	Latest(ctx context.Context) (int64, time.Time, error)
	Submit(ctx context.Context, msgs ...sdk.Msg) (client.TxResult, error)
	ProveIBC(ctx context.Context, key []byte, height int64) (value, proof []byte, err error)
	// unreceived and unacked ask this end which of seqs it has not received,
	// and which of its own packets it still holds a commitment for.
	unreceived(ctx context.Context, seqs []uint64) ([]uint64, error)
	unacked(ctx context.Context, seqs []uint64) ([]uint64, error)
	// updateClient is the MsgUpdateClients moving this end's client of the
	// other end to target (none if already there; several when the other
	// end's validators changed too much for one step), and the height to
	// prove at.
	updateClient(ctx context.Context, target int64) ([]sdk.Msg, int64, error)
	// checkUpdate checks an update of this end's client against the other
	// end's own header: on a conflict, the misbehaviour msg to submit and an
	// ErrConflictingHeader.
	checkUpdate(ctx context.Context, u clientUpdate) (sdk.Msg, error)
	// client reads this end's client of the other end.
	client(ctx context.Context) (ClientInfo, error)
	// channel reads a v1 end's channel and its connection's delay period.
	channel(ctx context.Context) (channeltypes.Channel, time.Duration, error)
}

// liveEnd is an endpoint on a real chain, with the chain its client tracks.
type liveEnd struct {
	*Chain
	end   endpoint
	other *Chain
}

func (e liveEnd) unreceived(ctx context.Context, seqs []uint64) ([]uint64, error) {
	return e.end.unreceived(ctx, seqs)
}

func (e liveEnd) unacked(ctx context.Context, seqs []uint64) ([]uint64, error) {
	return e.end.unacked(ctx, seqs)
}

func (e liveEnd) updateClient(ctx context.Context, target int64) ([]sdk.Msg, int64, error) {
	return updateTo(ctx, e.Chain, e.end.ClientID, e.other, target)
}

func (e liveEnd) checkUpdate(ctx context.Context, u clientUpdate) (sdk.Msg, error) {
	return checkUpdate(ctx, e.Chain, e.end.ClientID, e.other, u)
}

func (e liveEnd) client(ctx context.Context) (ClientInfo, error) {
	info, _, err := clientInfo(ctx, e.Chain, e.end.ClientID)
	return info, err
}

func (e liveEnd) channel(ctx context.Context) (channeltypes.Channel, time.Duration, error) {
	res, err := channeltypes.NewQueryClient(e.Conn()).Channel(ctx, &channeltypes.QueryChannelRequest{PortId: e.end.PortID, ChannelId: e.end.ChannelID})
	if err != nil {
		return channeltypes.Channel{}, 0, fmt.Errorf("%s: channel %s/%s: %w", e.ID(), e.end.PortID, e.end.ChannelID, err)
	}
	if res.Channel == nil || len(res.Channel.ConnectionHops) == 0 {
		return channeltypes.Channel{}, 0, fmt.Errorf("%s: channel %s/%s not found", e.ID(), e.end.PortID, e.end.ChannelID)
	}
	conn, err := connectiontypes.NewQueryClient(e.Conn()).Connection(ctx, &connectiontypes.QueryConnectionRequest{ConnectionId: res.Channel.ConnectionHops[0]})
	if err != nil {
		return channeltypes.Channel{}, 0, fmt.Errorf("%s: connection %s: %w", e.ID(), res.Channel.ConnectionHops[0], err)
	}
	return *res.Channel, time.Duration(conn.Connection.DelayPeriod), nil
}
