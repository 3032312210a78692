// Package cli is vinaudit's command tree (cmd/vinaudit is a thin main over
// it): init writes the auditor's config from a running network's genesis,
// vin audits one VIN. See docs/auditor-guide.md.
package cli
