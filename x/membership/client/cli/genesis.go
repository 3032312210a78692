// Package cli holds the membership genesis command.
package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/internal/genesisfile"
	"github.com/vinhub/vinhub/x/membership/types"
)

// AddGenesisOperatorCmd admits a founding validator operator in genesis.json.
func AddGenesisOperatorCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "add-operator [address] [note]",
		Short: "Admit a founding validator operator (account or valoper address) in genesis.json",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := operatorAddress(args[0])
			if err != nil {
				return err
			}
			note := "genesis"
			if len(args) == 2 {
				note = args[1]
			}
			var gs types.GenesisState
			return genesisfile.EditModule(cmd, types.ModuleName, &gs, func() error {
				for _, op := range gs.Operators {
					if op.Address == addr.String() {
						return fmt.Errorf("%s is already admitted", addr)
					}
				}
				gs.Operators = append(gs.Operators, types.Operator{Address: addr.String(), Note: note})
				return gs.Validate()
			})
		},
	}
}

func operatorAddress(s string) (sdk.AccAddress, error) {
	if acc, err := sdk.AccAddressFromBech32(s); err == nil {
		return acc, nil
	}
	val, err := sdk.ValAddressFromBech32(s)
	if err != nil {
		return nil, fmt.Errorf("%q is neither an account nor a validator operator address", s)
	}
	return sdk.AccAddress(val), nil
}
