package bitcoin

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcutil"
	"github.com/btcsuite/btcd/chaincfg"
	"github.com/btcsuite/btcd/rpcclient"
)

// Config is one party's view of a btcd node.
type Config struct {
	// RPCHost is the node's RPC host:port.
	RPCHost, RPCUser, RPCPass string
	// NoTLS talks plain HTTP (btcd --notls, loopback only); otherwise
	// RPCCert is the node's rpc.cert file.
	NoTLS   bool
	RPCCert string
	// Net names the chain: simnet, regtest, testnet3 or mainnet.
	Net string
	// Key is the party's private key in WIF (compressed).
	Key string
	// FeeRate is the fee in satoshis per virtual byte (default 2).
	FeeRate int64
	// Confirmations a transaction needs before it counts (default 1).
	Confirmations int64
	// Finality is how long Confirmations take (default 10 minutes each).
	Finality time.Duration
	// PollInterval is how often the node is asked while waiting (default 5s).
	PollInterval time.Duration
	// MedianTimeLag is how far the chain's median time past may trail the
	// clock: a refund is valid only once it passes the locktime (default
	// 2h on mainnet and testnet3, 1 minute on simnet and regtest).
	MedianTimeLag time.Duration
}

// NodeConfig is how vinrelay's config reaches a btcd node: the swap
// rail's [swap.bitcoin] and the notary's [[notary.bitcoin]] share it.
type NodeConfig struct {
	RPC     string `toml:"rpc"`
	RPCUser string `toml:"rpc_user"`
	RPCPass string `toml:"rpc_pass"`
	// NoTLS talks plain HTTP to the node (btcd allows it on localhost only).
	NoTLS bool `toml:"no_tls"`
	// RPCCert is the node's rpc.cert when TLS is on, relative to the home.
	RPCCert string `toml:"rpc_cert,omitempty"`
	// Net is simnet, regtest, testnet3 or mainnet.
	Net string `toml:"net"`
}

// Config is the adapter's Config for the node, cert the RPCCert path resolved.
func (n NodeConfig) Config(cert string) Config {
	return Config{RPCHost: n.RPC, RPCUser: n.RPCUser, RPCPass: n.RPCPass, NoTLS: n.NoTLS, RPCCert: cert, Net: n.Net}
}

// Rail is the Bitcoin swap rail of one party: it locks, claims and
// refunds with Config.Key. It implements htlc.Rail.
type Rail struct {
	params   *chaincfg.Params
	key      *btcec.PrivateKey
	pub      *btcec.PublicKey
	node     *rpcclient.Client
	feeRate  int64
	confs    int64
	finality time.Duration
	poll     time.Duration
	mtpLag   time.Duration
	fundMu   sync.Mutex
}

// New checks cfg and connects an RPC client (HTTP POST; nothing is sent
// until the first call).
func New(cfg Config) (*Rail, error) {
	params, err := NetParams(cfg.Net)
	if err != nil {
		return nil, err
	}
	wif, err := btcutil.DecodeWIF(cfg.Key)
	if err != nil {
		return nil, fmt.Errorf("bitcoin key: %w", err)
	}
	if !wif.IsForNet(params) {
		return nil, fmt.Errorf("bitcoin key is not for %s", params.Name)
	}
	if !wif.CompressPubKey {
		return nil, errors.New("bitcoin key must be a compressed WIF (segwit needs compressed keys)")
	}
	r := &Rail{params: params, key: wif.PrivKey, pub: wif.PrivKey.PubKey()}
	r.applyDefaults(cfg)
	if r.feeRate < 1 {
		return nil, fmt.Errorf("bitcoin fee rate %d sat/vB: btcd relays nothing under 1", r.feeRate)
	}
	node, err := Dial(cfg)
	if err != nil {
		return nil, err
	}
	r.node = node.client
	return r, nil
}

func (r *Rail) applyDefaults(cfg Config) {
	r.feeRate, r.confs, r.finality, r.poll = cfg.FeeRate, cfg.Confirmations, cfg.Finality, cfg.PollInterval
	if r.feeRate == 0 {
		r.feeRate = 2
	}
	if r.confs <= 0 {
		r.confs = 1
	}
	if r.finality <= 0 {
		r.finality = time.Duration(r.confs) * 10 * time.Minute
	}
	if r.poll <= 0 {
		r.poll = 5 * time.Second
	}
	r.mtpLag = cfg.MedianTimeLag
	if r.mtpLag <= 0 {
		r.mtpLag = 2 * time.Hour
		if r.params.Name == chaincfg.SimNetParams.Name || r.params.Name == chaincfg.RegressionNetParams.Name {
			r.mtpLag = time.Minute
		}
	}
}

func connConfig(cfg Config, params *chaincfg.Params) (*rpcclient.ConnConfig, error) {
	cc := &rpcclient.ConnConfig{
		Host:         cfg.RPCHost,
		User:         cfg.RPCUser,
		Pass:         cfg.RPCPass,
		Params:       params.Name,
		HTTPPostMode: true,
		DisableTLS:   cfg.NoTLS,
	}
	if cfg.NoTLS || cfg.RPCCert == "" {
		return cc, nil
	}
	cert, err := os.ReadFile(cfg.RPCCert)
	if err != nil {
		return nil, fmt.Errorf("bitcoin rpc cert: %w", err)
	}
	cc.Certificates = cert
	return cc, nil
}

// NetParams are the chain parameters by name.
func NetParams(name string) (*chaincfg.Params, error) {
	switch name {
	case "simnet":
		return &chaincfg.SimNetParams, nil
	case "regtest":
		return &chaincfg.RegressionNetParams, nil
	case "testnet3", "testnet":
		return &chaincfg.TestNet3Params, nil
	case "mainnet":
		return &chaincfg.MainNetParams, nil
	}
	return nil, fmt.Errorf("bitcoin net %q: want simnet, regtest, testnet3 or mainnet", name)
}

// LateClaim: the script takes the recipient's claim until a refund is
// mined, and a refund is valid only once the median time past passes the
// locktime. So a claim stays possible for the sender's reaction time, the
// median-time lag and the refund's confirmations after the expiry.
func (r *Rail) LateClaim(relayerDelay time.Duration) time.Duration {
	return relayerDelay + r.mtpLag + r.finality
}

// Close shuts the RPC client down.
func (r *Rail) Close() { r.node.Shutdown() }

// Account is the party's compressed public key in hex: the Sender of its
// locks and the Recipient others lock to.
func (r *Rail) Account() string { return pubHex(r.pub) }

// Address is the party's P2WPKH address: where its coins must be to lock,
// and where claims and refunds pay.
func (r *Rail) Address() btcutil.Address { return p2wpkhAddress(r.pub, r.params) }
