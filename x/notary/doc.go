// Package notary is the hub's bridge to platforms that do not speak IBC
// (flow 6, "Attest"): a governed committee of notaries observes events on
// Stellar, Bitcoin-style chains and dealers' non-IBC ledgers and posts
// BIP-340 signatures of canonical observations to the hub, which executes
// an observation once a threshold of one valid set agrees — appending a
// ledger's vehicle record to its VIN history, repaying a hub loan paid on
// another rail, or publishing an HTLC secret revealed on another rail. All
// signatures are kept, so auditors re-verify every attestation offline
// against the notary set proven from hub state (docs/spec/notary.md).
package notary
