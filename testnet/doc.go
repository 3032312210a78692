// Package testnet builds the chain binaries and runs real CometBFT nodes on
// loopback for localnet, end-to-end tests and benchmarks. Every step goes
// through the binaries' own CLI, as an operator would.
package testnet
