package anchor

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/vinhub/vinhub/x/anchor/types"
	"github.com/vinhub/vinhub/x/internal/modulecli"
)

// AutoCLIOptions adds the generated commands to the hand-written `evidence`
// groups: anchoring by a file goes through `tx evidence anchor`, which hashes
// the file locally.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Query_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Anchoring", Use: "anchoring [sha256-hex]", Short: "Show the first anchoring of a hash", PositionalArgs: modulecli.Args("sha256")},
				{RpcMethod: "AnchoringsByVIN", Use: "by-vin [vin]", Short: "List the anchorings about a VIN", PositionalArgs: modulecli.Args("vin")},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "AnchorEvidence", Skip: true}, // `tx evidence anchor <file>`
			},
		},
	}
}
