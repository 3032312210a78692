// Package cli holds the notary genesis commands: the founding notary set
// and ledger bindings of a new hub.
package cli

import (
	"encoding/hex"
	"fmt"

	"github.com/spf13/cobra"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/internal/genesisfile"
	"github.com/vinhub/vinhub/x/notary/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

const flagThreshold = "threshold"

// AddGenesisNotaryCmd adds a member to the founding notary set (version 1)
// in genesis.json. The threshold is recomputed (more than two thirds)
// unless --threshold is given.
func AddGenesisNotaryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add-notary [operator-address] [bip340-pubkey-hex]",
		Short: "Add a founding notary (hub account + BIP-340 x-only key from `vinrelay notary keys show`) to genesis.json",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			op, err := sdk.AccAddressFromBech32(args[0])
			if err != nil {
				return fmt.Errorf("operator %q: %w", args[0], err)
			}
			pk, err := hex.DecodeString(args[1])
			if err != nil {
				return fmt.Errorf("public key %q is not hex: %w", args[1], err)
			}
			threshold, err := cmd.Flags().GetUint32(flagThreshold)
			if err != nil {
				return err
			}
			var gs types.GenesisState
			return genesisfile.EditModule(cmd, types.ModuleName, &gs, func() error {
				if len(gs.Sets) > 1 {
					return fmt.Errorf("genesis already has %d set versions: edit the founding set only on a new chain", len(gs.Sets))
				}
				if len(gs.Sets) == 0 {
					gs.Sets = []types.NotarySet{{Version: 1}}
				}
				set := &gs.Sets[0]
				set.Members = append(set.Members, types.Member{Operator: op.String(), Pubkey: pk})
				set.Threshold = threshold
				if threshold == 0 {
					set.Threshold = types.DefaultThreshold(len(set.Members))
				}
				return gs.Validate()
			})
		},
	}
	cmd.Flags().Uint32(flagThreshold, 0, "signatures needed (default: more than two thirds of the members)")
	return cmd
}

// BindGenesisLedgerCmd binds a non-IBC ledger to a dealer in genesis.json.
func BindGenesisLedgerCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "bind-ledger [ledger-id] [dealer-id]",
		Short: "Let a founding dealer's records in from its non-IBC ledger (notaries attest them) in genesis.json",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := types.ValidateLedgerID(args[0]); err != nil {
				return err
			}
			if err := vehicletypes.ValidateDealerID(args[1]); err != nil {
				return err
			}
			var gs types.GenesisState
			return genesisfile.EditModule(cmd, types.ModuleName, &gs, func() error {
				for _, l := range gs.Ledgers {
					if l.LedgerId == args[0] {
						return fmt.Errorf("ledger %q is already bound to %q", args[0], l.DealerId)
					}
				}
				gs.Ledgers = append(gs.Ledgers, types.LedgerBinding{LedgerId: args[0], DealerId: args[1]})
				return gs.Validate()
			})
		},
	}
}
