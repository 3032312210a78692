package chainapp

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"

	abci "github.com/cometbft/cometbft/abci/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/gogoproto/proto"
	"github.com/spf13/cast"

	"cosmossdk.io/core/appmodule"
	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	nodeservice "github.com/cosmos/cosmos-sdk/client/grpc/node"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/server"
	"github.com/cosmos/cosmos-sdk/server/api"
	"github.com/cosmos/cosmos-sdk/server/config"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	"github.com/cosmos/cosmos-sdk/std"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
	"github.com/cosmos/cosmos-sdk/version"
	"github.com/cosmos/cosmos-sdk/x/auth"
	"github.com/cosmos/cosmos-sdk/x/auth/ante"
	authcodec "github.com/cosmos/cosmos-sdk/x/auth/codec"
	authkeeper "github.com/cosmos/cosmos-sdk/x/auth/keeper"
	"github.com/cosmos/cosmos-sdk/x/auth/posthandler"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/bank"
	bankkeeper "github.com/cosmos/cosmos-sdk/x/bank/keeper"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/cosmos/cosmos-sdk/x/consensus"
	consensuskeeper "github.com/cosmos/cosmos-sdk/x/consensus/keeper"
	consensustypes "github.com/cosmos/cosmos-sdk/x/consensus/types"
	distr "github.com/cosmos/cosmos-sdk/x/distribution"
	distrkeeper "github.com/cosmos/cosmos-sdk/x/distribution/keeper"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	"github.com/cosmos/cosmos-sdk/x/genutil"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	"github.com/cosmos/cosmos-sdk/x/gov"
	govclient "github.com/cosmos/cosmos-sdk/x/gov/client"
	govkeeper "github.com/cosmos/cosmos-sdk/x/gov/keeper"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	"github.com/cosmos/cosmos-sdk/x/slashing"
	slashingkeeper "github.com/cosmos/cosmos-sdk/x/slashing/keeper"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	"github.com/cosmos/cosmos-sdk/x/staking"
	stakingkeeper "github.com/cosmos/cosmos-sdk/x/staking/keeper"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"github.com/cosmos/cosmos-sdk/x/tx/signing"
	"github.com/cosmos/cosmos-sdk/x/upgrade"
	upgradekeeper "github.com/cosmos/cosmos-sdk/x/upgrade/keeper"
	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"

	"github.com/cosmos/ibc-go/v11/modules/apps/transfer"
	ibctransferkeeper "github.com/cosmos/ibc-go/v11/modules/apps/transfer/keeper"
	ibctransfertypes "github.com/cosmos/ibc-go/v11/modules/apps/transfer/types"
	transferv2 "github.com/cosmos/ibc-go/v11/modules/apps/transfer/v2"
	ibc "github.com/cosmos/ibc-go/v11/modules/core"
	porttypes "github.com/cosmos/ibc-go/v11/modules/core/05-port/types"
	ibcante "github.com/cosmos/ibc-go/v11/modules/core/ante"
	ibcapi "github.com/cosmos/ibc-go/v11/modules/core/api"
	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/exported"
	ibckeeper "github.com/cosmos/ibc-go/v11/modules/core/keeper"
	ibctm "github.com/cosmos/ibc-go/v11/modules/light-clients/07-tendermint"

	"github.com/vinhub/vinhub/hub/appdb"
	"github.com/vinhub/vinhub/hub/prefetch"
	"github.com/vinhub/vinhub/x/vehicle"
	vehiclekeeper "github.com/vinhub/vinhub/x/vehicle/keeper"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
	vehiclev2 "github.com/vinhub/vinhub/x/vehicle/v2"
)

// Extension adds a chain's own modules to the shared wiring.
type Extension struct {
	// StoreKeys are the KV stores the extension's keepers need.
	StoreKeys []string
	// Wire builds the extension's keepers once the shared keepers exist and
	// returns its modules and any staking hooks it needs.
	Wire func(app *App) ([]module.AppModule, []stakingtypes.StakingHooks)
	// InitBeforeStaking names modules whose genesis must load before staking
	// and genutil (membership: founding validators are checked against it).
	InitBeforeStaking []string
	// ModuleAccounts are the extension's module accounts and their permissions
	// (asset: escrow of loan offers). Like every module account they are
	// blocked from receiving plain sends, so only the module moves their coins.
	ModuleAccounts map[string][]string
}

// Config names a chain and lists its extensions.
type Config struct {
	// Name is the app name reported over ABCI.
	Name       string
	Extensions []Extension
	// ForwardsVehicleRecords makes the chain a dealer chain: its vehicle
	// records are queued for the hub and sent over the hub route.
	ForwardsVehicleRecords bool
}

// App is a chain built from the shared wiring.
type App struct {
	*baseapp.BaseApp
	legacyAmino       *codec.LegacyAmino
	appCodec          codec.Codec
	txConfig          client.TxConfig
	interfaceRegistry types.InterfaceRegistry
	keys              map[string]*storetypes.KVStoreKey
	// maccPerms are the shared module accounts plus the extensions'.
	maccPerms map[string][]string

	AccountKeeper         authkeeper.AccountKeeper
	BankKeeper            bankkeeper.Keeper
	StakingKeeper         *stakingkeeper.Keeper
	SlashingKeeper        slashingkeeper.Keeper
	DistrKeeper           distrkeeper.Keeper
	GovKeeper             govkeeper.Keeper
	UpgradeKeeper         *upgradekeeper.Keeper
	ConsensusParamsKeeper consensuskeeper.Keeper
	IBCKeeper             *ibckeeper.Keeper
	TransferKeeper        *ibctransferkeeper.Keeper
	VehicleKeeper         vehiclekeeper.Keeper

	// IBCRouter and IBCRouterV2 are sealed once New returns; extensions add routes in Wire.
	IBCRouter   *porttypes.Router
	IBCRouterV2 *ibcapi.Router

	ModuleManager      *module.Manager
	BasicModuleManager module.BasicManager
	configurator       module.Configurator

	// recordPrefetcher is nil where app.toml turns record prefetching off.
	recordPrefetcher *prefetch.Prefetcher
}

var _ servertypes.Application = (*App)(nil)

// maccPerms are the module accounts and their permissions.
var maccPerms = map[string][]string{
	authtypes.FeeCollectorName:     nil,
	distrtypes.ModuleName:          nil,
	stakingtypes.BondedPoolName:    {authtypes.Burner, authtypes.Staking},
	stakingtypes.NotBondedPoolName: {authtypes.Burner, authtypes.Staking},
	govtypes.ModuleName:            {authtypes.Burner},
	ibctransfertypes.ModuleName:    {authtypes.Minter, authtypes.Burner},
}

// GovAuthority is the address of the gov module account, the authority of every module.
func GovAuthority() string { return authtypes.NewModuleAddress(govtypes.ModuleName).String() }

// New builds the chain; it panics on wiring errors, which are programming errors.
func New(cfg Config, logger log.Logger, db dbm.DB, loadLatest bool,
	appOpts servertypes.AppOptions, baseAppOptions ...func(*baseapp.BaseApp),
) *App {
	interfaceRegistry, err := types.NewInterfaceRegistryWithOptions(types.InterfaceRegistryOptions{
		ProtoFiles: proto.HybridResolver,
		SigningOptions: signing.Options{
			AddressCodec:          address.Bech32Codec{Bech32Prefix: sdk.GetConfig().GetBech32AccountAddrPrefix()},
			ValidatorAddressCodec: address.Bech32Codec{Bech32Prefix: sdk.GetConfig().GetBech32ValidatorAddrPrefix()},
		},
	})
	if err != nil {
		panic(err)
	}
	appCodec := codec.NewProtoCodec(interfaceRegistry)
	legacyAmino := codec.NewLegacyAmino()
	txConfig := authtx.NewTxConfig(appCodec, authtx.DefaultSignModes)
	std.RegisterLegacyAminoCodec(legacyAmino)
	std.RegisterInterfaces(interfaceRegistry)

	bApp := baseapp.NewBaseApp(cfg.Name, logger, db, txConfig.TxDecoder(), baseAppOptions...)
	bApp.SetVersion(version.Version)
	bApp.SetInterfaceRegistry(interfaceRegistry)
	bApp.SetTxEncoder(txConfig.TxEncoder())

	storeNames := []string{
		authtypes.StoreKey, banktypes.StoreKey, stakingtypes.StoreKey, distrtypes.StoreKey,
		slashingtypes.StoreKey, govtypes.StoreKey, upgradetypes.StoreKey, consensustypes.StoreKey,
		ibcexported.StoreKey, ibctransfertypes.StoreKey, vehicletypes.StoreKey,
	}
	for _, ext := range cfg.Extensions {
		storeNames = append(storeNames, ext.StoreKeys...)
	}
	keys := storetypes.NewKVStoreKeys(storeNames...)
	if err := bApp.RegisterStreamingServices(appOpts, keys); err != nil {
		panic(err)
	}

	app := &App{
		BaseApp:           bApp,
		legacyAmino:       legacyAmino,
		appCodec:          appCodec,
		txConfig:          txConfig,
		interfaceRegistry: interfaceRegistry,
		keys:              keys,
		maccPerms:         maps.Clone(maccPerms),
	}
	for _, ext := range cfg.Extensions {
		maps.Copy(app.maccPerms, ext.ModuleAccounts)
	}
	authority := GovAuthority()
	app.wireKeepers(appOpts, logger, authority, cfg.ForwardsVehicleRecords)

	var (
		extModules []module.AppModule
		extHooks   []stakingtypes.StakingHooks
		initFirst  []string
	)
	for _, ext := range cfg.Extensions {
		mods, hooks := ext.Wire(app)
		extModules = append(extModules, mods...)
		extHooks = append(extHooks, hooks...)
		initFirst = append(initFirst, ext.InitBeforeStaking...)
	}
	hooks := append([]stakingtypes.StakingHooks{app.DistrKeeper.Hooks(), app.SlashingKeeper.Hooks()}, extHooks...)
	app.StakingKeeper.SetHooks(stakingtypes.NewMultiStakingHooks(hooks...))

	app.IBCKeeper.SetRouter(app.IBCRouter)
	app.IBCKeeper.SetRouterV2(app.IBCRouterV2)
	tmLightClient := ibctm.NewLightClientModule(appCodec, app.IBCKeeper.ClientKeeper.GetStoreProvider())
	app.IBCKeeper.ClientKeeper.AddRoute(ibctm.ModuleName, &tmLightClient)

	app.wireModules(txConfig, tmLightClient, extModules, initFirst)
	app.MountKVStores(keys)
	app.SetInitChainer(app.InitChainer)
	app.SetPreBlocker(app.PreBlocker)
	app.SetBeginBlocker(app.BeginBlocker)
	app.SetEndBlocker(app.EndBlocker)
	dbSettings, err := appdb.SettingsFrom(appOpts)
	if err != nil {
		panic(err)
	}
	if dbSettings.PrefetchRecords {
		app.recordPrefetcher, err = prefetch.New(app.CommitMultiStore(), vehicletypes.StoreKey, app.VehicleKeeper.RecordTreeKeys, logger)
		if err != nil {
			panic(err)
		}
	}
	app.setAnteHandler()
	postHandler, err := posthandler.NewPostHandler(posthandler.HandlerOptions{})
	if err != nil {
		panic(err)
	}
	app.SetPostHandler(postHandler)

	protoFiles, err := proto.MergedRegistry()
	if err != nil {
		panic(err)
	}
	if err := msgservice.ValidateProtoAnnotations(protoFiles); err != nil {
		fmt.Fprintln(os.Stderr, err.Error())
	}
	if loadLatest {
		if err := app.LoadLatestVersion(); err != nil {
			panic(fmt.Errorf("load latest version: %w", err))
		}
	}
	return app
}

func (app *App) wireKeepers(appOpts servertypes.AppOptions, logger log.Logger, authority string, forwardsVehicleRecords bool) {
	keys, appCodec := app.keys, app.appCodec
	app.ConsensusParamsKeeper = consensuskeeper.NewKeeper(appCodec, runtime.NewKVStoreService(keys[consensustypes.StoreKey]), authority, runtime.EventService{})
	app.SetParamStore(app.ConsensusParamsKeeper.ParamsStore)

	app.AccountKeeper = authkeeper.NewAccountKeeper(appCodec, runtime.NewKVStoreService(keys[authtypes.StoreKey]),
		authtypes.ProtoBaseAccount, app.maccPerms, authcodec.NewBech32Codec(sdk.GetConfig().GetBech32AccountAddrPrefix()),
		sdk.GetConfig().GetBech32AccountAddrPrefix(), authority)
	app.BankKeeper = bankkeeper.NewBaseKeeper(appCodec, runtime.NewKVStoreService(keys[banktypes.StoreKey]),
		app.AccountKeeper, blockedAddresses(app.maccPerms), authority, logger)
	app.StakingKeeper = stakingkeeper.NewKeeper(appCodec, runtime.NewKVStoreService(keys[stakingtypes.StoreKey]),
		app.AccountKeeper, app.BankKeeper, authority,
		authcodec.NewBech32Codec(sdk.GetConfig().GetBech32ValidatorAddrPrefix()),
		authcodec.NewBech32Codec(sdk.GetConfig().GetBech32ConsensusAddrPrefix()))
	app.DistrKeeper = distrkeeper.NewKeeper(appCodec, runtime.NewKVStoreService(keys[distrtypes.StoreKey]),
		app.AccountKeeper, app.BankKeeper, app.StakingKeeper, authtypes.FeeCollectorName, authority)
	app.SlashingKeeper = slashingkeeper.NewKeeper(appCodec, app.legacyAmino, runtime.NewKVStoreService(keys[slashingtypes.StoreKey]),
		app.StakingKeeper, authority)

	skipUpgradeHeights := map[int64]bool{}
	for _, h := range cast.ToIntSlice(appOpts.Get(server.FlagUnsafeSkipUpgrades)) {
		skipUpgradeHeights[int64(h)] = true
	}
	homePath := cast.ToString(appOpts.Get(flags.FlagHome))
	app.UpgradeKeeper = upgradekeeper.NewKeeper(skipUpgradeHeights, runtime.NewKVStoreService(keys[upgradetypes.StoreKey]),
		appCodec, homePath, app.BaseApp, authority)
	app.IBCKeeper = ibckeeper.NewKeeper(appCodec, runtime.NewKVStoreService(keys[ibcexported.StoreKey]), app.UpgradeKeeper, authority)

	app.GovKeeper = *govkeeper.NewKeeper(appCodec, runtime.NewKVStoreService(keys[govtypes.StoreKey]),
		app.AccountKeeper, app.BankKeeper, app.DistrKeeper, app.MsgServiceRouter(), govtypes.DefaultConfig(), authority,
		govkeeper.NewDefaultCalculateVoteResultsAndVotingPower(app.StakingKeeper))

	app.TransferKeeper = ibctransferkeeper.NewKeeper(appCodec, app.AccountKeeper.AddressCodec(),
		runtime.NewKVStoreService(keys[ibctransfertypes.StoreKey]), app.IBCKeeper.ChannelKeeper,
		app.MsgServiceRouter(), app.AccountKeeper, app.BankKeeper, authority)
	app.VehicleKeeper = vehiclekeeper.NewKeeper(appCodec, runtime.NewKVStoreService(keys[vehicletypes.StoreKey]),
		app.AccountKeeper.AddressCodec(), authority).WithIBC(vehicletypes.IBCKeepers{
		Channel:   app.IBCKeeper.ChannelKeeper,
		PacketsV2: app.IBCKeeper.ChannelKeeperV2,
		Clients:   app.IBCKeeper.ClientKeeper,
		ClientsV2: app.IBCKeeper.ClientV2Keeper,
	})
	if forwardsVehicleRecords {
		app.VehicleKeeper = app.VehicleKeeper.WithHubForwarding()
	}

	app.IBCRouter = porttypes.NewRouter()
	app.IBCRouterV2 = ibcapi.NewRouter()
	app.IBCRouter.AddRoute(ibctransfertypes.ModuleName, transfer.NewIBCModule(app.TransferKeeper))
	app.IBCRouterV2.AddRoute(ibctransfertypes.PortID, transferv2.NewIBCModule(app.TransferKeeper))
	app.IBCRouter.AddRoute(vehicletypes.PortID, vehicle.NewIBCModule(app.VehicleKeeper))
	app.IBCRouterV2.AddRoute(vehicletypes.PortID, vehiclev2.NewIBCModule(app.VehicleKeeper))
}

func (app *App) wireModules(txConfig client.TxConfig, tmLightClient ibctm.LightClientModule, extModules []module.AppModule, initFirst []string) {
	appCodec := app.appCodec
	modules := []module.AppModule{
		genutil.NewAppModule(app.AccountKeeper, app.StakingKeeper, app, txConfig),
		auth.NewAppModule(appCodec, app.AccountKeeper, nil, nil),
		bank.NewAppModule(appCodec, app.BankKeeper, app.AccountKeeper, nil),
		gov.NewAppModule(appCodec, &app.GovKeeper, app.AccountKeeper, app.BankKeeper, nil),
		slashing.NewAppModule(appCodec, app.SlashingKeeper, app.AccountKeeper, app.BankKeeper, app.StakingKeeper, nil, app.interfaceRegistry),
		distr.NewAppModule(appCodec, app.DistrKeeper, app.AccountKeeper, app.BankKeeper, app.StakingKeeper, nil),
		staking.NewAppModule(appCodec, app.StakingKeeper, app.AccountKeeper, app.BankKeeper, nil),
		upgrade.NewAppModule(app.UpgradeKeeper, app.AccountKeeper.AddressCodec()),
		consensus.NewAppModule(appCodec, app.ConsensusParamsKeeper),
		ibc.NewAppModule(app.IBCKeeper),
		transfer.NewAppModule(app.TransferKeeper),
		ibctm.NewAppModule(tmLightClient),
		vehicle.NewAppModule(app.VehicleKeeper),
	}
	app.ModuleManager = module.NewManager(append(modules, extModules...)...)
	app.BasicModuleManager = module.NewBasicManagerFromManager(app.ModuleManager, map[string]module.AppModuleBasic{
		genutiltypes.ModuleName: genutil.NewAppModuleBasic(genutiltypes.DefaultMessageValidator),
		govtypes.ModuleName:     gov.NewAppModuleBasic([]govclient.ProposalHandler{}),
	})
	app.BasicModuleManager.RegisterLegacyAminoCodec(app.legacyAmino)
	app.BasicModuleManager.RegisterInterfaces(app.interfaceRegistry)

	app.ModuleManager.SetOrderPreBlockers(upgradetypes.ModuleName, authtypes.ModuleName)
	app.ModuleManager.SetOrderBeginBlockers(distrtypes.ModuleName, slashingtypes.ModuleName, stakingtypes.ModuleName,
		ibcexported.ModuleName, ibctransfertypes.ModuleName, genutiltypes.ModuleName)
	// Extensions' end blockers (htlc: expired refunds) run last, in extension order.
	endOrder := []string{banktypes.ModuleName, govtypes.ModuleName, stakingtypes.ModuleName,
		ibcexported.ModuleName, ibctransfertypes.ModuleName, genutiltypes.ModuleName}
	for _, m := range extModules {
		if _, ok := m.(appmodule.HasEndBlocker); ok {
			endOrder = append(endOrder, module.AppModuleBasic(m).Name())
		}
	}
	app.ModuleManager.SetOrderEndBlockers(endOrder...)

	// genutil runs after staking (pools need their tokens) and after every
	// module whose state a gentx may be checked against.
	genesisOrder := slices.Concat(
		[]string{authtypes.ModuleName, banktypes.ModuleName, distrtypes.ModuleName},
		initFirst,
		[]string{stakingtypes.ModuleName, slashingtypes.ModuleName, govtypes.ModuleName, ibcexported.ModuleName,
			genutiltypes.ModuleName, ibctransfertypes.ModuleName, upgradetypes.ModuleName, consensustypes.ModuleName,
			vehicletypes.ModuleName},
	)
	for _, m := range extModules {
		if name := module.AppModuleBasic(m).Name(); !slices.Contains(genesisOrder, name) {
			genesisOrder = append(genesisOrder, name)
		}
	}
	app.ModuleManager.SetOrderInitGenesis(genesisOrder...)
	app.ModuleManager.SetOrderExportGenesis(genesisOrder...)

	app.configurator = module.NewConfigurator(appCodec, app.MsgServiceRouter(), app.GRPCQueryRouter())
	if err := app.ModuleManager.RegisterServices(app.configurator); err != nil {
		panic(err)
	}
}

func (app *App) setAnteHandler() {
	options := ante.HandlerOptions{
		AccountKeeper:   app.AccountKeeper,
		BankKeeper:      app.BankKeeper,
		SignModeHandler: app.txConfig.SignModeHandler(),
		SigGasConsumer:  ante.DefaultSigVerificationGasConsumer,
	}
	decorators := []sdk.AnteDecorator{
		ante.NewSetUpContextDecorator(),
		ante.NewExtensionOptionsDecorator(options.ExtensionOptionChecker),
		ante.NewValidateBasicDecorator(),
		ante.NewTxTimeoutHeightDecorator(),
		ante.NewValidateMemoDecorator(options.AccountKeeper),
		ante.NewConsumeGasForTxSizeDecorator(options.AccountKeeper),
		ante.NewDeductFeeDecorator(options.AccountKeeper, options.BankKeeper, nil, nil),
		ante.NewSetPubKeyDecorator(options.AccountKeeper),
		ante.NewValidateSigCountDecorator(options.AccountKeeper),
		ante.NewSigGasConsumeDecorator(options.AccountKeeper, options.SigGasConsumer),
		ante.NewSigVerificationDecorator(options.AccountKeeper, options.SignModeHandler),
		ante.NewIncrementSequenceDecorator(options.AccountKeeper),
		ibcante.NewRedundantRelayDecorator(app.IBCKeeper),
	}
	if app.recordPrefetcher != nil {
		decorators = append(decorators, prefetch.Decorator{Prefetcher: app.recordPrefetcher})
	}
	app.SetAnteHandler(sdk.ChainAnteDecorators(decorators...))
}

// Close stops the record prefetcher, then closes the app's stores.
func (app *App) Close() error {
	if app.recordPrefetcher != nil {
		app.recordPrefetcher.Close()
	}
	return app.BaseApp.Close()
}

// blockedAddresses are module accounts that may not receive funds (gov may, for deposits).
func blockedAddresses(perms map[string][]string) map[string]bool {
	blocked := make(map[string]bool)
	for acc := range perms {
		blocked[authtypes.NewModuleAddress(acc).String()] = true
	}
	delete(blocked, authtypes.NewModuleAddress(govtypes.ModuleName).String())
	return blocked
}

// PreBlocker runs the pre-blockers (upgrade).
func (app *App) PreBlocker(ctx sdk.Context, _ *abci.RequestFinalizeBlock) (*sdk.ResponsePreBlock, error) {
	return app.ModuleManager.PreBlock(ctx)
}

// BeginBlocker runs the begin-blockers.
func (app *App) BeginBlocker(ctx sdk.Context) (sdk.BeginBlock, error) {
	return app.ModuleManager.BeginBlock(ctx)
}

// EndBlocker runs the end-blockers.
func (app *App) EndBlocker(ctx sdk.Context) (sdk.EndBlock, error) {
	return app.ModuleManager.EndBlock(ctx)
}

// InitChainer loads genesis.
func (app *App) InitChainer(ctx sdk.Context, req *abci.RequestInitChain) (*abci.ResponseInitChain, error) {
	var genesisState map[string]json.RawMessage
	if err := json.Unmarshal(req.AppStateBytes, &genesisState); err != nil {
		return nil, fmt.Errorf("decode app state: %w", err)
	}
	if err := app.UpgradeKeeper.SetModuleVersionMap(ctx, app.ModuleManager.GetVersionMap()); err != nil {
		return nil, err
	}
	return app.ModuleManager.InitGenesis(ctx, app.appCodec, genesisState)
}

// LoadHeight loads the state at a height.
func (app *App) LoadHeight(height int64) error { return app.LoadVersion(height) }

// LegacyAmino returns the amino codec.
func (app *App) LegacyAmino() *codec.LegacyAmino { return app.legacyAmino }

// AppCodec returns the proto codec.
func (app *App) AppCodec() codec.Codec { return app.appCodec }

// InterfaceRegistry returns the interface registry.
func (app *App) InterfaceRegistry() types.InterfaceRegistry { return app.interfaceRegistry }

// TxConfig returns the tx config.
func (app *App) TxConfig() client.TxConfig { return app.txConfig }

// GetTxConfig returns the tx config (ibctesting.TestingApp).
func (app *App) GetTxConfig() client.TxConfig { return app.txConfig }

// GetBaseApp returns the base app (ibctesting.TestingApp).
func (app *App) GetBaseApp() *baseapp.BaseApp { return app.BaseApp }

// GetIBCKeeper returns the IBC keeper (ibctesting.TestingApp).
func (app *App) GetIBCKeeper() *ibckeeper.Keeper { return app.IBCKeeper }

// GetKey returns a store key by name.
func (app *App) GetKey(name string) *storetypes.KVStoreKey { return app.keys[name] }

// DefaultGenesis returns every module's default genesis.
func (app *App) DefaultGenesis() map[string]json.RawMessage {
	return app.BasicModuleManager.DefaultGenesis(app.appCodec)
}

// RegisterAPIRoutes serves the REST gateway.
func (app *App) RegisterAPIRoutes(apiSvr *api.Server, apiConfig config.APIConfig) {
	clientCtx := apiSvr.ClientCtx
	authtx.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)
	cmtservice.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)
	nodeservice.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)
	app.BasicModuleManager.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)
}

// RegisterTxService serves the tx gRPC service.
func (app *App) RegisterTxService(clientCtx client.Context) {
	authtx.RegisterTxService(app.GRPCQueryRouter(), clientCtx, app.Simulate, app.interfaceRegistry)
}

// RegisterTendermintService serves the CometBFT gRPC service.
func (app *App) RegisterTendermintService(clientCtx client.Context) {
	cmtApp := server.NewCometABCIWrapper(app)
	cmtservice.RegisterTendermintService(clientCtx, app.GRPCQueryRouter(), app.interfaceRegistry, cmtApp.Query)
}

// RegisterNodeService serves the node gRPC service.
func (app *App) RegisterNodeService(clientCtx client.Context, cfg config.Config) {
	nodeservice.RegisterNodeService(clientCtx, app.GRPCQueryRouter(), cfg, func() int64 {
		return app.CommitMultiStore().EarliestVersion()
	})
}
