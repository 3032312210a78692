package cli

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"

	"github.com/vinhub/vinhub/sealed"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// Flags of sealed records.
const (
	FlagSealed   = "sealed"
	FlagSealTo   = "seal-to"
	FlagKeysNode = "keys-node"
	FlagKey      = "key"
)

// addSealFlags adds the flags that seal fields into a record.
func addSealFlags(cmd *cobra.Command) {
	cmd.Flags().StringArray(FlagSealed, nil, "a sealed field name=value (repeat); sealed to you, the hub's regulators and --seal-to parties")
	cmd.Flags().StringArray(FlagSealTo, nil, "another party (hub address) to seal to, e.g. the buyer's lender (repeat)")
	cmd.Flags().String(FlagKeysNode, "", "RPC of the hub node to read encryption keys from (default: --node; give the hub's on a dealer chain)")
}

// sealFromFlags seals the --sealed fields of a record about vin to the
// signer's own key (if registered), every regulator with a key and the
// --seal-to parties, reading the keys from the hub. No --sealed: nil.
func sealFromFlags(cmd *cobra.Command, clientCtx client.Context, vin string) (*sealed.Envelope, error) {
	pairs, _ := cmd.Flags().GetStringArray(FlagSealed)
	if len(pairs) == 0 {
		return nil, nil
	}
	fields := make([]sealed.PlainField, len(pairs))
	for i, p := range pairs {
		name, value, ok := strings.Cut(p, "=")
		if !ok {
			return nil, fmt.Errorf("--%s %q: write name=value", FlagSealed, p)
		}
		fields[i] = sealed.PlainField{Name: name, Value: []byte(value)}
	}
	keys, err := recipientKeys(cmd, clientCtx)
	if err != nil {
		return nil, err
	}
	parsed, err := types.ParseVIN(vin)
	if err != nil {
		return nil, err
	}
	return sealed.Seal(types.SealedSubject(parsed.Value), fields, keys)
}

// recipientKeys reads the current keys of the signer, the regulators and the --seal-to parties.
func recipientKeys(cmd *cobra.Command, clientCtx client.Context) ([]sealed.RecipientKey, error) {
	if node, _ := cmd.Flags().GetString(FlagKeysNode); node != "" {
		rpc, err := client.NewClientFromNode(node)
		if err != nil {
			return nil, fmt.Errorf("--%s %s: %w", FlagKeysNode, node, err)
		}
		clientCtx = clientCtx.WithClient(rpc)
	}
	q := membershiptypes.NewQueryClient(clientCtx)
	regs, err := q.RegulatorKeys(cmd.Context(), &membershiptypes.QueryRegulatorKeysRequest{})
	if err != nil {
		return nil, fmt.Errorf("regulators' keys: %w", err)
	}
	if len(regs.Missing) > 0 {
		cmd.PrintErrf("warning: regulators without an encryption key cannot read this record: %s\n", strings.Join(regs.Missing, ", "))
	}
	keys := make([]sealed.RecipientKey, 0, len(regs.Keys)+1)
	seen := map[string]bool{}
	add := func(k membershiptypes.EncryptionKey) {
		if !seen[k.Address] {
			seen[k.Address] = true
			keys = append(keys, sealed.RecipientKey{KeyID: sealed.KeyID{Address: k.Address, Version: k.Version}, PublicKey: k.PublicKey})
		}
	}
	parties, _ := cmd.Flags().GetStringArray(FlagSealTo)
	self := clientCtx.GetFromAddress().String()
	for _, addr := range append([]string{self}, parties...) {
		res, err := q.EncryptionKey(cmd.Context(), &membershiptypes.QueryEncryptionKeyRequest{Address: addr})
		if status.Code(err) == codes.NotFound && addr == self {
			cmd.PrintErrf("warning: you (%s) have no registered encryption key: you will not be able to open this record\n", self)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("encryption key of %s: %w", addr, err)
		}
		add(res.Key)
	}
	for _, k := range regs.Keys {
		add(k)
	}
	return keys, nil
}

// recordEnvelope reads a hub record and its envelope.
func recordEnvelope(cmd *cobra.Command, clientCtx client.Context, idArg string) (uint64, *sealed.Envelope, error) {
	id, err := strconv.ParseUint(strings.TrimPrefix(idArg, recordRefPrefix), 10, 64)
	if err != nil {
		return 0, nil, fmt.Errorf("record id %q: a number", idArg)
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

// recordRefPrefix names a hub record in a disclosure: "vehicle/record/<id>".
const recordRefPrefix = "vehicle/record/"

// QueryCmd returns the hand-written vehicle query commands; autocli adds the rest.
func QueryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "Querying commands for vehicle histories",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(OpenSealedCmd(), DiscloseCmd(), VerifyDisclosureCmd())
	return cmd
}

// OpenSealedCmd decrypts a record's sealed fields on this machine.
func OpenSealedCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "open-sealed [record-id]",
		Short: "Decrypt a record's sealed fields with your encryption key file (client-side; nothing is sent)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			_, env, err := recordEnvelope(cmd, clientCtx, args[0])
			if err != nil {
				return err
			}
			fields, err := openWithKeyFlag(cmd, env)
			if err != nil {
				return err
			}
			for _, f := range fields {
				fmt.Fprintf(cmd.OutOrStdout(), "%s=%s\n", f.Name, f.Value)
			}
			return nil
		},
	}
	cmd.Flags().String(FlagKey, "", "your encryption key file (from `tx membership encryption-keygen`)")
	flags.AddQueryFlagsToCmd(cmd)
	return cmd
}

func openWithKeyFlag(cmd *cobra.Command, env *sealed.Envelope) ([]sealed.Field, error) {
	path, _ := cmd.Flags().GetString(FlagKey)
	if path == "" {
		return nil, fmt.Errorf("--%s: give your encryption key file", FlagKey)
	}
	priv, err := sealed.ReadKeyFile(path)
	if err != nil {
		return nil, err
	}
	_, fields, err := sealed.OpenAny(env, priv)
	return fields, err
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
			fields, err := openWithKeyFlag(cmd, env)
			if err != nil {
				return err
			}
			d, err := sealed.Disclose(env, fields, recordRefPrefix+strconv.FormatUint(id, 10), args[1])
			if err != nil {
				return err
			}
			return clientCtx.PrintProto(&d)
		},
	}
	cmd.Flags().String(FlagKey, "", "your encryption key file")
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
			if !strings.HasPrefix(d.RecordRef, recordRefPrefix) {
				return fmt.Errorf("disclosure names %q: not a vehicle record", d.RecordRef)
			}
			_, env, err := recordEnvelope(cmd, clientCtx, d.RecordRef)
			if err != nil {
				return err
			}
			if err := sealed.VerifyDisclosure(d, env); err != nil {
				return errors.Join(errors.New("NOT VERIFIED"), err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "VERIFIED: %s %s = %s\n", d.RecordRef, d.Name, d.Value)
			return nil
		},
	}
	flags.AddQueryFlagsToCmd(cmd)
	return cmd
}
