package app

import (
	"github.com/spf13/cobra"

	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/baseapp"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"

	"github.com/vinhub/vinhub/hub/chainapp"
	"github.com/vinhub/vinhub/hub/chaincmd"
	membershipcli "github.com/vinhub/vinhub/x/membership/client/cli"
	notarycli "github.com/vinhub/vinhub/x/notary/client/cli"
)

// DefaultNodeHome is vinhubd's default home directory.
var DefaultNodeHome = chaincmd.HomeDir(".vinhub")

// NewRootCmd returns the vinhubd root command.
func NewRootCmd() *cobra.Command {
	return chaincmd.NewRootCmd(chaincmd.Spec{
		Use:         "vinhubd",
		Short:       "vinhub hub chain: one history and one lien per VIN across platforms",
		DefaultHome: DefaultNodeHome,
		NewApp: func(logger log.Logger, db dbm.DB, loadLatest bool, appOpts servertypes.AppOptions, opts ...func(*baseapp.BaseApp)) *chainapp.App {
			return New(logger, db, loadLatest, appOpts, opts...).App
		},
		GenesisCommands: []*cobra.Command{membershipcli.AddGenesisOperatorCmd(), membershipcli.AddGenesisRoleCmd(),
			notarycli.AddGenesisNotaryCmd(), notarycli.BindGenesisLedgerCmd()},
	})
}
