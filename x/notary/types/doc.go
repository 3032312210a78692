// Package types holds the notary module's messages, state types, errors
// and the pure rules: the canonical observation and its validation, the
// BIP-340 tagged digest and signature check, notary set and source rules.
package types
