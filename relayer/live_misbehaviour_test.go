package relayer

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

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
// test recorded; block from the raw txs it recorded per height.
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
	set := c.chain.Vals
	if hdr := c.headers[*h]; hdr != nil {
		var err error
		if set, err = cmttypes.ValidatorSetFromProto(hdr.ValidatorSet); err != nil {
			return nil, err
		}
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
