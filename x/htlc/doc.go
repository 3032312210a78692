// Package htlc is the hub's hash-time-locked escrow: bank coins or an
// x/asset title locked for a recipient under the SHA-256 of a 32-byte
// secret until an expiry, claimed with the secret (which the claim makes
// public for the other leg of a swap) or refunded to the sender after the
// expiry, explicitly or at block end. It is the hub's leg of flow 5 (Swap);
// a secret revealed on another rail is published on it by x/notary (flow 6).
package htlc
