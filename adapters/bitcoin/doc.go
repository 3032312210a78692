// Package bitcoin is the Bitcoin swap rail: a BIP-199 hash-time-locked
// contract in a P2WSH output, locked, claimed, refunded and watched through
// a btcd node's RPC, signed with one party's key. Rail implements
// htlc.Rail under the name "bitcoin".
//
// # Script
//
//	OP_IF
//	    OP_SIZE 32 OP_EQUALVERIFY OP_SHA256 <hash> OP_EQUALVERIFY <recipient>
//	OP_ELSE
//	    <locktime> OP_CHECKLOCKTIMEVERIFY OP_DROP <refunder>
//	OP_ENDIF
//	OP_CHECKSIG
//
// The claim witness is [signature, secret, 0x01, script]; the refund
// witness is [signature, <empty>, script] in a transaction whose nLockTime
// is the locktime and whose input sequence is not final. OP_SIZE 32 makes
// the chain itself refuse a preimage that is not 32 bytes, the hash rule
// every rail of a swap shares. ParseScript accepts only these exact bytes,
// so a counterparty cannot slip in a script that merely looks alike.
//
// # Terms on this rail
//
//   - Sender: the party's own compressed public key in hex (Rail.Account);
//     Lock refuses any other. Refunds pay to its P2WPKH address.
//   - Recipient: a compressed public key in hex; the claim pays to its
//     P2WPKH address.
//   - Amount: satoshis as a decimal integer ("150000"). The claim's fee
//     comes out of it, so it must cover that fee at Config.FeeRate plus
//     the 294-satoshi dust limit.
//   - Expiry: the CLTV locktime in unix seconds (at least 500000000, the
//     least value Bitcoin reads as a time rather than a block height).
//
// Contract.Ref is the funding outpoint "txid:0"; Data["script"] is the
// witness script in hex and Data["address"] the P2WSH address. Status
// rebuilds the script from the terms when Data has none.
//
// # Time
//
// A refund is valid once the chain's median time past (BIP-113: the median
// of the last eleven block times, typically an hour behind the clock on
// mainnet) is after the locktime; Refund refuses before that with both
// times in the error. The script would still take a claim after the
// expiry, until a refund is mined, but the swap's timelock check assumes
// no claim after the expiry, so Claim refuses once the later of the wall
// clock and the median time past reaches it.
//
// # Node
//
// No wallet is needed: the rail finds its coins and contracts through the
// node's indexes. The btcd node must run with
//
//	--txindex     getrawtransaction for any confirmed transaction
//	--addrindex   searchrawtransactions: the party's P2WPKH outputs (coins
//	              to lock, mature coinbases included) and the transaction
//	              spending a contract, mempool included
//
// and, for plain HTTP, --notls with the RPC bound to loopback (else give
// Config.RPCCert, btcd's rpc.cert). The party's coins must sit at its
// P2WPKH address (Rail.Address), e.g. mined there with --miningaddr.
// testnet/btcdnode runs such a node.
package bitcoin
