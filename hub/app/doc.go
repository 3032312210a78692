// Package app is the vinhub hub chain: the shared chain wiring plus the
// hub-only modules (x/membership today; asset, credit, htlc and notary later).
package app
