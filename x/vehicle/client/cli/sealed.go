package cli

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/vinhub/vinhub/sealed"
	"github.com/vinhub/vinhub/sealed/sealcli"
	"github.com/vinhub/vinhub/x/internal/modulecli"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// sealFromFlags seals the --sealed fields of dealerID's record about vin
// (see sealcli.FromFlags for who it is sealed to). No --sealed: nil.
func sealFromFlags(cmd *cobra.Command, clientCtx client.Context, dealerID, vin string) (*sealed.Envelope, error) {
	parsed, err := types.ParseVIN(vin)
	if err != nil {
		return nil, err
	}
	return sealcli.FromFlags(cmd, clientCtx, types.SealedSubject(parsed.Value, dealerID))
}

// recordEnvelope reads a hub record and its envelope.
func recordEnvelope(cmd *cobra.Command, clientCtx client.Context, idArg string) (uint64, *sealed.Envelope, error) {
	id, err := types.ParseRecordRef(idArg)
	if err != nil {
		return 0, nil, err
	}
	res, err := types.NewQueryClient(clientCtx).Record(cmd.Context(), &types.QueryRecordRequest{Id: id})
	if err != nil {
		return 0, nil, fmt.Errorf("record %d: %w", id, err)
	}
	if res.Record.Input.Sealed == nil {
		return 0, nil, fmt.Errorf("record %d carries no sealed envelope", id)
	}
	return id, res.Record.Input.Sealed, nil
}

// QueryCmd returns the hand-written vehicle query commands; autocli adds the rest.
func QueryCmd() *cobra.Command {
	return modulecli.Group(types.ModuleName, "Querying commands for vehicle histories", OpenSealedCmd(), DiscloseCmd(), VerifyDisclosureCmd())
}

// FlagVIN selects every record of a VIN in open-sealed (the regulator's view).
const FlagVIN = "vin"

// OpenSealedCmd decrypts a record's sealed fields, or every sealed record of
// a VIN, on this machine.
func OpenSealedCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "open-sealed [record-id] | open-sealed --vin [VIN]",
		Short: "Decrypt a record's sealed fields, or every sealed record of a VIN, with your encryption key file (client-side; nothing is sent)",
		Long: `Decrypt sealed fields on this machine with your encryption key file.
With a record id: that record's fields. With --vin: every sealed record of the VIN (the regulator's
view); records sealed to other parties are listed as "` + sealcli.NotForYou + `", records without
sealed fields are left out.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			vin, _ := cmd.Flags().GetString(FlagVIN)
			if (vin == "") == (len(args) == 0) {
				return errors.New("give either a record id or --vin")
			}
			if vin != "" {
				return openVIN(cmd, clientCtx, vin)
			}
			_, env, err := recordEnvelope(cmd, clientCtx, args[0])
			if err != nil {
				return err
			}
			return sealcli.PrintOpen(cmd, env)
		},
	}
	sealcli.AddKeyFlag(cmd)
	cmd.Flags().String(FlagVIN, "", "open every sealed record of this VIN instead of one record")
	flags.AddQueryFlagsToCmd(cmd)
	return cmd
}

// openVIN pages through a VIN's history and prints each sealed record opened
// with the --key file, or marked not for this key.
func openVIN(cmd *cobra.Command, clientCtx client.Context, vin string) error {
	priv, err := sealcli.ReadKey(cmd)
	if err != nil {
		return err
	}
	q := types.NewQueryClient(clientCtx)
	page := &query.PageRequest{}
	for {
		res, err := q.History(cmd.Context(), &types.QueryHistoryRequest{Vin: vin, Pagination: page})
		if err != nil {
			return fmt.Errorf("history of %s: %w", vin, err)
		}
		for _, r := range res.Records {
			if r.Input.Sealed == nil {
				continue
			}
			label := fmt.Sprintf("record %d (%s, dealer %s, %s)", r.Id, r.Input.Kind, r.DealerId, r.Input.OccurredAt.Format(time.RFC3339))
			sealcli.PrintOpened(cmd.OutOrStdout(), label, r.Input.Sealed, priv)
		}
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			return nil
		}
		page = &query.PageRequest{Key: res.Pagination.NextKey}
	}
}

// DiscloseCmd prints the disclosure of one sealed field of a record.
func DiscloseCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "disclose [record-id] [field]",
		Short: "Print a disclosure of one sealed field (value and salt) that anyone can verify against the chain",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			id, env, err := recordEnvelope(cmd, clientCtx, args[0])
			if err != nil {
				return err
			}
			fields, err := sealcli.OpenWithKeyFlag(cmd, env)
			if err != nil {
				return err
			}
			chainID, err := sealcli.NodeChainID(cmd, clientCtx)
			if err != nil {
				return err
			}
			d, err := sealed.Disclose(env, fields, chainID, types.RecordRef(id), args[1])
			if err != nil {
				return err
			}
			return clientCtx.PrintProto(&d)
		},
	}
	sealcli.AddKeyFlag(cmd)
	flags.AddQueryFlagsToCmd(cmd)
	return cmd
}

// VerifyDisclosureCmd checks a disclosure against the record on chain.
func VerifyDisclosureCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "verify-disclosure [disclosure.json]",
		Short: "Check a disclosed field against its record's commitment on chain",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			bz, err := os.ReadFile(args[0])
			if err != nil {
				return fmt.Errorf("disclosure: %w", err)
			}
			var d sealed.Disclosure
			if err := clientCtx.Codec.UnmarshalJSON(bz, &d); err != nil {
				return fmt.Errorf("disclosure %s: %w", args[0], err)
			}
			if !types.IsRecordRef(d.RecordRef) {
				return fmt.Errorf("disclosure names %q: not a vehicle record", d.RecordRef)
			}
			chainID, err := sealcli.NodeChainID(cmd, clientCtx)
			if err != nil {
				return err
			}
			_, env, err := recordEnvelope(cmd, clientCtx, d.RecordRef)
			if err != nil {
				return err
			}
			if err := sealed.VerifyDisclosure(d, chainID, env); err != nil {
				return errors.Join(errors.New("NOT VERIFIED"), err)
			}
			// The chain and the subject (VIN and dealer) say what was verified:
			// record ids alone name different records on different chains.
			fmt.Fprintf(cmd.OutOrStdout(), "VERIFIED: chain %s %s subject %s: %s = %s\n",
				chainID, d.RecordRef, sealed.Printable([]byte(d.Subject)), d.Name, sealed.Printable(d.Value))
			cmd.PrintErrln("(the record is as this node reports it, unproven: `vinaudit disclosure` proves it against the hub's consensus)")
			return nil
		},
	}
	flags.AddQueryFlagsToCmd(cmd)
	return cmd
}
