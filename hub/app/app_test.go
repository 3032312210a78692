package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/baseapp"
	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/hub/app"
	"github.com/vinhub/vinhub/hub/chainapp"
	"github.com/vinhub/vinhub/hub/chaincmd"
	anchortypes "github.com/vinhub/vinhub/x/anchor/types"
	htlckeeper "github.com/vinhub/vinhub/x/htlc/keeper"
	htlctypes "github.com/vinhub/vinhub/x/htlc/types"
	notarytypes "github.com/vinhub/vinhub/x/notary/types"
)

// TestHTLCWiring: the hub builds with x/htlc (the module manager panics on
// a module missing from an order), runs its end blocker, gives it a
// genesis section, and blocks plain sends to its escrow account.
func TestHTLCWiring(t *testing.T) {
	hub := app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{})
	require.Contains(t, hub.ModuleManager.OrderEndBlockers, htlctypes.ModuleName)
	require.Contains(t, hub.ModuleManager.OrderInitGenesis, htlctypes.ModuleName)
	require.Contains(t, hub.DefaultGenesis(), htlctypes.ModuleName)
	require.True(t, hub.BankKeeper.BlockedAddr(htlckeeper.ModuleAddress()), "the escrow account takes no plain sends")
}

// TestNotaryWiring: the hub builds with x/notary, runs its end blocker
// (the governor's releases) and gives it a genesis section.
func TestNotaryWiring(t *testing.T) {
	hub := app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{})
	require.Contains(t, hub.ModuleManager.OrderEndBlockers, notarytypes.ModuleName)
	require.Contains(t, hub.ModuleManager.OrderInitGenesis, notarytypes.ModuleName)
	require.Contains(t, hub.DefaultGenesis(), notarytypes.ModuleName)
}

// TestAnchorWiring: the hub builds with x/anchor, gives it a genesis
// section, and its CLI groups read `evidence` (not the module name, which
// is not the SDK's x/evidence) with the hand-written and generated commands.
func TestAnchorWiring(t *testing.T) {
	hub := app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{})
	require.Contains(t, hub.ModuleManager.OrderInitGenesis, anchortypes.ModuleName)
	require.Contains(t, hub.DefaultGenesis(), anchortypes.ModuleName)

	root := app.NewRootCmd()
	for _, path := range [][]string{
		{"tx", "evidence", "anchor"}, {"query", "evidence", "proof"}, {"query", "evidence", "anchoring"}, {"query", "evidence", "by-vin"},
	} {
		cmd, _, err := root.Find(path)
		require.NoError(t, err, path)
		require.Equal(t, path[len(path)-1], cmd.Name(), path)
	}
}

// TestSealedCLIWiring: the sealed-field commands (client-side keys,
// decryption, disclosures, regulators' views) sit beside the generated
// ones, and every command that seals takes the same flags.
func TestSealedCLIWiring(t *testing.T) {
	root := app.NewRootCmd()
	for _, path := range [][]string{
		{"tx", "membership", "encryption-keygen"}, {"tx", "membership", "register-encryption-key"}, {"tx", "membership", "set-encryption-key"},
		{"query", "membership", "regulator-keys"}, {"query", "membership", "encryption-key"},
		{"query", "vehicle", "open-sealed"}, {"query", "vehicle", "disclose"}, {"query", "vehicle", "verify-disclosure"},
		{"query", "vehicle", "record"}, {"tx", "vehicle", "record"}, {"tx", "membership", "grant-role"},
		{"tx", "asset", "apply"}, {"tx", "asset", "offer-loan"}, {"tx", "asset", "approve"}, {"tx", "asset", "pledge"},
		{"query", "asset", "open-sealed"}, {"query", "asset", "open-sealed-loan"}, {"query", "asset", "loans-by-borrower"},
		{"query", "asset", "loan"}, {"query", "asset", "account-loans"}, {"query", "evidence", "open-note"},
	} {
		cmd, _, err := root.Find(path)
		require.NoError(t, err, path)
		require.Equal(t, path[len(path)-1], cmd.Name(), path)
	}
	for _, path := range [][]string{{"tx", "vehicle", "record"}, {"tx", "asset", "apply"}, {"tx", "asset", "offer-loan"}, {"tx", "evidence", "anchor"}} {
		cmd, _, err := root.Find(path)
		require.NoError(t, err)
		for _, flag := range []string{"sealed", "seal-to", "keys-node"} {
			require.NotNil(t, cmd.Flags().Lookup(flag), "%v --%s", path, flag)
		}
	}
	openSealed, _, err := root.Find([]string{"query", "vehicle", "open-sealed"})
	require.NoError(t, err)
	require.NotNil(t, openSealed.Flags().Lookup("vin"), "the regulator's view of a VIN")
}

// TestConfigScopePinned: the root command pins the SDK config's scope to
// the name the SDK would compute, so the address config is still the one
// earlier calls got; a scope the operator set is kept.
func TestConfigScopePinned(t *testing.T) {
	t.Setenv(sdk.EnvConfigScope, "")
	before := sdk.GetConfig()
	app.NewRootCmd()
	require.NotEmpty(t, os.Getenv(sdk.EnvConfigScope))
	require.Same(t, before, sdk.GetConfig(), "pinning must not swap the address config")

	t.Setenv(sdk.EnvConfigScope, "operator-scope")
	require.NoError(t, chaincmd.PinConfigScope())
	require.Equal(t, "operator-scope", os.Getenv(sdk.EnvConfigScope))
}

// TestServerCommands: the node commands the SDK's server.AddCommands
// gives are all there, although vinhubd adds them with start options.
func TestServerCommands(t *testing.T) {
	root := app.NewRootCmd()
	for _, name := range []string{"start", "comet", "export", "version", "rollback", "module-hash-by-height"} {
		cmd, _, err := root.Find([]string{name})
		require.NoError(t, err, name)
		require.Equal(t, name, cmd.Name())
	}
}

// TestNewHomeStateSettings: `vinhubd init` writes an app.toml with IAVL's
// fast-node index off, pebble as the application database with its block
// cache sized (the ingestion measurements behind all three are in
// docs/benchmarks.md) and a minimum gas price; `vinhubd start` opens the
// database through the [app-db] settings, refusing a cache size that is not
// one, or the record prefetch with IAVL's fast index on, before anything
// else runs.
func TestNewHomeStateSettings(t *testing.T) {
	home := t.TempDir()
	root := app.NewRootCmd()
	root.SetArgs([]string{"init", "node0", "--chain-id", "vinhub-test", "--home", home})
	require.NoError(t, svrcmd.Execute(root, "", home))

	appToml, err := os.ReadFile(filepath.Join(home, "config", "app.toml"))
	require.NoError(t, err)
	require.Contains(t, string(appToml), "iavl-disable-fastnode = true")
	require.Contains(t, string(appToml), `app-db-backend = "pebbledb"`)
	require.Contains(t, string(appToml), `minimum-gas-prices = "0stake"`)
	require.Contains(t, string(appToml), "[app-db]")
	require.Contains(t, string(appToml), "pebble-cache-mib = 1024")
	require.Contains(t, string(appToml), "prefetch-records = false")

	bad := strings.Replace(string(appToml), "pebble-cache-mib = 1024", "pebble-cache-mib = 0", 1)
	require.NoError(t, os.WriteFile(filepath.Join(home, "config", "app.toml"), []byte(bad), 0o600))
	start := app.NewRootCmd()
	start.SetArgs([]string{"start", "--home", home})
	require.ErrorContains(t, svrcmd.Execute(start, "", home), "[app-db] pebble-cache-mib = 0")
	require.NoDirExists(t, filepath.Join(home, "data", "application.db"), "nothing was opened")

	// The record prefetch walks the tree, which IAVL's fast index bypasses.
	fastPrefetch := strings.NewReplacer("prefetch-records = false", "prefetch-records = true",
		"iavl-disable-fastnode = true", "iavl-disable-fastnode = false").Replace(string(appToml))
	require.NoError(t, os.WriteFile(filepath.Join(home, "config", "app.toml"), []byte(fastPrefetch), 0o600))
	start = app.NewRootCmd()
	start.SetArgs([]string{"start", "--home", home})
	require.ErrorContains(t, svrcmd.Execute(start, "", home), "prefetch-records = true needs iavl-disable-fastnode = true")
	require.NoDirExists(t, filepath.Join(home, "data", "application.db"), "nothing was opened")
}

// TestExportKeepsTheFastIndexOff: `export` loads the trees as app.toml
// says. With IAVL's defaults it would build the fast index that new homes
// turn off, writing it into the node's database on what is a read; the
// "fast index on" case shows the check sees such a build.
func TestExportKeepsTheFastIndexOff(t *testing.T) {
	spec := chaincmd.Spec{
		NewApp: func(logger log.Logger, db dbm.DB, loadLatest bool, appOpts servertypes.AppOptions, opts ...func(*baseapp.BaseApp)) *chainapp.App {
			return app.New(logger, db, loadLatest, appOpts, opts...).App
		},
	}
	for _, tc := range []struct {
		name         string
		fastNodesOff bool
	}{
		{"fast index off (new homes)", true},
		{"fast index on", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := dbm.NewMemDB()
			opts := simtestutil.AppOptionsMap{"iavl-disable-fastnode": tc.fastNodesOff}
			_, err := chaincmd.LoadForExport(spec, log.NewNopLogger(), db, -1, opts)
			require.NoError(t, err)
			require.Equal(t, !tc.fastNodesOff, hasFastIndex(t, db))
		})
	}
}

// hasFastIndex reports whether any IAVL tree in db has marked its fast
// index built (its storage_version metadata at 1.1.0 or later).
func hasFastIndex(t *testing.T, db dbm.DB) bool {
	t.Helper()
	it, err := db.Iterator(nil, nil)
	require.NoError(t, err)
	defer it.Close()
	for ; it.Valid(); it.Next() {
		if strings.HasSuffix(string(it.Key()), "storage_version") && string(it.Value()) >= "1.1.0" {
			return true
		}
	}
	require.NoError(t, it.Error())
	return false
}
