// Package stellarsim is a Horizon-compatible Stellar ledger simulator for
// tests and localnet: an in-memory ledger served over HTTP on loopback,
// closed every CloseInterval, that speaks the subset of Horizon's API that
// go-stellar-sdk's horizonclient and the Stellar swap adapter use.
//
// Real Stellar networks are not reachable from our machines, so the
// adapter's tests run here. What makes the simulator worth testing against
// is that it enforces Stellar's rules the way stellar-core does: envelopes
// are decoded from XDR, signatures are checked over the network-specific
// transaction hash, ed25519, hashX and pre-auth-tx signers count toward
// the source accounts' thresholds (and unused signatures are refused),
// sequence numbers, time bounds, fees, balances and reserves are checked,
// and a transaction applies all or nothing. docs/stellar-simulator.md lists
// exactly what is and is not simulated.
package stellarsim
