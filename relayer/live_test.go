package relayer

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
	cmtlog "github.com/cometbft/cometbft/libs/log"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	rpcserver "github.com/cometbft/cometbft/rpc/jsonrpc/server"
	rpctypes "github.com/cometbft/cometbft/rpc/jsonrpc/types"
	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/exported"
	ibctm "github.com/cosmos/ibc-go/v11/modules/light-clients/07-tendermint"
	ibctesting "github.com/cosmos/ibc-go/v11/testing"

	"github.com/vinhub/vinhub/client"
)

// chainRPC serves an ibctesting chain over CometBFT's JSON-RPC with the
// routes vinrelay's light-client code calls: status and abci_query from the
// app itself; commit, header and validators from the signed headers the
// test recorded; block from the raw txs it recorded per height. Without a
// chain it serves recorded headers only (a chain in memory).
type chainRPC struct {
	chain   *ibctesting.TestChain
	headers map[int64]*ibctm.Header
	txs     map[int64][]cmttypes.Tx
}

func newChainRPC(chain *ibctesting.TestChain) *chainRPC {
	c := &chainRPC{chain: chain, headers: map[int64]*ibctm.Header{}, txs: map[int64][]cmttypes.Tx{}}
	c.record()
	return c
}

// record keeps the header the chain committed last.
func (c *chainRPC) record() {
	h := c.chain.LatestCommittedHeader
	c.headers[h.Header.Height] = h
}

func (c *chainRPC) serve(t *testing.T) string {
	mux := http.NewServeMux()
	rpcserver.RegisterRPCFuncs(mux, map[string]*rpcserver.RPCFunc{
		"status":     rpcserver.NewRPCFunc(c.status, ""),
		"abci_query": rpcserver.NewRPCFunc(c.abciQuery, "path,data,height,prove"),
		"block":      rpcserver.NewRPCFunc(c.block, "height"),
		"commit":     rpcserver.NewRPCFunc(c.commit, "height"),
		"header":     rpcserver.NewRPCFunc(c.header, "height"),
		"validators": rpcserver.NewRPCFunc(c.validators, "height,page,per_page"),
	}, cmtlog.NewNopLogger())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

func (c *chainRPC) status(*rpctypes.Context) (*ctypes.ResultStatus, error) {
	h := c.chain.LatestCommittedHeader.Header
	return &ctypes.ResultStatus{SyncInfo: ctypes.SyncInfo{LatestBlockHeight: h.Height, LatestBlockTime: h.Time}}, nil
}

func (c *chainRPC) abciQuery(_ *rpctypes.Context, path string, data cmtbytes.HexBytes, height int64, prove bool) (*ctypes.ResultABCIQuery, error) {
	res, err := c.chain.App.Query(context.Background(), &abci.RequestQuery{Path: path, Data: data, Height: height, Prove: prove})
	if err != nil {
		return nil, err
	}
	return &ctypes.ResultABCIQuery{Response: *res}, nil
}

func (c *chainRPC) signed(h *int64) (*cmttypes.SignedHeader, *ibctm.Header, error) {
	hdr := c.headers[*h]
	if hdr == nil {
		return nil, nil, fmt.Errorf("height %d not recorded", *h)
	}
	sh, err := cmttypes.SignedHeaderFromProto(hdr.SignedHeader)
	return sh, hdr, err
}

func (c *chainRPC) block(_ *rpctypes.Context, h *int64) (*ctypes.ResultBlock, error) {
	return &ctypes.ResultBlock{Block: &cmttypes.Block{Header: cmttypes.Header{Height: *h}, Data: cmttypes.Data{Txs: c.txs[*h]}}}, nil
}

func (c *chainRPC) commit(_ *rpctypes.Context, h *int64) (*ctypes.ResultCommit, error) {
	sh, _, err := c.signed(h)
	if err != nil {
		return nil, err
	}
	return ctypes.NewResultCommit(sh.Header, sh.Commit, true), nil
}

func (c *chainRPC) header(_ *rpctypes.Context, h *int64) (*ctypes.ResultHeader, error) {
	sh, _, err := c.signed(h)
	if err != nil {
		return nil, err
	}
	return &ctypes.ResultHeader{Header: sh.Header}, nil
}

// validators at h: those that signed h, or for h one past the latest
// recorded, the next validators of the one before.
func (c *chainRPC) validators(_ *rpctypes.Context, h *int64, _, _ *int) (*ctypes.ResultValidators, error) {
	hdr := c.headers[*h]
	var set *cmttypes.ValidatorSet
	switch {
	case hdr != nil:
		var err error
		if set, err = cmttypes.ValidatorSetFromProto(hdr.ValidatorSet); err != nil {
			return nil, err
		}
	case c.chain != nil:
		set = c.chain.Vals
	default:
		return nil, fmt.Errorf("height %d not recorded", *h)
	}
	return &ctypes.ResultValidators{BlockHeight: *h, Validators: set.Validators, Count: len(set.Validators), Total: len(set.Validators)}, nil
}

// liveChain is a relayer Chain on rpc, signing with a fresh key.
func liveChain(t *testing.T, id, url string) *Chain {
	t.Helper()
	cdc := client.NewCodec()
	kr := keyring.NewInMemory(cdc)
	_, _, err := kr.NewMnemonic(client.KeyName(id, "relayer"), keyring.English, "m/44'/118'/0'/0/0", "", hd.Secp256k1)
	require.NoError(t, err)
	cfg := ChainConfig{Config: client.Config{ID: id, RPC: url, Key: "relayer", AccountPrefix: "cosmos", GasPrice: "0stake"}}
	c, err := NewChain(cfg, kr, cdc, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	require.NoError(t, err)
	return c
}

// TestLiveMisbehaviour: vinrelay's live code, over JSON-RPC to the real
// hub and dealer apps. An update it builds itself (updateTo) is accepted by
// the hub. Then another submitter updates the hub's client of the dealer
// chain with a forged header; the check of that update, from the feed's
// event (host height known) or from the client's latest height (host
// height read from ibc-go's processed height), finds the forged header in
// the host block and builds the evidence; vinrelay's next update refuses
// to trust the client; the evidence, delivered to the hub, freezes it.
func TestLiveMisbehaviour(t *testing.T) {
	l := newForkedLink(t)
	hubRPC, dealerRPC := newChainRPC(l.hub), newChainRPC(l.dealer)
	dealerRPC.headers = l.committed
	hub, dealer := liveChain(t, l.hub.ChainID, hubRPC.serve(t)), liveChain(t, l.dealer.ChainID, dealerRPC.serve(t))
	end := liveEnd{Chain: hub, end: endpoint{PathEnd: PathEnd{ClientID: l.clientID}}, other: dealer}
	ctx := context.Background()
	forgedAt := l.honest.Header.Height

	own, h, err := end.updateClient(ctx, forgedAt-1)
	require.NoError(t, err)
	require.Equal(t, forgedAt-1, h)
	require.Len(t, own, 1)
	own[0].(*clienttypes.MsgUpdateClient).Signer = l.hub.SenderAccount.GetAddress().String()
	_, err = l.hub.SendMsgs(own...)
	require.NoError(t, err, "vinrelay's own update, headers read over RPC, accepted by the hub")
	hubRPC.record()

	update, err := clienttypes.NewMsgUpdateClient(l.clientID, l.forged, l.hub.SenderAccount.GetAddress().String())
	require.NoError(t, err)
	_, err = l.hub.SendMsgs(update)
	require.NoError(t, err)
	hubRPC.record()
	processed := l.hub.LatestCommittedHeader.Header.Height
	hubRPC.txs[processed] = []cmttypes.Tx{rawTx(t, l.hub, update)}

	height := l.forged.GetHeight().(clienttypes.Height)
	require.Equal(t, ibcexported.Active, l.hub.App.GetIBCKeeper().ClientKeeper.GetClientStatus(l.hub.GetContext(), l.clientID), "the forged header was accepted")
	var evidence sdk.Msg
	for _, u := range []clientUpdate{{hostHeight: processed, height: height}, {height: height}} {
		evidence, err = end.checkUpdate(ctx, u)
		require.ErrorIs(t, err, ErrConflictingHeader)
		require.NotNil(t, evidence)
	}
	_, _, err = end.updateClient(ctx, forgedAt+1)
	require.ErrorIs(t, err, ErrConflictingHeader, "the next update trusts nothing from a forged consensus state")

	evidence.(*clienttypes.MsgUpdateClient).Signer = l.hub.SenderAccount.GetAddress().String()
	_, err = l.hub.SendMsgs(evidence)
	require.NoError(t, err)
	require.Equal(t, ibcexported.Frozen, l.hub.App.GetIBCKeeper().ClientKeeper.GetClientStatus(l.hub.GetContext(), l.clientID))
}

// TestLiveUpdateBisects: the tracked chain's four validators were all
// replaced, one every three blocks, since the height the hub's client
// trusts. vinrelay's update (updateTo, over JSON-RPC) is several
// MsgUpdateClients, each trusted from the intermediate header before it;
// the hub's IBC keeper accepts them in one tx and the client reaches the
// target.
func TestLiveUpdateBisects(t *testing.T) {
	coord := &ibctesting.Coordinator{T: t, CurrentTime: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	hubChain := testChain(t, coord, "vinhub-test-1", hubWithOperators)
	coord.Chains = map[string]*ibctesting.TestChain{hubChain.ChainID: hubChain}
	tracked := rotatingChain(t, 40, 3)
	tracked.start = coord.CurrentTime.Add(-10 * time.Minute)
	_, _, cs, cons := tracked.clientOn(t, 2, time.Hour)
	create, err := clienttypes.NewMsgCreateClient(cs, cons, hubChain.SenderAccount.GetAddress().String())
	require.NoError(t, err)
	res, err := hubChain.SendMsgs(create)
	require.NoError(t, err)
	clientID, err := ibctesting.ParseClientIDFromEvents(res.Events)
	require.NoError(t, err)

	trackedRPC := &chainRPC{headers: map[int64]*ibctm.Header{}}
	for h := int64(1); h <= 40; h++ {
		sh, vals, err := tracked.signedHeader(context.Background(), h)
		require.NoError(t, err)
		trackedRPC.headers[h] = &ibctm.Header{SignedHeader: sh, ValidatorSet: vals}
	}
	hub := liveChain(t, hubChain.ChainID, newChainRPC(hubChain).serve(t))
	msgs, h, err := updateTo(context.Background(), hub, clientID, liveChain(t, tracked.id, trackedRPC.serve(t)), 40)
	require.NoError(t, err)
	require.EqualValues(t, 40, h)
	require.Greater(t, len(msgs), 1, "bisected")
	for _, m := range msgs {
		m.(*clienttypes.MsgUpdateClient).Signer = hubChain.SenderAccount.GetAddress().String()
	}
	_, err = hubChain.SendMsgs(msgs...)
	require.NoError(t, err)
	keeper := hubChain.App.GetIBCKeeper().ClientKeeper
	require.Equal(t, clienttypes.NewHeight(1, 40), keeper.GetClientLatestHeight(hubChain.GetContext(), clientID))
	require.Equal(t, ibcexported.Active, keeper.GetClientStatus(hubChain.GetContext(), clientID))
}
