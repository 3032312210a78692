// Package cli holds the asset commands that seal fields (--sealed) or open
// them with a key file; they need the hub's encryption keys or a local key,
// which autocli cannot give. Autocli adds the rest.
package cli

import (
	"crypto/ecdh"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/vinhub/vinhub/sealed"
	"github.com/vinhub/vinhub/sealed/sealcli"
	"github.com/vinhub/vinhub/x/asset/types"
	"github.com/vinhub/vinhub/x/internal/modulecli"
)

// Flags of the hand-written asset commands.
const (
	FlagVIN               = "vin"
	FlagReference         = "reference"
	FlagForeignRepayments = "foreign-repayments"
)

// TxCmd returns the hand-written asset tx commands; autocli adds the rest.
func TxCmd() *cobra.Command {
	return modulecli.Group(types.ModuleName, "Asset transactions", ApplyCmd(), OfferLoanCmd())
}

// QueryCmd returns the hand-written asset queries; autocli adds the rest.
func QueryCmd() *cobra.Command {
	return modulecli.Group(types.ModuleName, "Querying commands for assets and loans", OpenSealedCmd(), OpenSealedLoanCmd(), LoansByBorrowerCmd())
}

// ApplyCmd applies to register an offline asset, optionally with sealed fields.
func ApplyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "apply [kind] [description] [evidence-hash]...",
		Short: "Apply to register an offline asset (kind: vehicle, warehouse-receipt, receivable; --vin for vehicles; --sealed for private fields)",
		Args:  cobra.MinimumNArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			kind, err := parseKind(args[0])
			if err != nil {
				return err
			}
			msg := &types.MsgApply{Owner: clientCtx.GetFromAddress().String(), Kind: kind, Description: args[1], EvidenceHashes: args[2:]}
			msg.Vin, _ = cmd.Flags().GetString(FlagVIN)
			msg.Reference, _ = cmd.Flags().GetString(FlagReference)
			if msg.Sealed, err = sealcli.FromFlags(cmd, clientCtx, types.SealedApplicationSubject(msg.Owner)); err != nil {
				return err
			}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().String(FlagVIN, "", "the vehicle's VIN (vehicles: it must have a history on the hub)")
	cmd.Flags().String(FlagReference, "", "the asset's reference off chain (warehouse receipt number, invoice number)")
	sealcli.AddFlags(cmd)
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// parseKind reads an asset kind as autocli does: "vehicle",
// "warehouse-receipt" or the enum name.
func parseKind(s string) (types.AssetKind, error) {
	k, ok := modulecli.EnumValue(types.AssetKind_value, "ASSET_KIND_", s)
	if !ok {
		return 0, fmt.Errorf("kind %q: use vehicle, warehouse-receipt or receivable", s)
	}
	return types.AssetKind(k), nil
}

// OfferLoanCmd offers a loan, optionally with sealed terms for the borrower,
// the regulators and --seal-to parties.
func OfferLoanCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "offer-loan [asset-id] [borrower] [principal] [interest-rate-bps] [term]",
		Short: "Offer a loan against an asset; the principal is escrowed until the borrower pledges (lender; term like 720h; --sealed for private terms)",
		Long: "Offer a loan against an asset; the principal is escrowed until the borrower pledges. The term is a duration like 720h.\n" +
			"--sealed name=value (repeatable) seals private terms to you, the borrower, the hub's regulators and --seal-to parties.\n" +
			"--foreign-repayments (repeatable, JSON) lets the loan be repaid on Stellar or Bitcoin to your account there, at a fixed rate\n" +
			"(how much of the principal's denom one stroop or satoshi is worth), e.g.\n" +
			`  --foreign-repayments '{"platform":"stellar","network_id":"<64 hex>","asset":"native","account":"G...","rate":{"numerator":"1","denominator":"10000"}}'`,
		Args: cobra.ExactArgs(5),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			msg, err := loanOfferFromArgs(clientCtx, cmd, args)
			if err != nil {
				return err
			}
			canon, err := msg.Canonical()
			if err != nil {
				return err
			}
			// The borrower always gets the terms: it is who signs the pledge.
			if err := cmd.Flags().Set(sealcli.FlagSealTo, canon.Borrower); err != nil {
				return err
			}
			if canon.Sealed, err = sealcli.FromFlags(cmd, clientCtx, types.SealedLoanSubject(canon.AssetId, canon.Borrower, canon.Lender)); err != nil {
				return err
			}
			if err := canon.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), canon)
		},
	}
	cmd.Flags().StringArray(FlagForeignRepayments, nil, "a way to repay on another rail, JSON (repeat)")
	sealcli.AddFlags(cmd)
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

func loanOfferFromArgs(clientCtx client.Context, cmd *cobra.Command, args []string) (*types.MsgOfferLoan, error) {
	assetID, err := strconv.ParseUint(args[0], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("asset-id %q: a number", args[0])
	}
	principal, err := sdk.ParseCoinNormalized(args[2])
	if err != nil {
		return nil, fmt.Errorf("principal %q: %w", args[2], err)
	}
	bps, err := strconv.ParseUint(args[3], 10, 32)
	if err != nil {
		return nil, fmt.Errorf("interest-rate-bps %q: a whole number of basis points", args[3])
	}
	term, err := time.ParseDuration(args[4])
	if err != nil {
		return nil, fmt.Errorf("term %q: a duration like 720h: %w", args[4], err)
	}
	msg := &types.MsgOfferLoan{Lender: clientCtx.GetFromAddress().String(), AssetId: assetID, Borrower: args[1],
		Principal: principal, InterestRateBps: uint32(bps), Term: term}
	raw, _ := cmd.Flags().GetStringArray(FlagForeignRepayments)
	for i, r := range raw {
		var fr types.ForeignRepayment
		if err := clientCtx.Codec.UnmarshalJSON([]byte(r), &fr); err != nil {
			return nil, fmt.Errorf("--%s %d: %w", FlagForeignRepayments, i, err)
		}
		msg.ForeignRepayments = append(msg.ForeignRepayments, fr)
	}
	return msg, nil
}

// OpenSealedCmd decrypts an asset application's sealed fields on this machine.
func OpenSealedCmd() *cobra.Command {
	return openCmd("open-sealed [asset-id]", "Decrypt an asset application's sealed fields with your encryption key file (client-side; nothing is sent)",
		func(cmd *cobra.Command, clientCtx client.Context, id uint64) (*sealed.Envelope, error) {
			res, err := types.NewQueryClient(clientCtx).Asset(cmd.Context(), &types.QueryAssetRequest{Id: id})
			if err != nil {
				return nil, fmt.Errorf("asset %d: %w", id, err)
			}
			return res.Asset.Sealed, nil
		})
}

// OpenSealedLoanCmd decrypts a loan's sealed terms on this machine.
func OpenSealedLoanCmd() *cobra.Command {
	return openCmd("open-sealed-loan [loan-id]", "Decrypt a loan's sealed terms with your encryption key file (client-side; nothing is sent)",
		func(cmd *cobra.Command, clientCtx client.Context, id uint64) (*sealed.Envelope, error) {
			res, err := types.NewQueryClient(clientCtx).Loan(cmd.Context(), &types.QueryLoanRequest{Id: id})
			if err != nil {
				return nil, fmt.Errorf("loan %d: %w", id, err)
			}
			return res.Loan.Sealed, nil
		})
}

// openCmd is a command that reads one object's envelope by id and prints
// its fields opened with --key.
func openCmd(use, short string, envelope func(*cobra.Command, client.Context, uint64) (*sealed.Envelope, error)) *cobra.Command {
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			id, err := strconv.ParseUint(args[0], 10, 64)
			if err != nil {
				return fmt.Errorf("id %q: a number", args[0])
			}
			env, err := envelope(cmd, clientCtx, id)
			if err != nil {
				return err
			}
			if env == nil {
				return fmt.Errorf("%s %d carries no sealed envelope", strings.Fields(use)[0], id)
			}
			return sealcli.PrintOpen(cmd, env)
		},
	}
	sealcli.AddKeyFlag(cmd)
	flags.AddQueryFlagsToCmd(cmd)
	return cmd
}

// LoansByBorrowerCmd is the regulator's view of an account's borrowing: each
// loan's public terms and the sealed terms the key opens.
func LoansByBorrowerCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "loans-by-borrower [address]",
		Short: "List the loans an account borrows, with the sealed terms your encryption key file opens (client-side; regulators' view)",
		Long: `List the loans an account borrows: each loan's public terms, then its sealed terms opened on
this machine with --key; terms sealed to other parties are shown as "` + sealcli.NotForYou + `".`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			borrower, err := sdk.AccAddressFromBech32(args[0])
			if err != nil {
				return fmt.Errorf("address %q: %w", args[0], err)
			}
			priv, err := sealcli.ReadKey(cmd)
			if err != nil {
				return err
			}
			q := types.NewQueryClient(clientCtx)
			page := &query.PageRequest{}
			for {
				res, err := q.AccountLoans(cmd.Context(), &types.QueryAccountLoansRequest{Address: args[0], Pagination: page})
				if err != nil {
					return fmt.Errorf("loans of %s: %w", args[0], err)
				}
				for _, l := range res.Loans {
					printLoan(cmd, l, borrower.String(), priv)
				}
				if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
					return nil
				}
				page = &query.PageRequest{Key: res.Pagination.NextKey}
			}
		},
	}
	sealcli.AddKeyFlag(cmd)
	flags.AddQueryFlagsToCmd(cmd)
	return cmd
}

// printLoan prints one loan the account borrows (loans it lends are skipped).
func printLoan(cmd *cobra.Command, l types.Loan, borrower string, priv *ecdh.PrivateKey) {
	if l.Borrower != borrower {
		return
	}
	label := fmt.Sprintf("loan %d (asset %d, lender %s, %s, %s at %d bps for %s)", l.Id, l.AssetId, l.Lender, l.Status, l.Principal, l.InterestRateBps, l.Term)
	if l.Sealed == nil {
		fmt.Fprintf(cmd.OutOrStdout(), "%s: no sealed terms\n", label)
		return
	}
	sealcli.PrintOpened(cmd.OutOrStdout(), label, l.Sealed, priv)
}
