package relayer

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	host "github.com/cosmos/ibc-go/v11/modules/core/24-host"
	"github.com/vinhub/vinhub/client"
)

// IBC versions a path can speak.
const (
	IBCv2 = "v2"
	IBCv1 = "v1"
)

// Config is the IBC relaying part of vinrelay's configuration: the
// [global] section, [[chains]] and [[paths]].
type Config struct {
	Global GlobalConfig  `toml:"global"`
	Chains []ChainConfig `toml:"chains"`
	Paths  []PathConfig  `toml:"paths"`
}

// GlobalConfig holds settings shared by every chain and path.
type GlobalConfig struct {
	LogLevel string `toml:"log_level"`
	// MetricsAddr serves /metrics and /healthz; empty disables it.
	MetricsAddr string `toml:"metrics_addr"`
	// PollInterval is how often the pull fallback asks each chain for its height.
	PollInterval client.Duration `toml:"poll_interval"`
	// WatchdogTimeout: a websocket feed that misses a block the poll saw for
	// this long is declared silent and resubscribed.
	WatchdogTimeout client.Duration `toml:"watchdog_timeout"`
	// ClearInterval is how often backlogs are compared against chain state.
	ClearInterval client.Duration `toml:"clear_interval"`
	// MaxMsgsPerTx and MaxTxBytes bound one relay transaction. A node
	// refuses transactions above its mempool.max_tx_bytes (1 MiB) and RPC
	// bodies above rpc.max_body_bytes (1 MB, base64-encoded): keep
	// MaxTxBytes well below 740 kB with default nodes.
	MaxMsgsPerTx int `toml:"max_msgs_per_tx"`
	MaxTxBytes   int `toml:"max_tx_bytes"`
	// RefreshFraction: a light client is updated when less than this fraction
	// of its trusting period is left.
	RefreshFraction float64 `toml:"refresh_fraction"`
	// MaxInflightTxs is how many relay txs each worker keeps in flight
	// (broadcast, not yet committed) before it waits for one to commit.
	MaxInflightTxs int `toml:"max_inflight_txs"`
	// ClearLimit bounds how many packets a clearing pass queues per
	// direction, so a huge backlog is cleared in bounded passes beside live
	// packets; 0: no limit.
	ClearLimit int `toml:"clear_limit"`
}

// ChainConfig is one chain vinrelay talks to: what the chain client needs
// and the relayer's own settings for it.
type ChainConfig struct {
	client.Config
	// TrustingPeriod of clients of this chain; 0 = 2/3 of its unbonding period.
	TrustingPeriod client.Duration `toml:"trusting_period"`
}

// PathEnd is one end of a path: a light client (IBC v2) or a port and
// channel over a connection (IBC v1). Empty ids are filled by `paths link`.
type PathEnd struct {
	Chain        string `toml:"chain"`
	ClientID     string `toml:"client_id"`
	ConnectionID string `toml:"connection_id,omitempty"`
	PortID       string `toml:"port_id,omitempty"`
	ChannelID    string `toml:"channel_id,omitempty"`
}

// PathConfig links two chains.
type PathConfig struct {
	Name string `toml:"name"`
	// IBC is "v2" (client to client) or "v1" (connection and channel).
	IBC string `toml:"ibc"`
	// Version is the application version of a v1 channel (e.g. vinhub-vehicle-1).
	Version string `toml:"version,omitempty"`
	// AllowPorts are the application ports whose packets the path relays;
	// empty means DefaultAllowPorts. Anyone can send packets over the
	// path's clients and the relayer pays to relay them, so a packet with
	// any payload from or to another port is skipped.
	AllowPorts []string `toml:"allow_ports,omitempty"`
	A          PathEnd  `toml:"a"`
	B          PathEnd  `toml:"b"`
}

// DefaultAllowPorts is what a path relays when allow_ports is not set: the
// vehicle record protocol.
var DefaultAllowPorts = []string{"vehicle"}

// Ports are the ports the path relays (allow_ports, or DefaultAllowPorts).
func (p PathConfig) Ports() []string {
	if len(p.AllowPorts) == 0 {
		return DefaultAllowPorts
	}
	return p.AllowPorts
}

// Allows reports whether the path relays packets from or to port.
func (p PathConfig) Allows(port string) bool { return slices.Contains(p.Ports(), port) }

// maxInflightTxs bounds global.max_inflight_txs: a mempool keeps a
// sender's txs in sequence order, and a dropped one invalidates the rest.
const maxInflightTxs = 16

// DefaultConfig is what `config init` writes.
func DefaultConfig() Config {
	return Config{Global: GlobalConfig{
		LogLevel:        "info",
		MetricsAddr:     "127.0.0.1:5184",
		PollInterval:    client.Duration{Duration: 500 * time.Millisecond},
		WatchdogTimeout: client.Duration{Duration: 10 * time.Second},
		ClearInterval:   client.Duration{Duration: time.Minute},
		MaxMsgsPerTx:    100,
		MaxTxBytes:      600_000,
		RefreshFraction: 1.0 / 3,
		MaxInflightTxs:  3,
	}}
}

// DefaultChain fills a chain's optional settings.
func DefaultChain(id, rpc string) ChainConfig {
	return ChainConfig{Config: client.Config{ID: id, RPC: rpc, AccountPrefix: "cosmos", Key: "relayer", GasPrice: "0stake",
		GasAdjustment: 1.3, MaxGas: 50_000_000}}
}

// Validate reports the first setting that cannot work, naming it.
func (c Config) Validate() error {
	g := c.Global
	switch {
	case g.PollInterval.Duration <= 0:
		return errors.New("global.poll_interval must be positive")
	case g.WatchdogTimeout.Duration <= g.PollInterval.Duration:
		return errors.New("global.watchdog_timeout must be longer than global.poll_interval")
	case g.ClearInterval.Duration <= 0:
		return errors.New("global.clear_interval must be positive")
	case g.MaxMsgsPerTx < 2:
		return errors.New("global.max_msgs_per_tx must be at least 2 (one client update and one packet)")
	case g.MaxTxBytes < 10_000:
		return errors.New("global.max_tx_bytes must be at least 10000")
	case g.RefreshFraction <= 0 || g.RefreshFraction >= 1:
		return errors.New("global.refresh_fraction must be between 0 and 1")
	case g.MaxInflightTxs < 1 || g.MaxInflightTxs > maxInflightTxs:
		return fmt.Errorf("global.max_inflight_txs must be between 1 and %d", maxInflightTxs)
	case g.ClearLimit < 0:
		return errors.New("global.clear_limit must not be negative (0: no limit)")
	}
	seen := map[string]bool{}
	for i, ch := range c.Chains {
		if err := ch.Validate(); err != nil {
			return fmt.Errorf("chains[%d]: %w", i, err)
		}
		if seen[ch.ID] {
			return fmt.Errorf("chains[%d]: chain %q listed twice", i, ch.ID)
		}
		seen[ch.ID] = true
	}
	names := map[string]bool{}
	for i, p := range c.Paths {
		if err := p.validate(seen); err != nil {
			return fmt.Errorf("paths[%d] %q: %w", i, p.Name, err)
		}
		if names[p.Name] {
			return fmt.Errorf("paths[%d]: path %q listed twice", i, p.Name)
		}
		names[p.Name] = true
	}
	return nil
}

// Validate checks one chain's settings.
func (ch ChainConfig) Validate() error {
	if ch.ID == "" {
		return errors.New("id is empty")
	}
	u, err := url.Parse(ch.RPC)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "tcp") || u.Host == "" {
		return fmt.Errorf("chain %q: rpc %q is not an http://host:port address", ch.ID, ch.RPC)
	}
	for i, backup := range ch.BackupRPCs {
		if u, err := url.Parse(backup); err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "tcp") || u.Host == "" {
			return fmt.Errorf("chain %q: backup_rpcs[%d] %q is not an http://host:port address", ch.ID, i, backup)
		}
	}
	if ch.Key == "" {
		return fmt.Errorf("chain %q: key is empty (name of a key in vinrelay's keyring)", ch.ID)
	}
	if ch.AccountPrefix == "" {
		return fmt.Errorf("chain %q: account_prefix is empty", ch.ID)
	}
	if _, err := sdk.ParseDecCoin(ch.GasPrice); err != nil {
		return fmt.Errorf("chain %q: gas_price %q: %w (e.g. \"0.025stake\")", ch.ID, ch.GasPrice, err)
	}
	if ch.MaxGasPrice != "" {
		limit, err := sdk.ParseDecCoin(ch.MaxGasPrice)
		if err != nil {
			return fmt.Errorf("chain %q: max_gas_price %q: %w (e.g. \"0.1stake\")", ch.ID, ch.MaxGasPrice, err)
		}
		if floor, _ := sdk.ParseDecCoin(ch.GasPrice); limit.Denom != floor.Denom || limit.Amount.LT(floor.Amount) {
			return fmt.Errorf("chain %q: max_gas_price %s must be in gas_price's denom and at least gas_price %s", ch.ID, ch.MaxGasPrice, ch.GasPrice)
		}
	}
	if ch.MinBalance != "" {
		floor, err := sdk.ParseCoinNormalized(ch.MinBalance)
		if fee, _ := sdk.ParseDecCoin(ch.GasPrice); err != nil || floor.Denom != fee.Denom {
			return fmt.Errorf("chain %q: min_balance %q must be a coin in gas_price's denom (e.g. \"1000000%s\")", ch.ID, ch.MinBalance, fee.Denom)
		}
	}
	if ch.DefaultGas > ch.MaxGas {
		return fmt.Errorf("chain %q: default_gas %d is above max_gas %d", ch.ID, ch.DefaultGas, ch.MaxGas)
	}
	if ch.GasAdjustment < 1 {
		return fmt.Errorf("chain %q: gas_adjustment must be at least 1", ch.ID)
	}
	if ch.MaxGas == 0 {
		return fmt.Errorf("chain %q: max_gas must be positive", ch.ID)
	}
	return nil
}

func (p PathConfig) validate(chains map[string]bool) error {
	if p.Name == "" {
		return errors.New("name is empty")
	}
	if p.IBC != IBCv1 && p.IBC != IBCv2 {
		return fmt.Errorf("ibc must be %q or %q, not %q", IBCv2, IBCv1, p.IBC)
	}
	for side, end := range map[string]PathEnd{"a": p.A, "b": p.B} {
		if !chains[end.Chain] {
			return fmt.Errorf("%s.chain %q is not a configured chain (add it with `vinrelay chains add`)", side, end.Chain)
		}
		if p.IBC == IBCv1 && end.PortID == "" {
			return fmt.Errorf("%s.port_id is required on an IBC v1 path", side)
		}
		if p.IBC == IBCv1 && !p.Allows(end.PortID) {
			return fmt.Errorf("%s.port_id %q is not in allow_ports %q: the channel's packets would never be relayed", side, end.PortID, p.Ports())
		}
	}
	for i, port := range p.AllowPorts {
		if err := host.PortIdentifierValidator(port); err != nil {
			return fmt.Errorf("allow_ports[%d] %q: %w", i, port, err)
		}
		if slices.Index(p.AllowPorts, port) != i {
			return fmt.Errorf("allow_ports lists %q twice", port)
		}
	}
	if p.A.Chain == p.B.Chain {
		return errors.New("both ends are on the same chain")
	}
	if p.IBC == IBCv1 && p.Version == "" {
		return errors.New("version (the channel's application version) is required on an IBC v1 path")
	}
	return nil
}

// Chain returns the configured chain with that id.
func (c Config) Chain(id string) (ChainConfig, error) {
	for _, ch := range c.Chains {
		if ch.ID == id {
			return ch, nil
		}
	}
	return ChainConfig{}, fmt.Errorf("unknown chain %q (configured: %s)", id, strings.Join(c.chainIDs(), ", "))
}

// ErrUnknownPath: no path of that name is configured.
var ErrUnknownPath = errors.New("unknown path")

// Path returns the configured path with that name.
func (c Config) Path(name string) (PathConfig, error) {
	for _, p := range c.Paths {
		if p.Name == name {
			return p, nil
		}
	}
	return PathConfig{}, fmt.Errorf("%w %q", ErrUnknownPath, name)
}

// SetPath replaces the path with the same name, or appends it.
func (c *Config) SetPath(p PathConfig) {
	for i := range c.Paths {
		if c.Paths[i].Name == p.Name {
			c.Paths[i] = p
			return
		}
	}
	c.Paths = append(c.Paths, p)
}

// Linked reports whether both ends have their identifiers.
func (p PathConfig) Linked() bool {
	if p.A.ClientID == "" || p.B.ClientID == "" {
		return false
	}
	return p.IBC == IBCv2 || (p.A.ChannelID != "" && p.B.ChannelID != "")
}

func (c Config) chainIDs() []string {
	ids := make([]string, len(c.Chains))
	for i, ch := range c.Chains {
		ids[i] = ch.ID
	}
	return ids
}
