// Package prefetch reads, while record transactions wait in a node's
// mempool, the parts of the application's tree their blocks will write, so
// that block execution (which CometBFT runs one call at a time beside
// CheckTx) finds them in memory. It sits beside the app, not in consensus:
// it reads (the mempool's view of state to name the keys, then the last
// committed tree) and changes nothing.
package prefetch
