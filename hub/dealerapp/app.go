package dealerapp

import (
	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/baseapp"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"

	"github.com/vinhub/vinhub/hub/chainapp"
)

// Name is the dealer chain's app name.
const Name = "vindealer"

// App is a dealer chain: its vehicle records are forwarded to the hub.
type App struct {
	*chainapp.App
}

// New builds a dealer chain app.
func New(logger log.Logger, db dbm.DB, loadLatest bool,
	appOpts servertypes.AppOptions, baseAppOptions ...func(*baseapp.BaseApp),
) *App {
	return &App{App: chainapp.New(chainapp.Config{Name: Name, ForwardsVehicleRecords: true}, logger, db, loadLatest, appOpts, baseAppOptions...)}
}
