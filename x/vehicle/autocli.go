package vehicle

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// AutoCLIOptions describes the generated query and tx commands.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
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
			},
		},
	}
}
