package vehicle

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// AutoCLIOptions describes the generated query and tx commands.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			EnhanceCustomCommand: true,
			Service:              types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the vehicle module parameters"},
				{
					RpcMethod: "History", Use: "history [vin]", Short: "Show a VIN's records in time order (--kind RECORD_KIND_SERVICE to filter)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "vin"}},
				},
				{
					RpcMethod: "Summary", Use: "summary [vin]", Short: "Show a VIN's summary: latest odometer, brands, flags, dealers",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "vin"}},
				},
				{
					RpcMethod: "Record", Use: "record [id]", Short: "Show one record by its hub id",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}},
				},
				{
					RpcMethod: "Dealer", Use: "dealer [dealer-id]", Short: "Show a dealer and its reporters",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "dealer_id"}},
				},
				{RpcMethod: "Dealers", Use: "dealers", Short: "List registered dealers"},
				{
					RpcMethod: "RecordByOrigin", Use: "record-by-origin [chain-id] [dealer-record-id]",
					Short:          "Show the hub record a dealer chain's record became",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "chain_id"}, {ProtoField: "dealer_record_id"}},
				},
				{RpcMethod: "Bindings", Use: "bindings", Short: "List which dealers may send records over which IBC routes (hub)"},
				{RpcMethod: "HubRoute", Use: "hub-route", Short: "Show the IBC route records are sent to the hub on (dealer chain)"},
				{
					RpcMethod: "SyncStatus", Use: "sync-status [record-id]", Short: "Show a local record's delivery state to the hub (dealer chain)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "record_id"}},
				},
				{
					RpcMethod: "VehicleSyncStatus", Use: "vehicle-sync-status [vin]", Short: "Show the delivery state of every local record of a VIN (dealer chain)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "vin"}},
				},
				{RpcMethod: "PendingCount", Use: "pending-count", Short: "Count records not yet settled with the hub (dealer chain)"},
				{
					RpcMethod: "Lien", Use: "lien [id]", Short: "Show a lien, active or released, by id (hub)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}},
				},
				{
					RpcMethod: "LienByVIN", Use: "lien-by-vin [vin]", Short: "Show a VIN's active lien and its lien history (hub)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "vin"}},
				},
				{
					RpcMethod: "LienAuthorizations", Use: "lien-authorizations [vin]", Short: "List the owner's unused consents to dealer liens on a VIN (hub)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "vin"}},
				},
				{
					RpcMethod: "Liens", Use: "liens", Short: "List liens by holder and lender (hub)",
					Long: "Filters combine: --dealer-id acme (over any chain unless --chain-id is given), --chain-id dealer-1, " +
						"--module asset (hub-held liens), --lender <address>, --active-only. Without filters every lien is listed.",
				},
				{
					RpcMethod: "FlaggedRecords", Use: "flagged-records [dealer-id]", Short: "List a dealer's records that carry flags",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "dealer_id"}},
				},
				{
					RpcMethod: "LienRequest", Use: "lien-request [id]", Short: "Show a lien request and the hub's answer (dealer chain)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}},
				},
				{RpcMethod: "LienRequests", Use: "lien-requests", Short: "List this chain's lien requests (dealer chain)"},
				{
					RpcMethod: "Dispute", Use: "dispute [id]", Short: "Show an odometer dispute, open or resolved, with its verdict",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}},
				},
				{RpcMethod: "OpenDisputes", Use: "open-disputes", Short: "List the odometer disputes waiting for an examiner or governance"},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "RecordEvents", Skip: true}, // hand-written: reads a JSON batch file
				{
					RpcMethod: "RegisterDealer", Use: "register-dealer [dealer-id] [name]",
					Short: "Propose registering a dealer (submits a governance proposal)", GovProposal: true,
					Long:           "--account sets the dealer's hub account, against which flagged records count in credit; without it a stored account is kept.",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "dealer_id"}, {ProtoField: "name"}},
				},
				{
					RpcMethod: "RevokeDealer", Use: "revoke-dealer [dealer-id]",
					Short: "Propose revoking a dealer (submits a governance proposal)", GovProposal: true,
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "dealer_id"}},
				},
				{
					RpcMethod: "AdmitReporter", Use: "admit-reporter [dealer-id] [reporter-address]",
					Short: "Propose admitting a reporter for a dealer (submits a governance proposal)", GovProposal: true,
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "dealer_id"}, {ProtoField: "reporter"}},
				},
				{
					RpcMethod: "RevokeReporter", Use: "revoke-reporter [dealer-id] [reporter-address]",
					Short: "Propose revoking a reporter (submits a governance proposal)", GovProposal: true,
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "dealer_id"}, {ProtoField: "reporter"}},
				},
				{RpcMethod: "UpdateParams", Skip: true}, // authority-only; submit through a gov proposal JSON
				{
					RpcMethod: "BindDealer", Use: `bind-dealer [dealer-id] [route-json]`,
					Short:          "Propose letting a dealer's records in over an IBC route (hub; submits a governance proposal)",
					Long:           `route-json is {"client_id":"07-tendermint-0"} for an IBC v2 client or {"channel_id":"channel-0"} for a v1 channel on port vehicle.`,
					GovProposal:    true,
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "dealer_id"}, {ProtoField: "route"}},
				},
				{
					RpcMethod: "UnbindDealer", Use: `unbind-dealer [dealer-id] [route-json]`,
					Short: "Propose removing a dealer's binding to an IBC route (hub; submits a governance proposal)", GovProposal: true,
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "dealer_id"}, {ProtoField: "route"}},
				},
				{
					RpcMethod: "SetHubRoute", Use: `set-hub-route [route-json]`,
					Short:          "Propose the IBC route records are sent to the hub on (dealer chain; submits a governance proposal)",
					Long:           `route-json is {"client_id":"07-tendermint-0"} for an IBC v2 client or {"channel_id":"channel-0"} for a v1 channel on port vehicle.`,
					GovProposal:    true,
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "route"}},
				},
				{RpcMethod: "ResendPending", Use: "resend-pending", Short: "Send the oldest pending records to the hub in one packet (dealer chain)"},
				{
					RpcMethod: "RequestLien", Use: "request-lien [dealer-id] [vin] [lender]",
					Short:          "Ask the hub for a lien on a VIN for a dealer; the answer arrives with the acknowledgement (dealer chain)",
					Long:           "The signer must be a reporter of the dealer. --reference keeps the dealer's own reference (a contract number) with the request. Follow it with query vehicle lien-request <id>.",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "dealer_id"}, {ProtoField: "vin"}, {ProtoField: "lender"}},
				},
				{
					RpcMethod: "ReleaseLien", Use: "release-lien [dealer-id] [request-id]",
					Short:          "Release the hub lien granted to a lien request (dealer chain; --reason is kept on the hub)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "dealer_id"}, {ProtoField: "request_id"}},
				},
				{
					RpcMethod: "ResolveDispute", Use: "resolve-dispute [dispute-id] [wrong-record-id]",
					Short:          "Judge an odometer dispute: name the record that read wrong (examiner; --reason is kept with the verdict)",
					Long:           "The named record's dealer is penalised, its reading stops counting in the VIN's summary and every other open dispute over it closes with the same verdict. Governance resolves through a proposal carrying MsgResolveDispute with the gov module account as resolver.",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "dispute_id"}, {ProtoField: "wrong_record_id"}},
				},
				{
					RpcMethod: "AuthorizeLien", Use: "authorize-lien [vin] [dealer-chain-id] [dealer-id]",
					Short: "Consent, as the owner of the VIN's hub asset, to one lien by a dealer of a dealer chain (hub)",
					Long: "Without it the hub refuses a dealer's lien on a car registered and owned on the hub. The consent is used up by the lien " +
						"it lets in and void once the asset changes hands; --expires-at 2026-12-31T00:00:00Z makes it lapse unused.",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "vin"}, {ProtoField: "chain_id"}, {ProtoField: "dealer_id"}},
				},
				{
					RpcMethod: "RevokeLienAuthorization", Use: "revoke-lien-authorization [vin] [dealer-chain-id] [dealer-id]",
					Short:          "Withdraw an unused consent to a dealer's lien (hub; the owner who gave it or the asset's current owner)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "vin"}, {ProtoField: "chain_id"}, {ProtoField: "dealer_id"}},
				},
				{
					RpcMethod: "ForceReleaseLien", Use: "force-release-lien [lien-id] [reason]",
					Short: "Propose releasing a dealer's lien without its holder (hub; submits a governance proposal)", GovProposal: true,
					Long:           "The remedy for a lien taken in bad faith or held by a dealer chain that halted. The reason stays on the lien. Liens held by hub modules (loans, escrows) are refused.",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "lien_id"}, {ProtoField: "reason"}},
				},
			},
		},
	}
}
