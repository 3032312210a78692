package asset

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/vinhub/vinhub/x/asset/types"
	"github.com/vinhub/vinhub/x/internal/modulecli"
)

// AutoCLIOptions describes the generated query and tx commands.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Query_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the asset module parameters"},
				{RpcMethod: "Asset", Use: "asset [id]", Short: "Show an asset with its valuation history", PositionalArgs: modulecli.Args("id")},
				{RpcMethod: "Assets", Use: "assets", Short: "List assets (--owner, --status pending|active|pledged|... to filter)"},
				{RpcMethod: "FrozenAssets", Use: "frozen-assets", Short: "List frozen assets (regulator view)"},
				{RpcMethod: "Loan", Use: "loan [id]", Short: "Show a loan and what repaying it costs now", PositionalArgs: modulecli.Args("id")},
				{RpcMethod: "Loans", Use: "loans [status]", Short: "List loans in a status (offered, active, repaid, defaulted, cancelled)", PositionalArgs: modulecli.Args("status")},
				{RpcMethod: "OpenLoans", Use: "open-loans", Short: "List active loans (regulator view)"},
				{RpcMethod: "Defaults", Use: "defaults", Short: "List defaulted loans (regulator view)"},
				{RpcMethod: "AccountLoans", Use: "account-loans [address]", Short: "List the loans an account lends or borrows", PositionalArgs: modulecli.Args("address")},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Apply", Skip: true}, // hand-written (client/cli): seals --sealed fields
				{RpcMethod: "Approve", Use: "approve [asset-id] [valuation] [evidence-hash]", Short: "Approve and value a pending asset (examiner)", PositionalArgs: modulecli.Args("asset_id", "valuation", "evidence_hash")},
				{RpcMethod: "Reject", Use: "reject [asset-id] [reason]", Short: "Reject a pending asset (examiner)", PositionalArgs: modulecli.Args("asset_id", "reason")},
				{RpcMethod: "Revalue", Use: "revalue [asset-id] [valuation] [evidence-hash]", Short: "Record a new valuation (examiner)", PositionalArgs: modulecli.Args("asset_id", "valuation", "evidence_hash")},
				{RpcMethod: "Freeze", Use: "freeze [asset-id] [reason]", Short: "Freeze an asset (examiner or regulator)", PositionalArgs: modulecli.Args("asset_id", "reason")},
				{RpcMethod: "Unfreeze", Use: "unfreeze [asset-id] [reason]", Short: "Lift a freeze (examiner or regulator)", PositionalArgs: modulecli.Args("asset_id", "reason")},
				{RpcMethod: "List", Use: "list [asset-id] [price]", Short: "List an asset for sale", PositionalArgs: modulecli.Args("asset_id", "price")},
				{RpcMethod: "Unlist", Use: "unlist [asset-id]", Short: "Withdraw a listing", PositionalArgs: modulecli.Args("asset_id")},
				{RpcMethod: "Buy", Use: "buy [asset-id] [price]", Short: "Buy a listed asset at its price (--loan-id to buy on credit)", PositionalArgs: modulecli.Args("asset_id", "price")},
				{RpcMethod: "Transfer", Use: "transfer [asset-id] [recipient]", Short: "Give an asset's title to another account", PositionalArgs: modulecli.Args("asset_id", "recipient")},
				{RpcMethod: "OfferLoan", Skip: true}, // hand-written (client/cli): seals --sealed terms
				{RpcMethod: "CancelOffer", Use: "cancel-offer [loan-id]", Short: "Withdraw a loan offer nobody took", PositionalArgs: modulecli.Args("loan_id")},
				{RpcMethod: "Pledge", Use: "pledge [loan-id]", Short: "Take a loan offer: pledge the asset, receive the principal", PositionalArgs: modulecli.Args("loan_id")},
				{RpcMethod: "Repay", Use: "repay [loan-id]", Short: "Repay a loan (principal + interest to now) to its lender", PositionalArgs: modulecli.Args("loan_id")},
				{RpcMethod: "DeclareDefault", Use: "declare-default [loan-id]", Short: "Take the title of an unpaid loan after maturity (lender)", PositionalArgs: modulecli.Args("loan_id")},
				{RpcMethod: "Redeem", Use: "redeem [asset-id]", Short: "Retire an asset and release the offline asset, for the redemption fee", PositionalArgs: modulecli.Args("asset_id")},
				{RpcMethod: "UpdateParams", Skip: true}, // authority-only; submit through a gov proposal JSON
			},
		},
	}
}
