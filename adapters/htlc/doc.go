// Package htlc is what every hash-time-locked rail shares besides the hash
// rule (package hashlock): the Rail interface that the hub,
// Stellar and Bitcoin adapters implement, the timelock-safety check that
// refuses swaps in which one side could end up with both legs, and the
// watcher that completes a swap once a secret appears on the other rail.
//
// A swap has two legs. The initiator knows the secret and locks first, with
// the longer expiry; the responder locks the counterpart with a shorter
// expiry under the same hash. The initiator claims the responder's leg,
// which publishes the secret; the responder (or a watching relayer) reads
// it and claims the initiator's leg before that one expires.
package htlc
