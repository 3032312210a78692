package notary

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/vinhub/vinhub/x/internal/modulecli"
	"github.com/vinhub/vinhub/x/notary/types"
)

// AutoCLIOptions describes the generated query and tx commands. Attesting
// is done by `vinrelay notary start`; the governance messages are
// submitted in proposals.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "CurrentSet", Use: "current-set", Short: "Show the current notary set (members, BIP-340 keys, threshold)"},
				{RpcMethod: "Set", Use: "set [version]", Short: "Show one notary set version", PositionalArgs: modulecli.Args("version")},
				{RpcMethod: "Attestation", Use: "attestation [id]", Short: "Show an attestation with its observation, signatures, status and result", PositionalArgs: modulecli.Args("id")},
				{RpcMethod: "AttestationsBySource", Use: "by-source [platform] [network-id] [tx-ref] [index]", Short: "List the attestations of one source event (platform: PLATFORM_STELLAR, PLATFORM_BITCOIN, PLATFORM_LEDGER)", PositionalArgs: modulecli.Args("platform", "network_id", "tx_ref", "index")},
				{RpcMethod: "Attestations", Use: "attestations", Short: "List attestations (--status ATTESTATION_STATUS_PENDING|DELAYED|HELD|EXECUTED|FAILED|REJECTED)"},
				{RpcMethod: "Sources", Use: "sources", Short: "List the accepted sources, their governor limits and what the window used"},
				{RpcMethod: "LedgerBindings", Use: "ledgers", Short: "List which dealer each non-IBC ledger speaks for"},
				{RpcMethod: "Params", Use: "params", Short: "Show the notary module parameters"},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: types.Msg_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Attest", Skip: true}, // signed by `vinrelay notary start`
				{RpcMethod: "UpdateNotarySet", Skip: true},
				{RpcMethod: "SetSource", Skip: true},
				{RpcMethod: "RemoveSource", Skip: true},
				{RpcMethod: "BindLedger", Skip: true},
				{RpcMethod: "UnbindLedger", Skip: true},
				{RpcMethod: "ReleaseDelayed", Skip: true},
				{RpcMethod: "ResolveEquivocation", Skip: true},
				{RpcMethod: "UpdateParams", Skip: true}, // governance messages: submit in a gov proposal JSON
			},
		},
	}
}
