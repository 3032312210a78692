// Package types holds the credit module's state types, the score formula and
// its fixed-point decay, parameters, messages, errors and store keys. The
// formula is pure: ComputeScore and Decay read no state and use integer
// arithmetic only, so every node computes the same score.
package types
