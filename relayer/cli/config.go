package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/vinhub/vinhub/adapters/swap"
	"github.com/vinhub/vinhub/relayer"
	"github.com/vinhub/vinhub/relayer/notary"
)

// ConfigFile is the name of the configuration file inside the home directory.
const ConfigFile = "config.toml"

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

// LoadConfig reads and validates home/config.toml.
func LoadConfig(home string) (Config, error) {
	path := filepath.Join(home, ConfigFile)
	bz, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Config{}, fmt.Errorf("no config at %s: run `vinrelay config init --home %s` first", path, home)
	}
	if err != nil {
		return Config{}, err
	}
	cfg := DefaultConfig()
	dec := toml.NewDecoder(strings.NewReader(string(bz))).DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		var derr *toml.DecodeError
		if errors.As(err, &derr) {
			row, col := derr.Position()
			return Config{}, fmt.Errorf("%s:%d:%d: %s", path, row, col, derr.Error())
		}
		var serr *toml.StrictMissingError
		if errors.As(err, &serr) {
			return Config{}, fmt.Errorf("%s: unknown setting: %s", path, serr.String())
		}
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// Save writes the config to home/config.toml.
func (c Config) Save(home string) error {
	if err := os.MkdirAll(home, 0o700); err != nil {
		return err
	}
	bz, err := toml.Marshal(c)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(home, ConfigFile), bz, 0o600)
}

// InHome resolves a file setting relative to the home directory.
func InHome(home, file string) string {
	if filepath.IsAbs(file) {
		return file
	}
	return filepath.Join(home, file)
}
