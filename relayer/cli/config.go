package cli

import (
	"path/filepath"

	"github.com/vinhub/vinhub/adapters/swap"
	"github.com/vinhub/vinhub/configfile"
	"github.com/vinhub/vinhub/relayer"
	"github.com/vinhub/vinhub/relayer/notary"
)

// ConfigFile is the name of the configuration file inside the home directory.
const ConfigFile = configfile.Name

// Config is vinrelay's whole configuration file: the IBC relayer's
// sections at the top level and one section per other service.
type Config struct {
	relayer.Config
	Swap   swap.Config   `toml:"swap"`
	Notary notary.Config `toml:"notary"`
}

// DefaultConfig is what `config init` writes.
func DefaultConfig() Config {
	return Config{Config: relayer.DefaultConfig(), Swap: swap.DefaultConfig(), Notary: notary.DefaultConfig()}
}

// Validate reports the first setting that cannot work, naming it.
func (c Config) Validate() error {
	if err := c.Config.Validate(); err != nil {
		return err
	}
	chain := func(id string) error {
		_, err := c.Chain(id)
		return err
	}
	if err := c.Swap.Validate(chain); err != nil {
		return err
	}
	return c.Notary.Validate(chain)
}

// LoadConfig reads and validates home/config.toml; settings it leaves out
// keep their defaults.
func LoadConfig(home string) (Config, error) {
	cfg := DefaultConfig()
	if err := configfile.Load(home, "vinrelay config init", &cfg); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// Save writes the config to home/config.toml.
func (c Config) Save(home string) error { return configfile.Save(home, c) }

// InHome resolves a file setting relative to the home directory.
func InHome(home, file string) string {
	if filepath.IsAbs(file) {
		return file
	}
	return filepath.Join(home, file)
}
