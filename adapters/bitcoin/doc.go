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
// The rail writes the branch selectors relay policy asks for (MINIMALIF:
// 0x01 or empty), but for segwit v0 that rule is not consensus: a miner
// may mine a claim with any true selector (0x02, 0xff, ...) or a refund
// with any false one (0x00, 0x80). Status, WatchSecret and
// SecretFromWitness read a spend the way consensus runs the script, so
// such a claim still yields its secret and such a refund still counts.
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
// rebuilds the script from the terms when Data has none. Lock returns the
// whole contract with its error whenever the funding transaction may have
// reached the node (a lost reply, a wait for confirmations cut short): it
// is how those funds are watched and refunded. An empty contract means
// nothing was broadcast.
//
// # Time
//
// A refund is valid once the chain's median time past (BIP-113: the median
// of the last eleven block times, typically an hour behind the clock on
// mainnet) is after the locktime; Refund refuses before that with both
// times in the error. Claim refuses once the later of the wall clock and
// the median time past reaches the expiry, since the swap's timelock check
// counts on no claim by this rail after it.
//
// The script itself, though, takes a claim until a refund is mined, and
// no refund can be mined before the median time past passes the
// locktime. So a counterparty's claim of a Bitcoin leg stays possible
// after its expiry for as long as the sender takes to react (the relayer
// delay), plus how far the median time past trails the clock
// (Config.MedianTimeLag: by default 2 hours on mainnet and testnet3, a
// minute on simnet and regtest), plus the refund's confirmations
// (Finality). Rail.LateClaim returns that sum, and the swap adds it to
// the timelock margin when the responder's leg is on Bitcoin: the
// initiator may claim that leg so late, and the responder must still have
// time to claim the initiator's leg with the secret the claim reveals.
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
//
// btcd's rpcclient takes no context and retries a refused connection for
// about 20 seconds, so every call is awaited only until ctx ends. Waits
// (Lock's and a spend's confirmations, WatchSecret) ride out node errors,
// as while the node restarts, and end early only on a final answer: wrong
// terms, a funding transaction without that output, a node refusing the
// transaction. A funding transaction the node does not know is not final
// (it may not have arrived yet); a transaction of the rail's own that the
// node forgot (btcd keeps no mempool across restarts) is sent again.
package bitcoin
