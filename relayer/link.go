package relayer

import (
	"context"
	"fmt"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	clientv2 "github.com/cosmos/ibc-go/v11/modules/core/02-client/v2/types"
	connectiontypes "github.com/cosmos/ibc-go/v11/modules/core/03-connection/types"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	commitmenttypes "github.com/cosmos/ibc-go/v11/modules/core/23-commitment/types"
	host "github.com/cosmos/ibc-go/v11/modules/core/24-host"
	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/exported"
	"github.com/vinhub/vinhub/client"
)

// merklePrefixV2 is where an ibc-go chain keeps IBC v2 state: the "ibc"
// store, keys without a further prefix.
var merklePrefixV2 = [][]byte{[]byte(ibcexported.StoreKey), []byte("")}

// Link creates whatever the path still lacks and returns it with every
// identifier filled: light clients both ways, then for IBC v2 the
// counterparty registration on both clients, for IBC v1 the connection and
// channel handshakes. Steps already done (ids present) are skipped, so an
// interrupted link can be resumed.
func Link(ctx context.Context, p PathConfig, a, b *Chain) (PathConfig, error) {
	var err error
	if p.A.ClientID == "" {
		if p.A.ClientID, err = CreateClient(ctx, a, b); err != nil {
			return p, err
		}
	}
	if p.B.ClientID == "" {
		if p.B.ClientID, err = CreateClient(ctx, b, a); err != nil {
			return p, err
		}
	}
	if p.IBC == IBCv2 {
		return p, registerCounterparties(ctx, p, a, b)
	}
	if p.A.ConnectionID == "" || p.B.ConnectionID == "" {
		if p.A.ConnectionID, p.B.ConnectionID, err = connectionHandshake(ctx, p, a, b); err != nil {
			return p, err
		}
	}
	if p.A.ChannelID == "" || p.B.ChannelID == "" {
		if p.A.ChannelID, p.B.ChannelID, err = channelHandshake(ctx, p, a, b); err != nil {
			return p, err
		}
	}
	return p, nil
}

func registerCounterparties(ctx context.Context, p PathConfig, a, b *Chain) error {
	for _, s := range []struct {
		chain            *Chain
		client, cpClient string
	}{{a, p.A.ClientID, p.B.ClientID}, {b, p.B.ClientID, p.A.ClientID}} {
		res, err := clientv2.NewQueryClient(s.chain.Conn()).CounterpartyInfo(ctx, &clientv2.QueryCounterpartyInfoRequest{ClientId: s.client})
		if err == nil && res.CounterpartyInfo != nil && res.CounterpartyInfo.ClientId != "" {
			if res.CounterpartyInfo.ClientId != s.cpClient {
				return fmt.Errorf("%s: client %s already has counterparty %s, not %s", s.chain.ID(), s.client, res.CounterpartyInfo.ClientId, s.cpClient)
			}
			continue
		}
		msg := clientv2.NewMsgRegisterCounterparty(s.client, merklePrefixV2, s.cpClient, s.chain.Signer())
		if _, err := s.chain.Submit(ctx, msg); err != nil {
			return fmt.Errorf("register counterparty %s on %s: %w", s.cpClient, s.chain.ID(), err)
		}
	}
	return nil
}

// proveAndSubmit waits until source has a block after minHeight, moves
// host's client of source there, and submits build(proof of key) with it.
func proveAndSubmit(ctx context.Context, host *Chain, clientID string, source *Chain, minHeight int64, key []byte,
	build func(proof []byte, h clienttypes.Height) sdk.Msg,
) (client.TxResult, error) {
	target, err := waitHeight(ctx, source, minHeight+1)
	if err != nil {
		return client.TxResult{}, err
	}
	update, h, err := updateTo(ctx, host, clientID, source, target)
	if err != nil {
		return client.TxResult{}, err
	}
	_, proof, err := source.ProveIBC(ctx, key, h-1)
	if err != nil {
		return client.TxResult{}, err
	}
	return host.Submit(ctx, append(update, build(proof, source.Height(h)))...)
}

// waitHeight waits until c has committed at least h and returns its height.
func waitHeight(ctx context.Context, c *Chain, h int64) (int64, error) {
	for {
		latest, _, err := c.Latest(ctx)
		if err == nil && latest >= h {
			return latest, nil
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("%s: waiting for height %d: %w", c.ID(), h, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func connectionHandshake(ctx context.Context, p PathConfig, a, b *Chain) (string, string, error) {
	prefix := commitmenttypes.NewMerklePrefix([]byte(ibcexported.StoreKey))
	versions := connectiontypes.GetCompatibleVersions()
	res, err := a.Submit(ctx, connectiontypes.NewMsgConnectionOpenInit(p.A.ClientID, p.B.ClientID, prefix, versions[0], 0, a.Signer()))
	if err != nil {
		return "", "", fmt.Errorf("connection open init on %s: %w", a.ID(), err)
	}
	connA := res.Attr(connectiontypes.EventTypeConnectionOpenInit, connectiontypes.AttributeKeyConnectionID)
	res, err = proveAndSubmit(ctx, b, p.B.ClientID, a, res.Height, host.ConnectionKey(connA), func(proof []byte, h clienttypes.Height) sdk.Msg {
		return connectiontypes.NewMsgConnectionOpenTry(p.B.ClientID, connA, p.A.ClientID, prefix, versions, 0, proof, h, b.Signer())
	})
	if err != nil {
		return "", "", fmt.Errorf("connection open try on %s: %w", b.ID(), err)
	}
	connB := res.Attr(connectiontypes.EventTypeConnectionOpenTry, connectiontypes.AttributeKeyConnectionID)
	res, err = proveAndSubmit(ctx, a, p.A.ClientID, b, res.Height, host.ConnectionKey(connB), func(proof []byte, h clienttypes.Height) sdk.Msg {
		return connectiontypes.NewMsgConnectionOpenAck(connA, connB, proof, h, versions[0], a.Signer())
	})
	if err != nil {
		return "", "", fmt.Errorf("connection open ack on %s: %w", a.ID(), err)
	}
	_, err = proveAndSubmit(ctx, b, p.B.ClientID, a, res.Height, host.ConnectionKey(connA), func(proof []byte, h clienttypes.Height) sdk.Msg {
		return connectiontypes.NewMsgConnectionOpenConfirm(connB, proof, h, b.Signer())
	})
	if err != nil {
		return "", "", fmt.Errorf("connection open confirm on %s: %w", b.ID(), err)
	}
	return connA, connB, nil
}

func channelHandshake(ctx context.Context, p PathConfig, a, b *Chain) (string, string, error) {
	order := channeltypes.UNORDERED
	res, err := a.Submit(ctx, channeltypes.NewMsgChannelOpenInit(p.A.PortID, p.Version, order, []string{p.A.ConnectionID}, p.B.PortID, a.Signer()))
	if err != nil {
		return "", "", fmt.Errorf("channel open init on %s: %w", a.ID(), err)
	}
	chanA := res.Attr(channeltypes.EventTypeChannelOpenInit, channeltypes.AttributeKeyChannelID)
	res, err = proveAndSubmit(ctx, b, p.B.ClientID, a, res.Height, host.ChannelKey(p.A.PortID, chanA), func(proof []byte, h clienttypes.Height) sdk.Msg {
		return channeltypes.NewMsgChannelOpenTry(p.B.PortID, p.Version, order, []string{p.B.ConnectionID}, p.A.PortID, chanA, p.Version, proof, h, b.Signer())
	})
	if err != nil {
		return "", "", fmt.Errorf("channel open try on %s: %w", b.ID(), err)
	}
	chanB := res.Attr(channeltypes.EventTypeChannelOpenTry, channeltypes.AttributeKeyChannelID)
	res, err = proveAndSubmit(ctx, a, p.A.ClientID, b, res.Height, host.ChannelKey(p.B.PortID, chanB), func(proof []byte, h clienttypes.Height) sdk.Msg {
		return channeltypes.NewMsgChannelOpenAck(p.A.PortID, chanA, chanB, p.Version, proof, h, a.Signer())
	})
	if err != nil {
		return "", "", fmt.Errorf("channel open ack on %s: %w", a.ID(), err)
	}
	_, err = proveAndSubmit(ctx, b, p.B.ClientID, a, res.Height, host.ChannelKey(p.A.PortID, chanA), func(proof []byte, h clienttypes.Height) sdk.Msg {
		return channeltypes.NewMsgChannelOpenConfirm(p.B.PortID, chanB, proof, h, b.Signer())
	})
	if err != nil {
		return "", "", fmt.Errorf("channel open confirm on %s: %w", b.ID(), err)
	}
	return chanA, chanB, nil
}
