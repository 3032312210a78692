package btcdnode

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/btcsuite/btcd/btcutil"
	"github.com/btcsuite/btcd/chaincfg/chainhash"
	"github.com/btcsuite/btcd/wire"
)

// Generate mines n blocks paying Options.MiningAddr and returns their hashes.
func (n *Node) Generate(count uint32) ([]*chainhash.Hash, error) {
	hashes, err := n.client.Generate(count)
	if err != nil {
		return nil, fmt.Errorf("btcd generate %d: %w", count, err)
	}
	return hashes, nil
}

// mineAttempts bounds MineBlock's retries when another block takes the tip
// first (AutoMine runs alongside).
const mineAttempts = 5

// MineBlock mines one block on the tip carrying txs, as any miner may:
// only consensus rules apply, not btcd's relay policy, so a transaction
// the mempool refuses as non-standard (say, a non-minimal OP_IF argument)
// is mined if it is valid. The coinbase pays Options.MiningAddr; the
// fees go unclaimed. It retries on the new tip if another block wins the
// height.
func (n *Node) MineBlock(txs ...*wire.MsgTx) (*chainhash.Hash, error) {
	pkScript, err := n.miningScript()
	if err != nil {
		return nil, err
	}
	for range mineAttempts {
		prev, height, err := n.client.GetBestBlock()
		if err != nil {
			return nil, fmt.Errorf("getbestblock: %w", err)
		}
		tip, err := n.client.GetBlockHeader(prev)
		if err != nil {
			return nil, fmt.Errorf("getblockheader %s: %w", prev, err)
		}
		stamp := time.Unix(max(tip.Timestamp.Unix()+1, time.Now().Unix()), 0)
		block := n.block(*prev, height+1, stamp, pkScript, txs)
		if err := n.client.SubmitBlock(btcutil.NewBlock(block), nil); err != nil {
			return nil, fmt.Errorf("submitblock at height %d: %w", height+1, err)
		}
		hash := block.BlockHash()
		best, err := n.client.GetBestBlockHash()
		if err != nil {
			return nil, fmt.Errorf("getbestblockhash: %w", err)
		}
		if best.IsEqual(&hash) {
			return &hash, nil
		}
	}
	return nil, fmt.Errorf("btcdnode: another block took the tip %d times in a row", mineAttempts)
}

// AutoMine mines one block every interval until the returned stop function
// is called (stop waits for the miner to finish). Errors end the miner; stop
// returns the first one, if any, so a test can fail on it.
func (n *Node) AutoMine(interval time.Duration) (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	var (
		wg  sync.WaitGroup
		err error
	)
	wg.Go(func() {
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-n.done:
				return
			case <-tick.C:
			}
			if _, err = n.Generate(1); err != nil {
				return
			}
		}
	})
	return func() error {
		cancel()
		wg.Wait()
		return err
	}
}

// segwitStatus is btcd's BIP-9 state name for segwit ("defined", "started",
// "lockedin", "active").
func (n *Node) segwitStatus() (string, int32, error) {
	info, err := n.client.GetBlockChainInfo()
	if err != nil {
		return "", 0, fmt.Errorf("getblockchaininfo: %w", err)
	}
	if info.SoftForks == nil || info.Bip9SoftForks["segwit"] == nil {
		return "", info.Blocks, fmt.Errorf("getblockchaininfo reports no segwit deployment")
	}
	return info.Bip9SoftForks["segwit"].Status, info.Blocks, nil
}

// ActivateSegwit mines until segwit is active (height 300 on simnet, 432
// on regtest), a BIP-9 window at a time. It builds and submits these blocks
// itself, stamped one second apart from an hour ago: `generate` stamps each
// block at least a second past the median of the previous eleven, so
// hundreds of blocks mined in a second would carry the chain's median time
// minutes ahead of the wall clock, and btcd's miner takes a time-locked
// transaction only once the wall clock is past its locktime. Blocks mined
// afterwards by Generate carry the wall clock again.
func (n *Node) ActivateSegwit(ctx context.Context) error {
	for {
		status, height, err := n.segwitStatus()
		if err != nil {
			return err
		}
		if status == "active" {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("segwit is %s at height %d: %w", status, height, err)
		}
		window := n.Params.MinerConfirmationWindow
		if err := n.submitBackdated(window - uint32(height)%window); err != nil {
			return err
		}
	}
}

// MedianTime is the median time past of the chain tip (BIP-113): what the
// next block judges time locks against.
func (n *Node) MedianTime() (time.Time, error) {
	info, err := n.client.GetBlockChainInfo()
	if err != nil {
		return time.Time{}, fmt.Errorf("getblockchaininfo: %w", err)
	}
	return time.Unix(info.MedianTime, 0), nil
}
