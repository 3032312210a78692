package bitcoin

import (
	"context"
	"fmt"

	"github.com/btcsuite/btcd/chaincfg"
	"github.com/btcsuite/btcd/chaincfg/chainhash"
	"github.com/btcsuite/btcd/rpcclient"
	"github.com/btcsuite/btcd/wire"
)

// Node reads a btcd node's best chain, block by block: what a watcher
// holding no key needs (the notary's Bitcoin source). It needs no index;
// blocks carry their witnesses.
type Node struct {
	// Params are the chain's parameters (Config.Net).
	Params *chaincfg.Params
	client *rpcclient.Client
}

// Dial checks cfg's network and connection settings (Key and the fee
// settings are not used) and connects an RPC client; nothing is sent
// until the first call.
func Dial(cfg Config) (*Node, error) {
	params, err := NetParams(cfg.Net)
	if err != nil {
		return nil, err
	}
	cc, err := connConfig(cfg, params)
	if err != nil {
		return nil, err
	}
	c, err := rpcclient.New(cc, nil)
	if err != nil {
		return nil, fmt.Errorf("bitcoin rpc client: %w", err)
	}
	return &Node{Params: params, client: c}, nil
}

// Close shuts the RPC client down.
func (n *Node) Close() { n.client.Shutdown() }

// Tip is the height of the node's best block.
func (n *Node) Tip(ctx context.Context) (int64, error) {
	h, err := call(ctx, n.client.GetBlockCount)
	if err != nil {
		return 0, fmt.Errorf("bitcoin getblockcount: %w", err)
	}
	return h, nil
}

// BlockHash is the hash of the best chain's block at height.
func (n *Node) BlockHash(ctx context.Context, height int64) (chainhash.Hash, error) {
	h, err := call(ctx, func() (*chainhash.Hash, error) { return n.client.GetBlockHash(height) })
	if err != nil {
		return chainhash.Hash{}, fmt.Errorf("bitcoin getblockhash %d: %w", height, err)
	}
	return *h, nil
}

// Block is the block with hash, witnesses included.
func (n *Node) Block(ctx context.Context, hash chainhash.Hash) (*wire.MsgBlock, error) {
	b, err := call(ctx, func() (*wire.MsgBlock, error) { return n.client.GetBlock(&hash) })
	if err != nil {
		return nil, fmt.Errorf("bitcoin getblock %s: %w", hash, err)
	}
	return b, nil
}
