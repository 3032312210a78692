package cli

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/client"
	"github.com/vinhub/vinhub/configfile"
)

// TestConfigRoundTripAndErrors: a config with a dealer chain loads back as
// saved; a missing config names `vinaudit init`; an unknown setting and a
// dealer chain without a witness are refused, naming the file.
func TestConfigRoundTripAndErrors(t *testing.T) {
	home := t.TempDir()
	_, err := LoadConfig(home)
	require.ErrorContains(t, err, "run `vinaudit init --home "+home+"` first")

	chain := func(id string) Chain {
		return Chain{ChainID: id, Primary: "http://127.0.0.1:1", Witnesses: []string{"http://127.0.0.1:2"}, TrustHeight: 5,
			TrustHash: strings.Repeat("AB", 32), TrustingPeriod: client.Duration{Duration: time.Hour}}
	}
	cfg := Config{Hub: chain("hub-1"), Dealers: []Chain{chain("dealer-a")}}
	require.NoError(t, cfg.Save(home))
	got, err := LoadConfig(home)
	require.NoError(t, err)
	require.Equal(t, cfg, got)

	path := configfile.Path(home)
	bz, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, append(bz, "\n[extra]\nx = 1\n"...), 0o600))
	_, err = LoadConfig(home)
	require.ErrorContains(t, err, path+": unknown setting: ")

	cfg.Dealers[0].Witnesses = nil
	require.NoError(t, cfg.Save(home))
	_, err = LoadConfig(home)
	require.ErrorContains(t, err, path+": chain dealer-a: at least one witness RPC is required")
}
