package indexer

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/crypto/tmhash"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/vinhub/vinhub/client"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// Block is what the indexer reads of one hub block: its header facts, each
// transaction with its result, and the events of the block's own steps
// (begin and end blockers).
type Block struct {
	Height  int64
	Time    time.Time
	AppHash string
	Txs     []Tx
	// FinalizeEvents are emitted outside any transaction (e.g. an HTLC's
	// automatic refund at expiry).
	FinalizeEvents []abci.Event
}

// Tx is one transaction of a block with its result.
type Tx struct {
	Hash      string
	Code      uint32
	Codespace string
	Log       string
	// Raw is the transaction as included (decoded only when it failed, to
	// say what was refused).
	Raw    []byte
	Events []abci.Event
}

// Lookup reads from the hub's state at a height what the events do not
// carry.
type Lookup interface {
	// Record is record id as stored at height.
	Record(ctx context.Context, id uint64, height int64) (vehicletypes.Record, error)
	// Asset is asset id as stored at height (for its sealed envelope).
	Asset(ctx context.Context, id uint64, height int64) (assettypes.Asset, error)
	// Loan is loan id as stored at height (for its sealed envelope).
	Loan(ctx context.Context, id uint64, height int64) (assettypes.Loan, error)
}

// Source is the hub as the indexer reads it: blocks with their results and
// the state behind them.
type Source interface {
	Lookup
	// ChainID is the chain the node serves.
	ChainID(ctx context.Context) (string, error)
	// Latest is the latest committed height.
	Latest(ctx context.Context) (int64, error)
	// Block is the block at height with its results.
	Block(ctx context.Context, height int64) (Block, error)
	// Genesis is the chain's genesis.
	Genesis(ctx context.Context) (Genesis, error)
}

// RPCSource reads the hub over a node's CometBFT RPC.
type RPCSource struct {
	rpc *rpchttp.HTTP
	url string
}

// NewRPCSource reads the hub from the node at url (e.g. http://127.0.0.1:26657).
func NewRPCSource(url string) (*RPCSource, error) {
	rpc, err := client.NewReadRPC(url)
	if err != nil {
		return nil, err
	}
	return &RPCSource{rpc: rpc, url: url}, nil
}

// ChainID is the network the node serves.
func (s *RPCSource) ChainID(ctx context.Context) (string, error) {
	st, err := s.rpc.Status(ctx)
	if err != nil {
		return "", fmt.Errorf("hub rpc %s unreachable: %w", s.url, err)
	}
	return st.NodeInfo.Network, nil
}

// Latest is the node's latest committed height.
func (s *RPCSource) Latest(ctx context.Context) (int64, error) {
	st, err := s.rpc.Status(ctx)
	if err != nil {
		return 0, fmt.Errorf("hub rpc %s unreachable: %w", s.url, err)
	}
	return st.SyncInfo.LatestBlockHeight, nil
}

// Block reads the block at height and its results.
func (s *RPCSource) Block(ctx context.Context, height int64) (Block, error) {
	blk, err := s.rpc.Block(ctx, &height)
	if err != nil {
		return Block{}, fmt.Errorf("hub rpc %s: block %d: %w", s.url, height, err)
	}
	res, err := s.rpc.BlockResults(ctx, &height)
	if err != nil {
		return Block{}, fmt.Errorf("hub rpc %s: block_results %d: %w", s.url, height, err)
	}
	if len(res.TxsResults) != len(blk.Block.Txs) {
		return Block{}, fmt.Errorf("hub rpc %s: block %d has %d txs but %d results", s.url, height, len(blk.Block.Txs), len(res.TxsResults))
	}
	b := Block{Height: height, Time: blk.Block.Time.UTC(), AppHash: strings.ToUpper(hex.EncodeToString(blk.Block.AppHash)),
		FinalizeEvents: res.FinalizeBlockEvents}
	for i, raw := range blk.Block.Txs {
		r := res.TxsResults[i]
		b.Txs = append(b.Txs, Tx{Hash: strings.ToUpper(hex.EncodeToString(tmhash.Sum(raw))), Code: r.Code, Codespace: r.Codespace,
			Log: r.Log, Raw: raw, Events: r.Events})
	}
	return b, nil
}

// Record is record id as stored at height, read over abci_query.
func (s *RPCSource) Record(ctx context.Context, id uint64, height int64) (vehicletypes.Record, error) {
	return queryRecord(ctx, vehicletypes.NewQueryClient(client.QueryConnAt(s.rpc, s.url, height)), id, height)
}

func queryRecord(ctx context.Context, q vehicletypes.QueryClient, id uint64, height int64) (vehicletypes.Record, error) {
	res, err := q.Record(ctx, &vehicletypes.QueryRecordRequest{Id: id})
	if err != nil {
		return vehicletypes.Record{}, fmt.Errorf("record %d at height %d: %w", id, height, err)
	}
	return res.Record, nil
}

// Asset is asset id as stored at height, read over abci_query.
func (s *RPCSource) Asset(ctx context.Context, id uint64, height int64) (assettypes.Asset, error) {
	res, err := assettypes.NewQueryClient(client.QueryConnAt(s.rpc, s.url, height)).Asset(ctx, &assettypes.QueryAssetRequest{Id: id})
	if err != nil {
		return assettypes.Asset{}, fmt.Errorf("asset %d at height %d: %w", id, height, err)
	}
	return res.Asset, nil
}

// Loan is loan id as stored at height, read over abci_query.
func (s *RPCSource) Loan(ctx context.Context, id uint64, height int64) (assettypes.Loan, error) {
	res, err := assettypes.NewQueryClient(client.QueryConnAt(s.rpc, s.url, height)).Loan(ctx, &assettypes.QueryLoanRequest{Id: id})
	if err != nil {
		return assettypes.Loan{}, fmt.Errorf("loan %d at height %d: %w", id, height, err)
	}
	return res.Loan, nil
}
