// Package cli holds the membership genesis commands and the offline
// encryption key generator.
package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/internal/accaddr"
	"github.com/vinhub/vinhub/x/internal/genesisfile"
	"github.com/vinhub/vinhub/x/internal/modulecli"
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
					if accaddr.Same(op.Address, addr.String()) {
						return fmt.Errorf("%s is already admitted", addr)
					}
				}
				gs.Operators = append(gs.Operators, types.Operator{Address: addr.String(), Note: note})
				return gs.Validate()
			})
		},
	}
}

// AddGenesisRoleCmd grants a founding role (examiner, lender, regulator,
// notary) in genesis.json.
func AddGenesisRoleCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "grant-role [address] [role] [note]",
		Short: "Grant a founding role in genesis.json: examiner, lender, regulator or notary",
		Args:  cobra.RangeArgs(2, 3),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := sdk.AccAddressFromBech32(args[0])
			if err != nil {
				return fmt.Errorf("address %q: %w", args[0], err)
			}
			role, err := ParseRole(args[1])
			if err != nil {
				return err
			}
			note := "genesis"
			if len(args) == 3 {
				note = args[2]
			}
			var gs types.GenesisState
			return genesisfile.EditModule(cmd, types.ModuleName, &gs, func() error {
				gs.Roles = append(gs.Roles, types.RoleGrant{Address: addr.String(), Role: role, Note: note})
				return gs.Validate()
			})
		},
	}
}

// ParseRole reads "examiner", "LENDER" or "ROLE_REGULATOR".
func ParseRole(s string) (types.Role, error) {
	v, ok := modulecli.EnumValue(types.Role_value, "ROLE_", s)
	if !ok {
		return 0, fmt.Errorf("unknown role %q: use examiner, lender, regulator or notary", s)
	}
	return types.Role(v), nil
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
