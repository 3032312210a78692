package dealerapp

import (
	"github.com/spf13/cobra"

	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/baseapp"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"

	"github.com/vinhub/vinhub/hub/chainapp"
	"github.com/vinhub/vinhub/hub/chaincmd"
)

// DefaultNodeHome is dealerd's default home directory.
var DefaultNodeHome = chaincmd.HomeDir(".vindealer")

// NewRootCmd returns the dealerd root command.
func NewRootCmd() *cobra.Command {
	return chaincmd.NewRootCmd(chaincmd.Spec{
		Use:         "dealerd",
		Short:       "vinhub reference dealer chain: a dealer group's vehicle records, synced to the hub over IBC",
		DefaultHome: DefaultNodeHome,
		NewApp: func(logger log.Logger, db dbm.DB, loadLatest bool, appOpts servertypes.AppOptions, opts ...func(*baseapp.BaseApp)) *chainapp.App {
			return New(logger, db, loadLatest, appOpts, opts...).App
		},
	})
}
