package htlc

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/vinhub/vinhub/x/htlc/types"
	"github.com/vinhub/vinhub/x/internal/modulecli"
)

// AutoCLIOptions describes the generated query and tx commands.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "HTLC", Use: "htlc [id]", Short: "Show an HTLC (state, terms, secret once claimed or published from another rail)", PositionalArgs: modulecli.Args("id")},
				{RpcMethod: "HTLCsByHash", Use: "htlcs-by-hash [hash-lock]", Short: "List every HTLC locked under a hash (one per sender; match the terms you expect)", PositionalArgs: modulecli.Args("hash_lock")},
				{RpcMethod: "HTLCByHashAndSender", Use: "htlc-by-hash [hash-lock] [sender]", Short: "Show the one HTLC a sender locked under a hash", PositionalArgs: modulecli.Args("hash_lock", "sender")},
				{RpcMethod: "HTLCsByParticipant", Use: "htlcs [address]", Short: "List the HTLCs an address sends or receives (--state locked|claimed|refunded)", PositionalArgs: modulecli.Args("address")},
				{RpcMethod: "PublishedSecret", Use: "published-secret [hash-lock]", Short: "Show the secret of a hash lock published from another rail by a notary attestation", PositionalArgs: modulecli.Args("hash_lock")},
				{RpcMethod: "Params", Use: "params", Short: "Show the htlc module parameters"},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: types.Msg_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "Lock", Use: "lock [recipient] [hash-lock] [expiry]",
					Short:          "Escrow coins (--amount 100stake) or a title (--asset-id 7) for a recipient under a hex SHA-256 hash lock until an RFC3339 expiry",
					PositionalArgs: modulecli.Args("recipient", "hash_lock", "expiry"),
				},
				{RpcMethod: "Claim", Use: "claim [id] [secret]", Short: "Pay an HTLC to its recipient with the hex 32-byte secret, before the expiry", PositionalArgs: modulecli.Args("id", "secret")},
				{RpcMethod: "Refund", Use: "refund [id]", Short: "Return an expired HTLC to its sender", PositionalArgs: modulecli.Args("id")},
				{RpcMethod: "UpdateParams", Skip: true}, // authority-only; submit through a gov proposal JSON
			},
		},
	}
}
