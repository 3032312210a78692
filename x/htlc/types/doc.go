// Package types holds the htlc module's messages, state types, errors and
// the pure rules the keeper applies: the id rule, the hash rule (from
// hashlock) and the lock-duration bounds.
package types
