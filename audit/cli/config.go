package cli

import (
	"encoding/hex"
	"fmt"

	"github.com/vinhub/vinhub/audit"
	"github.com/vinhub/vinhub/client"
	"github.com/vinhub/vinhub/configfile"
)

// ConfigFile is the auditor's config, in its home.
const ConfigFile = configfile.Name

// Config is what the auditor trusts and where it asks.
type Config struct {
	Hub Chain `toml:"hub"`
	// Dealers are the dealer chains whose originals of the hub's IBC records
	// the auditor reads and compares; a record from a chain not listed stays CLAIMED.
	Dealers []Chain `toml:"dealers"`
}

// Chain is one chain's endpoints and trust anchor.
type Chain struct {
	ChainID string `toml:"chain_id"`
	// Primary serves the headers and proofs; Witnesses cross-check every header.
	Primary   string   `toml:"primary"`
	Witnesses []string `toml:"witnesses"`
	// TrustHeight and TrustHash are the header the auditor trusts from the start.
	TrustHeight int64  `toml:"trust_height"`
	TrustHash   string `toml:"trust_hash"`
	// TrustingPeriod is how long after its time a trusted header stays trusted.
	TrustingPeriod client.Duration `toml:"trusting_period"`
}

// Anchor is the chain's trust anchor.
func (c Chain) Anchor() (audit.Anchor, error) {
	hash, err := hex.DecodeString(c.TrustHash)
	if err != nil || len(hash) != 32 || c.TrustHeight <= 0 || c.TrustingPeriod.Duration <= 0 {
		return audit.Anchor{}, fmt.Errorf("chain %s: trust_height, trust_hash (32 bytes in hex) and trusting_period are required", c.ChainID)
	}
	return audit.Anchor{Height: c.TrustHeight, Hash: hash, Period: c.TrustingPeriod.Duration}, nil
}

// Validate checks what a config must have.
func (c Chain) Validate() error {
	if c.ChainID == "" || c.Primary == "" {
		return fmt.Errorf("chain %q: chain_id and primary are required", c.ChainID)
	}
	if len(c.Witnesses) == 0 {
		return fmt.Errorf("chain %s: at least one witness RPC is required; a single server could lie unseen", c.ChainID)
	}
	_, err := c.Anchor()
	return err
}

// Validate checks the hub's and every dealer chain's settings.
func (c Config) Validate() error {
	for _, chain := range append([]Chain{c.Hub}, c.Dealers...) {
		if err := chain.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// LoadConfig reads and validates home/config.toml.
func LoadConfig(home string) (Config, error) {
	var cfg Config
	if err := configfile.Load(home, "vinaudit init", &cfg); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// Save writes home/config.toml.
func (c Config) Save(home string) error { return configfile.Save(home, c) }
