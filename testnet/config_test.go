package testnet

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTOMLSetting: a key is read and replaced in its own section only, a
// string keeps its quotes, and a key the file lacks is an error that names
// file, key and section.
func TestTOMLSetting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.toml")
	require.NoError(t, os.WriteFile(path, []byte(`# iavl-cache-size = 1 (a comment)
iavl-cache-size = 781250
minimum-gas-prices = "0stake"

[api]
iavl-cache-size = 5
`), 0o600))

	v, err := getTOML(path, "", "iavl-cache-size")
	require.NoError(t, err)
	require.Equal(t, "781250", v)
	v, err = getTOML(path, "", "minimum-gas-prices")
	require.NoError(t, err)
	require.Equal(t, `"0stake"`, v)

	require.NoError(t, setTOML(path, "", "iavl-cache-size", "2000000"))
	v, err = getTOML(path, "", "iavl-cache-size")
	require.NoError(t, err)
	require.Equal(t, "2000000", v)
	v, err = getTOML(path, "api", "iavl-cache-size")
	require.NoError(t, err)
	require.Equal(t, "5", v, "another section's key is left alone")

	_, err = getTOML(path, "grpc", "address")
	require.ErrorContains(t, err, `no "address" in section [grpc]`)
	require.Error(t, setTOML(path, "", "no-such-key", "1"))
}
