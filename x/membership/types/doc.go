// Package types holds the membership module's messages, errors, keys and genesis.
package types
