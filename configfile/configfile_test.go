package configfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var errNoName = errors.New("name is required")

// settings is a config as a tool declares it.
type settings struct {
	Name  string `toml:"name"`
	Peers int    `toml:"peers"`
}

func (s settings) Validate() error {
	if s.Name == "" {
		return errNoName
	}
	return nil
}

// write puts text into home's config file.
func write(t *testing.T, home, text string) {
	t.Helper()
	require.NoError(t, os.WriteFile(Path(home), []byte(text), 0o600))
}

// TestSaveLoad: a saved config loads back equal; home is created for the
// owner only and the file is readable by its owner only.
func TestSaveLoad(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	want := settings{Name: "a", Peers: 3}
	require.NoError(t, Save(home, want))
	var got settings
	require.NoError(t, Load(home, "tool init", &got))
	require.Equal(t, want, got)

	dir, err := os.Stat(home)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o700), dir.Mode().Perm())
	file, err := os.Stat(Path(home))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), file.Mode().Perm())
}

// TestLoadKeepsDefaults: a setting the file leaves out keeps the value cfg
// held before.
func TestLoadKeepsDefaults(t *testing.T) {
	home := t.TempDir()
	write(t, home, "name = \"a\"\n")
	got := settings{Peers: 7}
	require.NoError(t, Load(home, "tool init", &got))
	require.Equal(t, settings{Name: "a", Peers: 7}, got)
}

// TestLoadRefuses: a missing file, an unknown setting, a value of the
// wrong type and a config failing its own check are each refused with an
// error naming the file and the fix, the line or the setting.
func TestLoadRefuses(t *testing.T) {
	testCases := []struct {
		name, text string // text "" writes no file
		err        string // FILE stands for the config file's path
		also       string
		is         error
	}{
		{name: "no file", err: "no config at FILE: run `tool init --home "},
		{name: "unknown setting", text: "name = \"a\"\npers = 2\n", err: "FILE: unknown setting: ", also: "pers"},
		{name: "wrong type", text: "name = \"a\"\npeers = \"two\"\n", err: "FILE:2:9: ", also: "string"},
		{name: "invalid", text: "name = \"\"\n", err: "FILE: name is required", is: errNoName},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			if tc.text != "" {
				write(t, home, tc.text)
			}
			got := settings{Name: "default"}
			err := Load(home, "tool init", &got)
			require.ErrorContains(t, err, strings.ReplaceAll(tc.err, "FILE", Path(home)))
			require.ErrorContains(t, err, tc.also)
			if tc.is != nil {
				require.ErrorIs(t, err, tc.is)
			}
		})
	}
}

// TestSaveKeepsMode: rewriting an existing config keeps the mode its
// owner gave it.
func TestSaveKeepsMode(t *testing.T) {
	home := t.TempDir()
	write(t, home, "name = \"a\"\n")
	require.NoError(t, os.Chmod(Path(home), 0o640))
	require.NoError(t, Save(home, settings{Name: "b"}))
	file, err := os.Stat(Path(home))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o640), file.Mode().Perm())
}
