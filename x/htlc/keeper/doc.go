// Package keeper implements the htlc module: escrow of bank coins or an
// x/asset title under a SHA-256 hash lock until an expiry, claim with the
// secret, refund after the expiry (explicit, and automatic at block end),
// secrets published from other rails by notary attestations, and the
// indexes behind the queries (docs/spec/htlc.md).
package keeper
