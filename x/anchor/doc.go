// Package anchor notarizes electronic evidence by hash (flow 8, "Seal"):
// the hub keeps, for each SHA-256 ever anchored, its first anchoring — the
// block, time and submitter — so anyone holding a document can prove it
// existed at that time without the document ever being uploaded. Hashes
// arrive in MsgAnchorEvidence or are anchored by the hub itself when it
// accepts a vehicle record, an asset application or a valuation carrying
// an evidence hash. The module is named anchor, not evidence, so it is not
// mistaken for the SDK's x/evidence (double-sign evidence) or CometBFT
// evidence; its CLI group still reads `evidence` (docs/spec/anchor.md).
package anchor
