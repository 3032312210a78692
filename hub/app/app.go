package app

import (
	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/runtime"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/vinhub/vinhub/hub/chainapp"
	"github.com/vinhub/vinhub/x/membership"
	membershipkeeper "github.com/vinhub/vinhub/x/membership/keeper"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
)

// Name is the hub's app name.
const Name = "vinhub"

// App is the hub chain.
type App struct {
	*chainapp.App
	MembershipKeeper membershipkeeper.Keeper
}

// New builds the hub app.
func New(logger log.Logger, db dbm.DB, loadLatest bool,
	appOpts servertypes.AppOptions, baseAppOptions ...func(*baseapp.BaseApp),
) *App {
	hub := &App{}
	membershipExt := chainapp.Extension{
		StoreKeys:         []string{membershiptypes.StoreKey},
		InitBeforeStaking: []string{membershiptypes.ModuleName},
		Wire: func(base *chainapp.App) ([]module.AppModule, []stakingtypes.StakingHooks) {
			hub.MembershipKeeper = membershipkeeper.NewKeeper(base.AppCodec(),
				runtime.NewKVStoreService(base.GetKey(membershiptypes.StoreKey)),
				base.AccountKeeper.AddressCodec(), chainapp.GovAuthority())
			return []module.AppModule{membership.NewAppModule(hub.MembershipKeeper)},
				[]stakingtypes.StakingHooks{hub.MembershipKeeper.Hooks()}
		},
	}
	hub.App = chainapp.New(chainapp.Config{Name: Name, Extensions: []chainapp.Extension{membershipExt}},
		logger, db, loadLatest, appOpts, baseAppOptions...)
	return hub
}
