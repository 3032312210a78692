// Package relayer is the engine of vinrelay: chain clients that query with
// proofs and submit transactions, 07-tendermint light-client creation and
// updates, the IBC v2 and classic IBC v1 link handshakes, event intake with a
// watchdog, and path workers that relay packets, acknowledgements and
// timeouts in batched transactions.
//
// The chains are the only source of truth. The relayer keeps no database: on
// start (and on an interval) it compares packet commitments on each chain
// with receipts and acknowledgements on the other, so a restart after a crash
// resumes without loss, and a packet someone else already delivered is
// dropped before a transaction is built.
package relayer
