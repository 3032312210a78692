// Package credit is the credit module: a dynamic credit score (0-1000) per
// account, moved by on-chain behaviour that other modules report through
// keeper hooks (repayments, defaults, trades, dealer fraud flags) and by
// tenure, with old events decaying by a half-life. Scores use integer and
// fixed-point arithmetic only, every score has a breakdown that sums to it,
// and CheckScore gates who may apply for, pledge and buy assets on credit.
// The formula is specified in docs/spec/credit.md.
package credit
