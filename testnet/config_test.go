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

// TestPatchGenesisBlockMaxGas: BlockMaxGas is written as the genesis's
// block.max_gas (a string, as CometBFT writes it), nothing else moves, and
// a genesis without consensus params is an error, not a panic.
func TestPatchGenesisBlockMaxGas(t *testing.T) {
	const genesis = `{"app_state":{"gov":{"params":{}}},"consensus":{"params":{"block":{"max_bytes":"22020096","max_gas":"-1"}}}}`
	home := t.TempDir()
	path := filepath.Join(home, "config", "genesis.json")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	c := &Chain{Spec: ChainSpec{Denom: "stake", BlockMaxGas: 130_000_000}, Nodes: []*Node{{Home: home}}}

	require.NoError(t, os.WriteFile(path, []byte(genesis), 0o600))
	require.NoError(t, c.patchGenesis())
	bz, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(bz), `"max_gas": "130000000"`)
	require.Contains(t, string(bz), `"max_bytes": "22020096"`)

	c.Spec.BlockMaxGas = 0 // the default: the genesis keeps its own
	require.NoError(t, os.WriteFile(path, []byte(genesis), 0o600))
	require.NoError(t, c.patchGenesis())
	bz, err = os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(bz), `"max_gas": "-1"`)

	c.Spec.BlockMaxGas = 1
	require.NoError(t, os.WriteFile(path, []byte(`{"app_state":{"gov":{"params":{}}}}`), 0o600))
	require.ErrorContains(t, c.patchGenesis(), "has no consensus.params.block")
	require.NoError(t, os.WriteFile(path, []byte(`{"app_state":{"gov":"none"}}`), 0o600))
	require.ErrorContains(t, c.patchGenesis(), "genesis has no gov params")
}
