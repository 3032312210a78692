// Package keeper stores each account's credit profile, updates it from the
// hooks other modules call (repayments, defaults, trades, dealer fraud
// flags), computes scores on read, and serves the credit Msg and Query
// services.
package keeper
