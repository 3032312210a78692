// Package sealed is the semi-open level of the hub (flow 8, "Seal"): a set
// of named fields encrypted once for every recipient with HPKE (RFC 9180:
// X25519, HKDF-SHA256, ChaCha20-Poly1305) around one content key, each
// field also bound by a salted SHA-256 commitment so that one field can
// later be disclosed to one person and checked against the chain without
// revealing the others. It is a leaf, like hashlock/: consensus code (x/)
// checks envelopes' structure and commitments with it, and clients seal,
// open and disclose with it, without either importing the other
// (docs/spec/openness.md).
package sealed
