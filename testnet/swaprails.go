package testnet

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/vinhub/vinhub/adapters/bitcoin"
	"github.com/vinhub/vinhub/adapters/swap"
	"github.com/vinhub/vinhub/client"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcutil"
	"github.com/btcsuite/btcd/chaincfg"
	"github.com/btcsuite/btcd/chaincfg/chainhash"
	"github.com/stellar/go-stellar-sdk/amount"
	"github.com/stellar/go-stellar-sdk/clients/horizonclient"
	"github.com/stellar/go-stellar-sdk/keypair"

	"github.com/vinhub/vinhub/testnet/btcdnode"
	"github.com/vinhub/vinhub/testnet/stellarsim"
)

// Timings of the swap rails on loopback: blocks, ledgers and watchers are
// fast here, so swaps can use windows of seconds.
const (
	swapRelayerDelay  = 3 * time.Second
	stellarFinality   = 2 * time.Second
	bitcoinFinality   = 3 * time.Second
	bitcoinBlockEvery = 500 * time.Millisecond
)

// SwapRails are the foreign rails of a swap on loopback: the Stellar
// ledger simulator (in this process) and a real btcd in simnet, mining a
// block every 500ms to the miner key.
type SwapRails struct {
	Stellar *stellarsim.Sim
	Bitcoin *btcdnode.Node

	stopMining func() error
}

// StartSwapRails starts both rails under dir. Coinbases pay miner, so it
// holds all the bitcoin at first.
func StartSwapRails(ctx context.Context, dir string, miner *btcec.PrivateKey) (*SwapRails, error) {
	sim, err := stellarsim.New(stellarsim.Config{})
	if err != nil {
		return nil, err
	}
	if _, err := sim.Start(""); err != nil {
		return nil, err
	}
	r := &SwapRails{Stellar: sim}
	addr, err := p2wpkh(miner)
	if err != nil {
		r.Stop()
		return nil, err
	}
	if r.Bitcoin, err = btcdnode.Start(ctx, btcdnode.Options{Dir: filepath.Join(dir, "btcd"), MiningAddr: addr.EncodeAddress()}); err != nil {
		r.Stop()
		return nil, err
	}
	if err := r.Bitcoin.ActivateSegwit(ctx); err != nil {
		r.Stop()
		return nil, err
	}
	r.stopMining = r.Bitcoin.AutoMine(bitcoinBlockEvery)
	return r, nil
}

// Stop stops mining, btcd and the simulator.
func (r *SwapRails) Stop() error {
	var err error
	if r.stopMining != nil {
		err = r.stopMining()
	}
	if r.Bitcoin != nil {
		r.Bitcoin.Stop()
	}
	if cerr := r.Stellar.Close(); err == nil {
		err = cerr
	}
	return err
}

// NewParty creates a swap party's vinrelay home with its hub key (from
// mnemonic), a fresh Stellar account funded by friendbot and btcKey on
// the bitcoin rail.
func (r *SwapRails) NewParty(ctx context.Context, relayBin, home, name string, hub *Node, mnemonic string, btcKey *btcec.PrivateKey) (*SwapParty, error) {
	stellarKey, err := keypair.Random()
	if err != nil {
		return nil, err
	}
	if _, err := r.Stellar.Fund(ctx, stellarKey.Address()); err != nil {
		return nil, fmt.Errorf("fund %s's Stellar account: %w", name, err)
	}
	wif, err := btcutil.NewWIF(btcKey, r.Bitcoin.Params, true)
	if err != nil {
		return nil, err
	}
	p, err := NewSwapParty(ctx, relayBin, home, name, hub, mnemonic, swap.Config{
		RelayerDelay: client.Duration{Duration: swapRelayerDelay},
		Stellar: &swap.StellarRail{Horizon: r.Stellar.URL(), Passphrase: r.Stellar.Passphrase(), SeedKey: swapKeyName,
			BaseFee: 100, Finality: client.Duration{Duration: stellarFinality}},
		Bitcoin: &swap.BitcoinRail{NodeConfig: bitcoin.NodeConfig{RPC: r.Bitcoin.RPCAddr, RPCUser: r.Bitcoin.RPCUser, RPCPass: r.Bitcoin.RPCPass,
			NoTLS: true, Net: "simnet"}, WIFKey: swapKeyName, FeeRate: 2, Confirmations: 1, Finality: client.Duration{Duration: bitcoinFinality}},
	})
	if err != nil {
		return nil, err
	}
	for rail, secret := range map[string]string{"stellar": stellarKey.Seed(), "bitcoin": wif.String()} {
		if _, err := p.ExecInput(ctx, secret+"\n", "swap", "import-key", rail, swapKeyName); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// swapKeyName names each party's Stellar seed and bitcoin key in its keyring.
const swapKeyName = "party"

// Lumens is an account's native balance on the simulator, in stroops.
func (r *SwapRails) Lumens(account string) (int64, error) {
	hc := &horizonclient.Client{HorizonURL: r.Stellar.URL()}
	acc, err := hc.AccountDetail(horizonclient.AccountRequest{AccountID: account})
	if err != nil {
		return 0, fmt.Errorf("stellar account %s: %w", account, err)
	}
	bal, err := acc.GetNativeBalance()
	if err != nil {
		return 0, err
	}
	return amount.ParseInt64(bal)
}

// Satoshis is what output vout of txid pays, and to which address, while unspent.
func (r *SwapRails) Satoshis(txid string, vout uint32) (int64, string, error) {
	h, err := chainhash.NewHashFromStr(txid)
	if err != nil {
		return 0, "", err
	}
	out, err := r.Bitcoin.Client().GetTxOut(h, vout, true)
	if err != nil || out == nil {
		return 0, "", fmt.Errorf("output %s:%d is spent or unknown (%v)", txid, vout, err)
	}
	sats, err := btcutil.NewAmount(out.Value)
	if err != nil {
		return 0, "", err
	}
	if len(out.ScriptPubKey.Addresses) != 1 {
		return 0, "", fmt.Errorf("output %s:%d pays %v", txid, vout, out.ScriptPubKey.Addresses)
	}
	return int64(sats), out.ScriptPubKey.Addresses[0], nil
}

// BitcoinAddress is the P2WPKH address the bitcoin rail pays key at.
func (r *SwapRails) BitcoinAddress(key *btcec.PrivateKey) (string, error) {
	a, err := p2wpkh(key)
	if err != nil {
		return "", err
	}
	return a.EncodeAddress(), nil
}

func p2wpkh(key *btcec.PrivateKey) (*btcutil.AddressWitnessPubKeyHash, error) {
	return btcutil.NewAddressWitnessPubKeyHash(btcutil.Hash160(key.PubKey().SerializeCompressed()), &chaincfg.SimNetParams)
}
