package btcdnode

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/btcsuite/btcd/chaincfg/chainhash"
)

// Generate mines n blocks paying Options.MiningAddr and returns their hashes.
func (n *Node) Generate(count uint32) ([]*chainhash.Hash, error) {
	hashes, err := n.client.Generate(count)
	if err != nil {
		return nil, fmt.Errorf("btcd generate %d: %w", count, err)
	}
	return hashes, nil
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
