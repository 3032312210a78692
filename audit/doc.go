// Package audit proves a VIN's life on the hub from the chain's own
// consensus, through servers it does not trust: every fact it reports is
// read with an ICS-23 proof (the store's IAVL proof chained to the
// multistore root, as ibc-go's 23-commitment verifies it) and checked
// against the app hash of a header the caller verified, or is labelled
// CLAIMED or CONTRADICTED with the reason.
//
// Fetching (Fetch, over any Prover) and verifying (Verify, pure) are
// apart, so a report can be recomputed offline from the evidence and the
// header. The store keys it reads are the documented layouts
// (docs/spec/vehicle-state.md, "What an auditor reads").
package audit
