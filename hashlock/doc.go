// Package hashlock is the one hash rule every swap leg shares, on the hub
// (x/htlc) and on every foreign rail (adapters/): a secret is exactly 32
// bytes and its lock is its SHA-256. Bitcoin scripts check the length with
// OP_SIZE, so a secret of another length that hashes right on one rail could
// be unclaimable on another; keeping the rule in this leaf package lets
// consensus code and off-chain code import it without importing each other.
package hashlock
