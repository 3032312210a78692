package chaincmd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	cmtcfg "github.com/cometbft/cometbft/config"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/spf13/cast"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"cosmossdk.io/client/v2/autocli"
	"cosmossdk.io/core/appmodule"
	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/config"
	"github.com/cosmos/cosmos-sdk/client/debug"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/keys"
	"github.com/cosmos/cosmos-sdk/client/pruning"
	"github.com/cosmos/cosmos-sdk/client/rpc"
	"github.com/cosmos/cosmos-sdk/client/snapshot"
	runtimeservices "github.com/cosmos/cosmos-sdk/runtime/services"
	"github.com/cosmos/cosmos-sdk/server"
	serverconfig "github.com/cosmos/cosmos-sdk/server/config"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authcli "github.com/cosmos/cosmos-sdk/x/auth/client/cli"
	authcodec "github.com/cosmos/cosmos-sdk/x/auth/codec"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	genutilcli "github.com/cosmos/cosmos-sdk/x/genutil/client/cli"

	"github.com/vinhub/vinhub/hub/appdb"
	"github.com/vinhub/vinhub/hub/chainapp"
	vehiclecli "github.com/vinhub/vinhub/x/vehicle/client/cli"
)

// AppCreator builds a chain app; hub/app and hub/dealerapp each provide one.
type AppCreator func(logger log.Logger, db dbm.DB, loadLatest bool,
	appOpts servertypes.AppOptions, baseAppOptions ...func(*baseapp.BaseApp)) *chainapp.App

// Spec describes one chain daemon.
type Spec struct {
	// Use is the binary name, e.g. "vinhubd".
	Use   string
	Short string
	// DefaultHome is the node and client home, e.g. ~/.vinhub.
	DefaultHome string
	NewApp      AppCreator
	// GenesisCommands are extra `genesis` subcommands of this chain.
	GenesisCommands []*cobra.Command
}

// NewRootCmd returns the daemon's root command.
func NewRootCmd(spec Spec) *cobra.Command {
	if err := PinConfigScope(); err != nil {
		panic(err)
	}
	tempDir, err := os.MkdirTemp("", spec.Use+"-cli")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(tempDir)
	tempApp := spec.NewApp(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.NewAppOptionsWithFlagHome(tempDir))

	initClientCtx := client.Context{}.
		WithCodec(tempApp.AppCodec()).
		WithInterfaceRegistry(tempApp.InterfaceRegistry()).
		WithTxConfig(tempApp.TxConfig()).
		WithLegacyAmino(tempApp.LegacyAmino()).
		WithInput(os.Stdin).
		WithAccountRetriever(authtypes.AccountRetriever{}).
		WithHomeDir(spec.DefaultHome).
		WithViper("")

	var nodeOptions *viper.Viper
	rootCmd := &cobra.Command{
		Use:           spec.Use,
		Short:         spec.Short,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			// Arguments parsed: from here on an error is about the request, not usage.
			cmd.SilenceUsage = true
			cmd.SetOut(cmd.OutOrStdout())
			cmd.SetErr(cmd.ErrOrStderr())
			ctx := initClientCtx.WithCmdContext(cmd.Context())
			ctx, err := client.ReadPersistentCommandFlags(ctx, cmd.Flags())
			if err != nil {
				return err
			}
			if ctx, err = config.ReadFromClientConfig(ctx); err != nil {
				return err
			}
			if err := client.SetCmdClientContextHandler(ctx, cmd); err != nil {
				return err
			}
			if err := server.InterceptConfigsPreRunHandler(cmd, appConfigTemplate, appConfig(), cmtConfig()); err != nil {
				return err
			}
			nodeOptions = server.GetServerContextFromCmd(cmd).Viper
			return nil
		},
	}

	// The start command opens the application database after the pre-run
	// has read app.toml into nodeOptions.
	openDB := func(rootDir string, backend dbm.BackendType) (dbm.DB, error) {
		if nodeOptions == nil {
			return nil, errors.New("application database opened before app.toml was read")
		}
		settings, err := appdb.SettingsFrom(nodeOptions)
		if err != nil {
			return nil, err
		}
		return appdb.Open(rootDir, backend, settings)
	}
	addCommands(rootCmd, spec, tempApp, server.StartCmdOptions{DBOpener: openDB})

	clientCtx, err := config.ReadDefaultValuesFromDefaultClientConfig(initClientCtx)
	if err != nil {
		panic(err)
	}
	if err := autoCLIOptions(tempApp, clientCtx).EnhanceRootCommand(rootCmd); err != nil {
		panic(err)
	}
	return rootCmd
}

// LoadForExport loads the app that `export` reads, at height (-1: the
// latest), opening its IAVL trees as app.toml says, as the node does.
// Opened with IAVL's defaults instead, the trees would build the fast index
// that new homes turn off (iavl-disable-fastnode), writing it into the
// node's database on what is a read.
func LoadForExport(spec Spec, logger log.Logger, db dbm.DB, height int64, appOpts servertypes.AppOptions) (*chainapp.App, error) {
	fastNodesOff := baseapp.SetIAVLDisableFastNode(cast.ToBool(appOpts.Get(server.FlagDisableIAVLFastNode)))
	// Loading at a height needs an app that has not loaded the latest version yet.
	app := spec.NewApp(logger, db, height == -1, appOpts, fastNodesOff)
	if height != -1 {
		if err := app.LoadHeight(height); err != nil {
			return nil, fmt.Errorf("load height %d: %w", height, err)
		}
	}
	return app, nil
}

func addCommands(rootCmd *cobra.Command, spec Spec, tempApp *chainapp.App, startOpts server.StartCmdOptions) {
	newApp := func(logger log.Logger, db dbm.DB, appOpts servertypes.AppOptions) servertypes.Application {
		return spec.NewApp(logger, db, true, appOpts, server.DefaultBaseappOptions(appOpts)...)
	}
	exportApp := func(logger log.Logger, db dbm.DB, height int64, forZeroHeight bool,
		jailAllowedAddrs []string, appOpts servertypes.AppOptions, modulesToExport []string,
	) (servertypes.ExportedApp, error) {
		homePath, ok := appOpts.Get(flags.FlagHome).(string)
		if !ok || homePath == "" {
			return servertypes.ExportedApp{}, errors.New("application home is not set")
		}
		app, err := LoadForExport(spec, logger, db, height, appOpts)
		if err != nil {
			return servertypes.ExportedApp{}, err
		}
		return app.ExportAppStateAndValidators(forZeroHeight, jailAllowedAddrs, modulesToExport)
	}

	genesisCmd := genutilcli.Commands(tempApp.TxConfig(), tempApp.BasicModuleManager, spec.DefaultHome)
	genesisCmd.AddCommand(vehiclecli.AddGenesisDealerCmd())
	genesisCmd.AddCommand(spec.GenesisCommands...)

	rootCmd.AddCommand(
		genutilcli.InitCmd(tempApp.BasicModuleManager, spec.DefaultHome),
		debug.Cmd(),
		pruning.Cmd(newApp, spec.DefaultHome),
		snapshot.Cmd(newApp),
	)
	server.AddCommandsWithStartCmdOptions(rootCmd, spec.DefaultHome, newApp, exportApp, startOpts)
	// server.AddCommands adds this one too; its variant with start options
	// does not.
	rootCmd.AddCommand(server.ModuleHashByHeightQuery(newApp))
	rootCmd.AddCommand(
		server.StatusCommand(),
		genesisCmd,
		queryCommand(),
		txCommand(),
		keys.Commands(),
	)
}

func queryCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use: "query", Aliases: []string{"q"}, Short: "Querying subcommands",
		SuggestionsMinimumDistance: 2, RunE: client.ValidateCmd,
	}
	cmd.AddCommand(
		rpc.QueryEventForTxCmd(),
		server.QueryBlockCmd(),
		authcli.QueryTxsByEventsCmd(),
		server.QueryBlocksCmd(),
		authcli.QueryTxCmd(),
		server.QueryBlockResultsCmd(),
	)
	return cmd
}

func txCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use: "tx", Short: "Transactions subcommands",
		SuggestionsMinimumDistance: 2, RunE: client.ValidateCmd,
	}
	cmd.AddCommand(
		authcli.GetSignCommand(),
		authcli.GetSignBatchCommand(),
		authcli.GetMultiSignCommand(),
		authcli.GetMultiSignBatchCmd(),
		authcli.GetValidateSignaturesCommand(),
		authcli.GetBroadcastCommand(),
		authcli.GetEncodeCommand(),
		authcli.GetDecodeCommand(),
		authcli.GetSimulateCmd(),
	)
	return cmd
}

func autoCLIOptions(app *chainapp.App, clientCtx client.Context) autocli.AppOptions {
	modules := make(map[string]appmodule.AppModule)
	for name, m := range app.ModuleManager.Modules {
		if am, ok := m.(appmodule.AppModule); ok {
			modules[name] = am
		}
	}
	sdkCfg := sdk.GetConfig()
	return autocli.AppOptions{
		Modules:               modules,
		ModuleOptions:         runtimeservices.ExtractAutoCLIOptions(app.ModuleManager.Modules),
		AddressCodec:          authcodec.NewBech32Codec(sdkCfg.GetBech32AccountAddrPrefix()),
		ValidatorAddressCodec: authcodec.NewBech32Codec(sdkCfg.GetBech32ValidatorAddrPrefix()),
		ConsensusAddressCodec: authcodec.NewBech32Codec(sdkCfg.GetBech32ConsensusAddrPrefix()),
		ClientCtx:             clientCtx,
	}
}

// appConfig is the app.toml a new node home gets. It sets a non-zero minimum
// gas price (a node refuses to start without one) and keeps the application
// state the way record ingestion measured cheapest with a million records in
// it (docs/benchmarks.md, "Hub ingestion"): each record adds new keys, and
// rewriting them in the database's compactions was most of what made a record
// tx dearer than a bank send. So IAVL keeps no fast-node copy of each leaf
// (the tree serves the point reads and prefix walks records need) and the
// database is pebble, which compacts with less CPU than goleveldb. Both apply
// to new homes only: a home keeps the backend its data was written with.
// Pebble's block cache is sized by the [app-db] section (package appdb),
// which a home without it gets the default of.
func appConfig() *nodeAppConfig {
	cfg := serverconfig.DefaultConfig()
	cfg.MinGasPrices = "0stake"
	cfg.IAVLDisableFastNode = true
	cfg.AppDBBackend = string(dbm.PebbleDBBackend)
	return &nodeAppConfig{Config: *cfg, AppDB: appdb.DefaultSettings()}
}

// nodeAppConfig is what app.toml holds: the SDK's settings and the
// application database's.
type nodeAppConfig struct {
	serverconfig.Config `mapstructure:",squash"`
	AppDB               appdb.Settings `mapstructure:"app-db"`
}

// appConfigTemplate renders nodeAppConfig as app.toml.
const appConfigTemplate = serverconfig.DefaultConfigTemplate + appdb.ConfigTemplate

// cmtConfig is CometBFT's default node configuration.
func cmtConfig() *cmtcfg.Config { return cmtcfg.DefaultConfig() }

// HomeDir returns dir under the user's home directory (or the working directory).
func HomeDir(dir string) string {
	home, err := os.UserHomeDir()
	if err != nil {
		return dir
	}
	return filepath.Join(home, dir)
}
