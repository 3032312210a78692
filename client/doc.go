// Package client is vinhub's chain client: queries over a node's CometBFT
// RPC (gRPC services over abci_query, IBC store reads with Merkle proofs),
// and transactions simulated, signed with a key from an SDK keyring,
// broadcast and waited for. It sits above x/ (whose message types it
// encodes) and below every off-chain process: the IBC relayer (relayer/),
// the swap rails (adapters/) and the test harness all talk to chains
// through it.
//
// Refusals keep the codespace and code the chain registered, so callers
// branch with errors.Is on the module's own errors (e.g.
// errors.Is(err, htlctypes.ErrExpired)) instead of matching log text.
package client
