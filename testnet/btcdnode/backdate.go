package btcdnode

import (
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/btcsuite/btcd/blockchain"
	"github.com/btcsuite/btcd/btcutil"
	"github.com/btcsuite/btcd/chaincfg"
	"github.com/btcsuite/btcd/chaincfg/chainhash"
	"github.com/btcsuite/btcd/mining"
	"github.com/btcsuite/btcd/txscript"
	"github.com/btcsuite/btcd/wire"
)

// backdate is how long before the wall clock the first backdated block is
// stamped: room for a few thousand blocks one second apart.
const backdate = time.Hour

// versionBitsTop marks a BIP-9 block version.
const versionBitsTop = 0x20000000

// submitBackdated builds count blocks on the tip, one second apart from an
// hour ago (or just after the tip), each paying the mining address and
// signalling the CSV, segwit and taproot deployments, and submits them.
func (n *Node) submitBackdated(count uint32) error {
	pkScript, err := n.miningScript()
	if err != nil {
		return err
	}
	prev, height, err := n.client.GetBestBlock()
	if err != nil {
		return fmt.Errorf("getbestblock: %w", err)
	}
	tip, err := n.client.GetBlockHeader(prev)
	if err != nil {
		return fmt.Errorf("getblockheader %s: %w", prev, err)
	}
	stamp := max(tip.Timestamp.Unix()+1, time.Now().Add(-backdate).Unix())
	for range count {
		height++
		block := n.block(*prev, height, time.Unix(stamp, 0), pkScript, nil)
		if err := n.client.SubmitBlock(btcutil.NewBlock(block), nil); err != nil {
			return fmt.Errorf("submitblock at height %d: %w", height, err)
		}
		hash := block.BlockHash()
		prev = &hash
		stamp++
	}
	return nil
}

func (n *Node) miningScript() ([]byte, error) {
	if n.miningAddr == "" {
		return nil, errors.New("btcdnode: no Options.MiningAddr to pay blocks to")
	}
	addr, err := btcutil.DecodeAddress(n.miningAddr, n.Params)
	if err != nil {
		return nil, fmt.Errorf("mining address %s: %w", n.miningAddr, err)
	}
	return txscript.PayToAddrScript(addr)
}

// block is a solved block at height on prev whose coinbase pays the full
// subsidy to pkScript, carrying txs after it (their fees go unclaimed).
func (n *Node) block(prev chainhash.Hash, height int32, stamp time.Time, pkScript []byte, txs []*wire.MsgTx) *wire.MsgBlock {
	// BIP-34: the coinbase script starts with the height; the second push
	// keeps it at the 2-byte minimum even for heights 1-16.
	sig, _ := txscript.NewScriptBuilder().AddInt64(int64(height)).AddInt64(0).Script()
	coinbase := wire.NewMsgTx(wire.TxVersion)
	coinbase.AddTxIn(&wire.TxIn{
		PreviousOutPoint: wire.OutPoint{Index: wire.MaxPrevOutIndex},
		SignatureScript:  sig,
		Sequence:         wire.MaxTxInSequenceNum,
	})
	coinbase.AddTxOut(wire.NewTxOut(subsidy(n.Params, height), pkScript))
	all := []*btcutil.Tx{btcutil.NewTx(coinbase)}
	for _, tx := range txs {
		all = append(all, btcutil.NewTx(tx))
	}
	if len(txs) > 0 {
		// BIP-141: a block with witness transactions commits to them.
		mining.AddWitnessCommitment(all[0], all)
	}
	block := wire.NewMsgBlock(wire.NewBlockHeader(signalVersion(n.Params), &prev, new(chainhash.Hash), n.Params.PowLimitBits, 0))
	block.Header.Timestamp = stamp
	for _, tx := range all {
		_ = block.AddTransaction(tx.MsgTx())
	}
	block.Header.MerkleRoot = blockchain.CalcMerkleRoot(btcutil.NewBlock(block).Transactions(), false)
	// Test chains take any hash under the easiest target: about one in two.
	target := compactToBig(n.Params.PowLimitBits)
	for !hashBelow(block.Header.BlockHash(), target) {
		block.Header.Nonce++
	}
	return block
}

func signalVersion(p *chaincfg.Params) int32 {
	v := uint32(versionBitsTop)
	for _, d := range []int{chaincfg.DeploymentCSV, chaincfg.DeploymentSegwit, chaincfg.DeploymentTaproot} {
		v |= 1 << p.Deployments[d].BitNumber
	}
	return int32(v)
}

// subsidy is the block reward at height: 50 BTC halved every
// SubsidyReductionInterval blocks.
func subsidy(p *chaincfg.Params, height int32) int64 {
	halvings := height / p.SubsidyReductionInterval
	if halvings >= 64 {
		return 0
	}
	return (50 * btcutil.SatoshiPerBitcoin) >> uint(halvings)
}

// compactToBig expands a block header's compact target (mantissa and
// base-256 exponent).
func compactToBig(bits uint32) *big.Int {
	mantissa := big.NewInt(int64(bits & 0x007fffff))
	exp := uint(bits >> 24)
	if exp <= 3 {
		return mantissa.Rsh(mantissa, 8*(3-exp))
	}
	return mantissa.Lsh(mantissa, 8*(exp-3))
}

// hashBelow compares a block hash (little-endian) with a target.
func hashBelow(h chainhash.Hash, target *big.Int) bool {
	be := slices.Clone(h[:])
	slices.Reverse(be)
	return new(big.Int).SetBytes(be).Cmp(target) <= 0
}
