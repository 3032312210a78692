// Package swap is a two-party atomic swap as a document both parties pass
// back and forth, and the steps each of them runs on it: plan (agree on
// both legs' terms and safe expiries), initiate (the initiator draws the
// secret and locks the first leg), participate (the responder verifies the
// first leg on its rail and locks the second under the same hash), claim,
// refund and watch (complete one leg as soon as the secret shows up on the
// other). The document never holds the secret; the initiator keeps it apart.
//
// Every step re-reads the counterparty's leg from its rail and matches it
// against the agreed terms before acting, and re-checks the timelock order,
// so neither party can end up with both legs or lose both by following it.
package swap
