// Package hub is the vinhub hub as a swap rail: an htlc.Rail over the hub's
// x/htlc module, signing with a vinrelay key. Terms on this rail use bech32
// addresses and either coins ("100stake") or an x/asset title ("asset:7");
// expiries are block times, and the module refunds expired locks itself at
// the end of the block, so a refund here may find the work already done.
package hub
