// Package keeper stores admitted validator operators and refuses, through a
// staking hook, any validator whose operator is not admitted.
package keeper
