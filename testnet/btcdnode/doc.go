// Package btcdnode runs a real btcd (the Go Bitcoin full node, v0.24.2) on
// 127.0.0.1 for tests and localnet.
//
// btcd's main package does not build inside this module's dependency graph
// (it needs btcec/v2 v2.1.x; the module uses v2.3.6), so Binary installs it
// with `go install github.com/btcsuite/btcd@v0.24.2` from a temporary
// directory, which builds it against btcd's own go.mod through the module
// proxy. The binary is kept in the user cache directory
// (os.UserCacheDir()/vinhub/btcd-v0.24.2/) and reused; set VINHUB_BTCD to
// the path of an existing btcd to skip the install.
//
// Start runs the node with these flags:
//
//	--simnet | --regtest          a private chain; generate works, no DNS seeds
//	--datadir, --logdir           inside Options.Dir (btcd still creates an
//	                              empty ~/.btcd; it writes nothing there)
//	--listen=127.0.0.1:<free>     peer port on loopback only
//	--rpclisten=127.0.0.1:<free>  RPC on loopback only
//	--notls                       plain HTTP RPC; btcd allows it only on
//	                              loopback listeners, which is all we bind
//	--rpcuser, --rpcpass          random unless given
//	--txindex --addrindex         getrawtransaction for any tx and
//	                              searchrawtransactions by address, which the
//	                              Bitcoin adapter uses instead of a wallet
//	--rejectnonstd                mainnet relay policy (simnet relays
//	                              non-standard and non-final transactions
//	                              by default, which would hide mistakes)
//	--nodnsseed                   no peer discovery; no --connect or
//	                              --addpeer, so the node has no peers
//	--miningaddr                  where `generate` pays the coinbase
//
// Segwit activates by BIP-9 signalling: at height 300 on simnet (three
// windows of 100 blocks), 432 on regtest. ActivateSegwit gets there with
// blocks it builds itself, stamped one second apart from an hour ago, so
// the chain's median time past (BIP-113, what time locks are judged by)
// stays behind the wall clock as on a real network; `generate` would stamp
// hundreds of quick blocks minutes into the future. btcd's own miner takes
// a time-locked transaction only once the wall clock, too, is past its
// locktime. Coinbase outputs mature after 100 blocks.
//
// --rejectnonstd keeps non-standard transactions out of the mempool, but
// a miner may mine any valid transaction: MineBlock submits a block
// carrying given transactions as they are, judged by consensus alone.
package btcdnode
