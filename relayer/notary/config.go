package notary

import (
	"errors"
	"fmt"
	"time"

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
	MetricsAddr string         `toml:"metrics_addr"`
	Ledgers     []LedgerConfig `toml:"ledgers,omitempty"`
}

// LedgerConfig is one dealer ledger in PostgreSQL the notary watches.
type LedgerConfig struct {
	// ID is the ledger id bound to the dealer on the hub.
	ID string `toml:"id"`
	// DSN is a PostgreSQL connection string (postgres://user@host:port/db).
	DSN string `toml:"dsn"`
}

// DefaultConfig is what an empty [notary] section means.
func DefaultConfig() Config {
	return Config{SignerKey: "notary", PollInterval: client.Duration{Duration: time.Second}}
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
	return nil
}
