// Package keeper implements the asset module: the lifecycle of digital assets
// standing for offline ones (apply, examine, trade, pledge, repay, default,
// redeem), the loans against them, and the invariants that tie assets, loans,
// escrowed coins and the VIN lien registry together (docs/spec/asset.md).
package keeper
