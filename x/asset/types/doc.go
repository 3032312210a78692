// Package types holds the asset module's messages, state types, errors and
// the pure rules (validation, interest) the keeper applies.
package types
