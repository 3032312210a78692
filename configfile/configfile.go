// Package configfile reads and writes an off-chain tool's config.toml in
// its home directory, the same way for every tool (vinrelay, vinaudit):
// a setting the tool does not know is refused rather than ignored (a typo
// would otherwise silently keep the default), every setting is validated
// before the tool uses it, and the file is created readable by its owner
// only (it names endpoints and key files).
package configfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// Name is the config file's name inside a tool's home.
const Name = "config.toml"

// Path is the config file of home.
func Path(home string) string { return filepath.Join(home, Name) }

// Config is what a config file decodes into: it checks its own settings.
type Config interface{ Validate() error }

// Load decodes home's config file into cfg, a pointer that already holds
// the defaults of settings the file may leave out, and validates it.
// initCmd is the command that writes a first config (e.g. "vinrelay config
// init"), named when there is none. Errors name the file, and for a bad
// value its line and column.
func Load(home, initCmd string, cfg Config) error {
	path := Path(home)
	bz, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("no config at %s: run `%s --home %s` first", path, initCmd, home)
	}
	if err != nil {
		return err
	}
	if err := toml.NewDecoder(strings.NewReader(string(bz))).DisallowUnknownFields().Decode(cfg); err != nil {
		return decodeError(path, err)
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// decodeError says where in path decoding failed: the position of a bad
// value, or the settings the config does not know.
func decodeError(path string, err error) error {
	var derr *toml.DecodeError
	if errors.As(err, &derr) {
		row, col := derr.Position()
		return fmt.Errorf("%s:%d:%d: %w", path, row, col, derr)
	}
	var serr *toml.StrictMissingError
	if errors.As(err, &serr) {
		return fmt.Errorf("%s: unknown setting: %s", path, serr.String())
	}
	return fmt.Errorf("%s: %w", path, err)
}

// Save writes cfg to home's config file, creating home (mode 0700) if
// needed. A new file gets mode 0600; an existing one keeps its mode.
func Save(home string, cfg any) error {
	if err := os.MkdirAll(home, 0o700); err != nil {
		return err
	}
	bz, err := toml.Marshal(cfg)
	if err != nil {
		return err
	}
	return os.WriteFile(Path(home), bz, 0o600)
}
