package notary

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/vinhub/vinhub/adapters/bitcoin"
	"github.com/vinhub/vinhub/client"
	"github.com/vinhub/vinhub/x/notary/types"
)

// Config is the [notary] section of vinrelay's config.
type Config struct {
	// Hub is the id of the hub in [[chains]]; Key names the hub account
	// (in vinrelay's keyring) that signs MsgAttest: the member's operator.
	Hub string `toml:"hub"`
	Key string `toml:"key"`
	// SignerKey names the BIP-340 key in vinrelay's keyring (`vinrelay
	// notary keys add`).
	SignerKey    string          `toml:"signer_key"`
	PollInterval client.Duration `toml:"poll_interval"`
	// MetricsAddr serves /metrics and /healthz for `notary start`; empty disables it.
	MetricsAddr string `toml:"metrics_addr"`
	// MaxAttestationsPerTx bounds the MsgAttest messages of one transaction
	// (0: DefaultMaxAttestationsPerTx); a batch the hub finds too large for
	// max_gas is halved.
	MaxAttestationsPerTx int            `toml:"max_attestations_per_tx,omitempty"`
	Ledgers              []LedgerConfig `toml:"ledgers,omitempty"`
	// Stellar lists the Stellar networks watched and, on each, the accounts.
	Stellar []StellarConfig `toml:"stellar,omitempty"`
	// Bitcoin lists the Bitcoin networks watched, each through a btcd node.
	Bitcoin []BitcoinConfig `toml:"bitcoin,omitempty"`
}

// BitcoinConfig is one Bitcoin network the notary reads through a btcd
// node, and the addresses on it whose payments naming a hub loan it
// attests (lenders' addresses named in loans' foreign repayment terms).
// HTLC claims are attested wherever they are.
type BitcoinConfig struct {
	bitcoin.NodeConfig
	Addresses []string `toml:"addresses"`
	// Confirmations a block needs before its events are signed (0: 1, as
	// adapters/bitcoin; use 6 on mainnet).
	Confirmations int64 `toml:"confirmations"`
	// StartHeight is where a notary without a cursor starts reading.
	StartHeight int64 `toml:"start_height,omitempty"`
	// Loans also watches the lenders' addresses on this network named in
	// the foreign repayment terms of the hub's active loans.
	Loans bool `toml:"loans,omitempty"`
}

// Source connects to the node and builds the source; cert is RPCCert
// resolved, state names the file keeping the blocks read (StatePath) and
// closeNode ends the connection.
func (c BitcoinConfig) Source(cert string, state func(name string) string) (src *BitcoinSource, closeNode func(), err error) {
	node, err := bitcoin.Dial(c.Config(cert))
	if err != nil {
		return nil, nil, err
	}
	name := types.SourceID(types.PLATFORM_BITCOIN, node.Params.GenesisHash.String())
	src, err = NewBitcoinSource(node, node.Params, c.Addresses, c.Confirmations, c.StartHeight, state(name))
	if err != nil {
		node.Close()
		return nil, nil, err
	}
	return src, node.Close, nil
}

// StellarConfig is one Stellar network the notary reads through Horizon,
// and the accounts on it whose incoming payments and HTLC claims it attests
// (lenders' accounts named in loans' foreign repayment terms).
type StellarConfig struct {
	// Horizon is the Horizon server's base URL.
	Horizon string `toml:"horizon"`
	// Passphrase is the network passphrase; its SHA-256 is the network id.
	Passphrase string   `toml:"passphrase"`
	Accounts   []string `toml:"accounts"`
}

// Sources are the config's watched accounts, one source each.
func (c StellarConfig) Sources() ([]*StellarSource, error) {
	out := make([]*StellarSource, 0, len(c.Accounts))
	for _, a := range c.Accounts {
		s, err := NewStellarSource(c.Horizon, c.Passphrase, a)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// LedgerConfig is one dealer ledger in PostgreSQL the notary watches.
type LedgerConfig struct {
	// ID is the ledger id bound to the dealer on the hub.
	ID string `toml:"id"`
	// DSN is a PostgreSQL connection string (postgres://user@host:port/db).
	DSN string `toml:"dsn"`
}

// DefaultMaxAttestationsPerTx is max_attestations_per_tx when unset: a
// burst of events reaches the hub in one transaction per poll, well under a
// block's gas (a finalizing MsgAttest of a vehicle record uses ~200k gas).
const DefaultMaxAttestationsPerTx = 50

// DefaultConfig is what an empty [notary] section means.
func DefaultConfig() Config {
	return Config{SignerKey: "notary", PollInterval: client.Duration{Duration: time.Second}, MaxAttestationsPerTx: DefaultMaxAttestationsPerTx}
}

// maxPerTx is MaxAttestationsPerTx with 0 meaning the default.
func (c Config) maxPerTx() int {
	if c.MaxAttestationsPerTx > 0 {
		return c.MaxAttestationsPerTx
	}
	return DefaultMaxAttestationsPerTx
}

// Enabled reports whether a [notary] section names a hub.
func (c Config) Enabled() bool { return c.Hub != "" }

// Validate reports the first notary setting that cannot work. chain checks
// that the hub is a configured chain.
func (c Config) Validate(chain func(id string) error) error {
	if !c.Enabled() {
		return nil
	}
	if err := chain(c.Hub); err != nil {
		return fmt.Errorf("notary.hub: %w", err)
	}
	if c.Key == "" || c.SignerKey == "" {
		return errors.New("notary needs key (the operator's hub key) and signer_key (its BIP-340 key, `vinrelay notary keys add`)")
	}
	if c.PollInterval.Duration <= 0 {
		return errors.New("notary.poll_interval must be positive")
	}
	if c.MaxAttestationsPerTx < 0 {
		return errors.New("notary.max_attestations_per_tx may not be negative (0 means the default)")
	}
	seen := map[string]bool{}
	for i, l := range c.Ledgers {
		if err := types.ValidateLedgerID(l.ID); err != nil {
			return fmt.Errorf("notary.ledgers[%d]: %w", i, err)
		}
		if seen[l.ID] || l.DSN == "" {
			return fmt.Errorf("notary.ledgers[%d]: ledger %q needs a dsn and may be listed once", i, l.ID)
		}
		seen[l.ID] = true
	}
	if err := c.validateStellar(); err != nil {
		return err
	}
	return c.validateBitcoin()
}

// validateBitcoin wants a node, a known network watched once, and
// addresses of that network.
func (c Config) validateBitcoin() error {
	seen := map[string]bool{}
	for i, bc := range c.Bitcoin {
		params, err := bitcoin.NetParams(bc.Net)
		if err != nil {
			return fmt.Errorf("notary.bitcoin[%d]: %w", i, err)
		}
		if bc.RPC == "" || bc.Confirmations < 0 || bc.StartHeight < 0 {
			return fmt.Errorf("notary.bitcoin[%d]: needs rpc (host:port); confirmations and start_height may not be negative", i)
		}
		if seen[params.Name] {
			return fmt.Errorf("notary.bitcoin[%d]: network %s is listed twice", i, params.Name)
		}
		seen[params.Name] = true
		if _, err := NewBitcoinSource(nil, params, bc.Addresses, bc.Confirmations, bc.StartHeight, ""); err != nil {
			return fmt.Errorf("notary.bitcoin[%d]: %w", i, err)
		}
	}
	return nil
}

// validateStellar wants a horizon URL, a passphrase and valid accounts in
// each entry, and each account watched once per network.
func (c Config) validateStellar() error {
	seen := map[string]bool{}
	for i, sc := range c.Stellar {
		u, err := url.Parse(sc.Horizon)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("notary.stellar[%d]: horizon %q must be an http(s) URL", i, sc.Horizon)
		}
		if sc.Passphrase == "" || len(sc.Accounts) == 0 {
			return fmt.Errorf("notary.stellar[%d]: needs the network passphrase and at least one account", i)
		}
		sources, err := sc.Sources()
		if err != nil {
			return fmt.Errorf("notary.stellar[%d]: %w", i, err)
		}
		for _, s := range sources {
			if seen[s.Name()] {
				return fmt.Errorf("notary.stellar[%d]: account %s is watched twice on that network", i, s.Account)
			}
			seen[s.Name()] = true
		}
	}
	return nil
}
