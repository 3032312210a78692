// Package notary is the off-chain half of x/notary: a notary watches the
// platforms it is configured for, turns each event that reached that
// platform's finality into the canonical observation (x/notary/types),
// signs its digest with the notary's BIP-340 key and posts it to the hub
// with MsgAttest. The hub is the bulletin board; notaries never talk to
// each other. A notary signs only what it observed itself, and after a
// restart learns from the hub what it already signed.
//
// Sources: a dealer's ledger in PostgreSQL (LedgerSource), a Stellar
// account through Horizon (StellarSource) and a Bitcoin network through a
// btcd node (BitcoinSource).
package notary
