// Package app is the vinhub hub chain: the shared chain wiring plus the
// hub-only modules: x/membership, x/credit, x/asset, x/htlc and x/notary.
package app
