// Package keeper keeps the first anchoring of every evidence hash.
package keeper
