// Package types holds the vehicle module's messages, state types, VIN rules,
// parameters, errors and store keys. Everything here is pure and stateless:
// the keeper applies these rules to state.
package types
