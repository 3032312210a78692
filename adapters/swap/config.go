package swap

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/vinhub/vinhub/adapters/bitcoin"
	"github.com/vinhub/vinhub/client"
)

// Config is the [swap] section of vinrelay's config: the rails `vinrelay
// swap` can use and the keys it signs with on each. A rail left out is
// simply not available.
type Config struct {
	// RelayerDelay is how long this party's watcher may take to act on a
	// revealed secret; it widens the timelock-safety margin.
	RelayerDelay client.Duration `toml:"relayer_delay"`
	// PollInterval is how often watchers read the rails.
	PollInterval client.Duration `toml:"poll_interval"`
	Hub          *HubRail        `toml:"hub,omitempty"`
	Stellar      *StellarRail    `toml:"stellar,omitempty"`
	Bitcoin      *BitcoinRail    `toml:"bitcoin,omitempty"`
}

// HubRail is the hub as a swap rail: a chain from [[chains]] and a key.
type HubRail struct {
	// Chain is the id of a configured chain (its rpc and gas price are used).
	Chain string `toml:"chain"`
	// Key names the key in vinrelay's keyring for that chain (`vinrelay keys add`).
	Key      string          `toml:"key"`
	Finality client.Duration `toml:"finality"`
}

// StellarRail is a Horizon server and the party's Stellar account.
type StellarRail struct {
	Horizon    string `toml:"horizon"`
	Passphrase string `toml:"passphrase"`
	// SeedKey names the account's secret seed (S...) in vinrelay's keyring
	// (`vinrelay swap import-key stellar NAME`).
	SeedKey string `toml:"seed_key"`
	// SeedFile was a plain file holding the seed; it is refused (see Validate).
	SeedFile string          `toml:"seed_file,omitempty"`
	BaseFee  int64           `toml:"base_fee"`
	Finality client.Duration `toml:"finality"`
}

// BitcoinRail is a btcd RPC endpoint and the party's key.
type BitcoinRail struct {
	bitcoin.NodeConfig
	// WIFKey names the party's private key (WIF) in vinrelay's keyring
	// (`vinrelay swap import-key bitcoin NAME`).
	WIFKey string `toml:"wif_key"`
	// WIFFile was a plain file holding the key; it is refused (see Validate).
	WIFFile       string          `toml:"wif_file,omitempty"`
	FeeRate       int64           `toml:"fee_rate"`
	Confirmations int64           `toml:"confirmations"`
	Finality      client.Duration `toml:"finality"`
	// MedianTimeLag is how far the chain's median time past may trail the
	// clock (0: 2h on mainnet and testnet3, 1m on simnet and regtest).
	MedianTimeLag client.Duration `toml:"median_time_lag,omitempty"`
}

// DefaultConfig is what an empty [swap] section means.
func DefaultConfig() Config {
	return Config{RelayerDelay: client.Duration{Duration: 30 * time.Second}, PollInterval: client.Duration{Duration: time.Second}}
}

// Validate reports the first swap setting that cannot work. chain checks
// that the hub rail's chain is configured (vinrelay's [[chains]]).
func (s Config) Validate(chain func(id string) error) error {
	if s.RelayerDelay.Duration < 0 || s.PollInterval.Duration <= 0 {
		return errors.New("swap.relayer_delay must not be negative and swap.poll_interval must be positive")
	}
	if h := s.Hub; h != nil {
		if err := chain(h.Chain); err != nil {
			return fmt.Errorf("swap.hub.chain: %w", err)
		}
		if h.Key == "" || h.Finality.Duration <= 0 {
			return errors.New("swap.hub needs key (a key in vinrelay's keyring) and a positive finality")
		}
	}
	if st := s.Stellar; st != nil {
		if u, err := url.Parse(st.Horizon); err != nil || u.Host == "" {
			return fmt.Errorf("swap.stellar.horizon %q is not an http(s)://host:port address", st.Horizon)
		}
		if st.SeedFile != "" {
			return fmt.Errorf("swap.stellar.seed_file: the seed is no longer read from a plain file: import it into the keyring with `vinrelay swap import-key stellar NAME < %s`, delete the file and set seed_key = \"NAME\"", st.SeedFile)
		}
		if st.Passphrase == "" || st.SeedKey == "" || st.Finality.Duration <= 0 {
			return errors.New("swap.stellar needs passphrase, seed_key (`vinrelay swap import-key stellar NAME`) and a positive finality")
		}
	}
	if b := s.Bitcoin; b != nil {
		if b.WIFFile != "" {
			return fmt.Errorf("swap.bitcoin.wif_file: the key is no longer read from a plain file: import it into the keyring with `vinrelay swap import-key bitcoin NAME < %s`, delete the file and set wif_key = \"NAME\"", b.WIFFile)
		}
		if b.RPC == "" || b.WIFKey == "" || b.Finality.Duration <= 0 || b.Confirmations < 1 || b.FeeRate < 1 {
			return errors.New("swap.bitcoin needs rpc, wif_key (`vinrelay swap import-key bitcoin NAME`), fee_rate >= 1, confirmations >= 1 and a positive finality")
		}
		switch b.Net {
		case "simnet", "regtest", "testnet3", "mainnet":
		default:
			return fmt.Errorf("swap.bitcoin.net %q: use simnet, regtest, testnet3 or mainnet", b.Net)
		}
	}
	return nil
}
