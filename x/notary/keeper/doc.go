// Package keeper implements the notary module: versioned notary sets with
// a grace window on rotation, attestations collected signature by
// signature until a threshold, replay and equivocation handling, the
// payment governor and the execution of final attestations
// (docs/spec/notary.md).
package keeper
