package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSettingFlags: -set and -variant take file:section.key=value, an
// empty section being the file's top level; anything else says the form.
func TestSettingFlags(t *testing.T) {
	var s settingFlags
	require.NoError(t, s.Set("app.toml:.iavl-disable-fastnode=true"))
	require.NoError(t, s.Set("config.toml:mempool.size=5000"))
	require.Equal(t, settingFlags{{"app.toml", "", "iavl-disable-fastnode", "true"}, {"config.toml", "mempool", "size", "5000"}}, s)

	for _, bad := range []string{"iavl-disable-fastnode=true", "app.toml:iavl-disable-fastnode=true", "app.toml:.iavl-disable-fastnode", ":.x=1", "app.toml:mempool.=1"} {
		require.ErrorContains(t, new(settingFlags).Set(bad), "want file:section.key=value", bad)
	}
}
