// Package asset is the hub's asset module: digital assets standing for
// offline ones (vehicles bound to a VIN, warehouse receipts, receivables),
// examined and valued by examiners, traded for bank coins, pledged to lenders
// under the hub-wide VIN lien registry, repaid, defaulted and redeemed.
// Credit scores (x/credit) gate who may apply, pledge and buy on credit.
package asset
