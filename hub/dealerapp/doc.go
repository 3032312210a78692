// Package dealerapp is the reference dealer side chain: the shared chain
// wiring with x/vehicle keeping the dealer's own copy of its records.
// Validators are not gated: a dealer group runs its own chain.
package dealerapp
