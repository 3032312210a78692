// Package stellar is the Stellar rail of a swap (adapters/htlc.Rail, name
// "stellar"), speaking Horizon's HTTP API through go-stellar-sdk.
//
// Stellar has no script, so the hash-time lock is built from an account's
// signers. Lock creates a fresh escrow account per swap, funded by the
// sender with the amount plus EscrowOverhead, and in a second transaction
// (paid by the sender, operations on the escrow, signed by both) gives it
// three signers and removes its master key:
//
//   - the recipient's key, weight 1;
//   - a sha256_hash (hashX) signer for the swap's hash, weight 1: a
//     "signature" that is a preimage of the hash;
//   - a pre-auth-tx signer, weight 2, for the refund transaction;
//
// with master weight 0 and low = medium = high = 2. The escrow's secret key
// is thrown away, so only two signings can ever move the escrow:
//
//   - the claim: an account merge to the recipient signed by the recipient
//     and by the preimage (weights 1 + 1), valid until Expiry-1s (maxTime);
//     its hashX signature publishes the secret;
//   - the refund: an account merge to the sender, pre-signed by being
//     pre-authorized (weight 2), valid from Expiry on (minTime).
//
// Both use the same sequence number (the escrow's next), so once one has
// applied the other is a tx_bad_seq, and their time bounds do not overlap.
// The refund transaction travels in Contract.Data["refund_tx"]; Status
// checks that the escrow's pre-auth signer is its hash.
//
// Status and WatchSecret read the escrow's history the same way. The
// recipient's key and the preimage can sign any transaction on the
// escrow, not only this adapter's merge: any applied one carrying the
// preimage is the claim, since it published the secret. The refund is
// known by its own hash, also when someone wrapped it in a fee bump and
// Horizon lists it under the outer one. Anyone can pay into an escrow, so
// the amount in its terms is what the sender's create_account funded it
// with (less EscrowOverhead), not its balance; its first transaction must
// be that create_account. Horizon errors that are no definite answer
// (timeouts, dropped connections, 5xx, 429) are asked again until the
// context ends.
//
// Terms on this rail: Sender is this rail's own G... account, Recipient a
// G... account, Amount lumens written as go-stellar-sdk's amount package
// writes them ("25.0000000"), Expiry the first second the refund is valid.
// Times are judged by the ledgers' close times, read from Horizon.
//
// Real Stellar networks are not reachable from our machines: the tests run
// against testnet/stellarsim, a Horizon-compatible simulator that enforces
// the rules this design relies on (docs/stellar-simulator.md).
package stellar
