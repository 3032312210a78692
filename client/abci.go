package client

import (
	"context"
	"fmt"
	"log/slog"

	gogogrpc "github.com/cosmos/gogoproto/grpc"
	"github.com/cosmos/gogoproto/proto"
	"google.golang.org/grpc"

	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	commitmenttypes "github.com/cosmos/ibc-go/v11/modules/core/23-commitment/types"
	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/exported"
)

// abciConn serves the chain's gRPC query services over CometBFT's
// abci_query, so one RPC endpoint is all a chain needs to configure.
type abciConn struct {
	rpc   *rpchttp.HTTP
	chain string
	// height pins queries to a height; 0 is the latest.
	height int64
}

var _ gogogrpc.ClientConn = abciConn{}

// Invoke runs a unary gRPC method as an ABCI query.
func (c abciConn) Invoke(ctx context.Context, method string, args, reply any, _ ...grpc.CallOption) error {
	req, err := proto.Marshal(args.(proto.Message))
	if err != nil {
		return err
	}
	res, err := c.rpc.ABCIQueryWithOptions(ctx, method, req, rpcclient.ABCIQueryOptions{Height: c.height})
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	if res.Response.Code != 0 {
		return &ABCIError{Chain: c.chain, Stage: "query " + method, Codespace: res.Response.Codespace, Code: res.Response.Code, Log: res.Response.Log}
	}
	return proto.Unmarshal(res.Response.Value, reply.(proto.Message))
}

// NewStream is not supported: relayer queries are unary.
func (abciConn) NewStream(context.Context, *grpc.StreamDesc, string, ...grpc.CallOption) (grpc.ClientStream, error) {
	return nil, fmt.Errorf("streaming queries are not supported over abci_query")
}

// ProveIBC reads key from the IBC store at height and returns the value and
// its Merkle proof, encoded as ibc-go expects it in a message. The proof is
// checked against the app hash in the header of height+1.
func (c *Chain) ProveIBC(ctx context.Context, key []byte, height int64) (value, proof []byte, err error) {
	value, merkle, err := ProveKey(ctx, c.RPC, ibcexported.StoreKey, key, height)
	if err != nil {
		return nil, nil, err
	}
	proof, err = proto.Marshal(&merkle)
	return value, proof, err
}

// ProveKey reads key from the named KV store at height with prove=true and
// returns the value (nil when the key is absent) and its ICS-23 proof: the
// store's IAVL proof (existence or non-existence) chained to the multistore
// root, to be checked against the app hash in the header of height+1
// (height 0: the latest). A node that answers for another height than
// asked is refused: its proof would verify against the wrong header.
func ProveKey(ctx context.Context, rpc rpcclient.ABCIClient, store string, key []byte, height int64) ([]byte, commitmenttypes.MerkleProof, error) {
	res, err := rpc.ABCIQueryWithOptions(ctx, "store/"+store+"/key", key, rpcclient.ABCIQueryOptions{Height: height, Prove: true})
	if err != nil {
		return nil, commitmenttypes.MerkleProof{}, fmt.Errorf("prove %s %x at %d: %w", store, key, height, err)
	}
	if res.Response.Code != 0 {
		return nil, commitmenttypes.MerkleProof{}, fmt.Errorf("prove %s %x at %d: %s", store, key, height, res.Response.Log)
	}
	if height != 0 && res.Response.Height != height {
		return nil, commitmenttypes.MerkleProof{}, fmt.Errorf("prove %s %x at %d: the node answered for height %d", store, key, height, res.Response.Height)
	}
	merkle, err := commitmenttypes.ConvertProofs(res.Response.ProofOps)
	if err != nil {
		return nil, commitmenttypes.MerkleProof{}, fmt.Errorf("prove %s %x at %d: %w", store, key, height, err)
	}
	return res.Response.Value, merkle, nil
}

// NewQueryConn is a gRPC client connection that runs queries over a node's
// CometBFT RPC (abci_query), for tools that only read.
func NewQueryConn(rpcURL string) (gogogrpc.ClientConn, error) {
	rpc, err := NewReadRPC(rpcURL)
	if err != nil {
		return nil, err
	}
	return abciConn{rpc: rpc, chain: rpcURL}, nil
}

// NewReadRPC connects to one node's CometBFT RPC with the client's per-call
// timeout, for tools that only read blocks (e.g. the warehouse indexer).
func NewReadRPC(rpcURL string) (*rpchttp.HTTP, error) {
	rpc, err := NewRPC(Config{ID: rpcURL, RPC: rpcURL}, rpcTimeoutSeconds, slog.Default())
	if err != nil {
		return nil, fmt.Errorf("rpc %s: %w", rpcURL, err)
	}
	return rpc, nil
}

// QueryConnAt is a gRPC client connection over rpc's abci_query that reads
// the state committed at height, so a reader sees a block's effects as they
// were then, whatever happened after.
func QueryConnAt(rpc *rpchttp.HTTP, chain string, height int64) gogogrpc.ClientConn {
	return abciConn{rpc: rpc, chain: chain, height: height}
}
