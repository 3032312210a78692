package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSettingFlags: -set and -variant take file:section.key=value, an
// empty section being the file's top level, the value as TOML (a string
// quoted); anything else says what is wrong.
func TestSettingFlags(t *testing.T) {
	var s settingFlags
	require.NoError(t, s.Set("app.toml:.iavl-disable-fastnode=true"))
	require.NoError(t, s.Set("config.toml:mempool.size=5000"))
	require.NoError(t, s.Set(`app.toml:.app-db-backend="pebbledb"`))
	require.Equal(t, settingFlags{{"app.toml", "", "iavl-disable-fastnode", "true"}, {"config.toml", "mempool", "size", "5000"},
		{"app.toml", "", "app-db-backend", `"pebbledb"`}}, s)

	for _, bad := range []string{"iavl-disable-fastnode=true", "app.toml:iavl-disable-fastnode=true", "app.toml:.iavl-disable-fastnode", ":.x=1", "app.toml:mempool.=1"} {
		require.ErrorContains(t, new(settingFlags).Set(bad), "want file:section.key=value", bad)
	}
	require.ErrorContains(t, new(settingFlags).Set("app.toml:.app-db-backend=pebbledb"), "not TOML (a string needs its quotes)")
}

// TestParseRates: -batch-rates takes positive records/s, comma-separated,
// and names the entry it refuses.
func TestParseRates(t *testing.T) {
	rates, err := parseRates("4000, 5000,6500.5")
	require.NoError(t, err)
	require.Equal(t, []float64{4000, 5000, 6500.5}, rates)
	for _, bad := range []string{"", "4000,", "0", "-5", "fast", "4000,NaN", "Inf"} {
		_, err := parseRates(bad)
		require.ErrorContains(t, err, "a positive number", bad)
	}
}
