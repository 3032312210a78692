package credit

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/vinhub/vinhub/x/credit/types"
)

// AutoCLIOptions describes the generated query and tx commands.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the credit module parameters (gate minimums, decay half-life)"},
				{
					RpcMethod: "Score", Use: "score [address]", Short: "Show an account's credit score (0-1000) with its breakdown",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "address"}},
				},
				{
					RpcMethod: "Profile", Use: "profile [address]", Short: "Show an account's stored credit profile (event counts, first seen)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "address"}},
				},
				{RpcMethod: "Profiles", Use: "profiles", Short: "List every account's credit profile (for regulators)"},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: types.Msg_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "UpdateParams", Use: "update-params [params-json]", GovProposal: true,
					Short: "Propose new credit parameters (submits a governance proposal)",
					Long: `params-json holds every parameter, e.g. {"min_score_apply":300,"min_score_pledge":400,` +
						`"min_score_buy_on_credit":450,"decay_half_life":"15552000s"}`,
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "params"}},
				},
			},
		},
	}
}
