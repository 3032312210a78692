package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/internal/genesisfile"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// FlagAccount is the add-dealer flag that sets the dealer's hub account.
const FlagAccount = "account"

// AddGenesisDealerCmd registers a founding dealer, and optionally its reporters, in genesis.json.
func AddGenesisDealerCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add-dealer [dealer-id] [name] [reporter-address...]",
		Short: "Register a founding dealer and its reporters in genesis.json (--account sets its hub account)",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			account, _ := cmd.Flags().GetString(FlagAccount)
			var gs types.GenesisState
			return genesisfile.EditModule(cmd, types.ModuleName, &gs, func() error {
				for _, d := range gs.Dealers {
					if d.Id == args[0] {
						return fmt.Errorf("dealer %q is already in genesis", args[0])
					}
				}
				gs.Dealers = append(gs.Dealers, types.Dealer{Id: args[0], Name: args[1], Active: true, Account: account})
				for _, r := range args[2:] {
					addr, err := sdk.AccAddressFromBech32(r)
					if err != nil {
						return fmt.Errorf("reporter %q: %w", r, err)
					}
					gs.Reporters = append(gs.Reporters, types.Reporter{DealerId: args[0], Address: addr.String(), Active: true})
				}
				return gs.Validate()
			})
		},
	}
	cmd.Flags().String(FlagAccount, "", "the dealer's hub account: flagged records of the dealer count against it in credit")
	return cmd
}
