// Package keeper keeps each VIN's history, its running summary and the dealer
// registry, and serves the vehicle module's Msg and Query services.
package keeper
