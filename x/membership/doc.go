// Package membership makes the hub an alliance chain: only operators admitted
// in genesis or by governance may create a validator. The check sits in a
// staking hook, so every path that creates a validator (a tx, a gentx, a
// message executed by a proposal) meets it.
package membership
