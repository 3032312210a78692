// Package types holds the anchor module's messages, state types, errors and
// the hash rule of an anchoring.
package types
