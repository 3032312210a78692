// Package vehicle is the vehicle module: one tamper-evident history per VIN,
// written by reporters of governance-registered dealers. Suspicious records
// (odometer rollback, a non-mandatory check digit that does not match) are
// kept and flagged, never dropped; title brands stay on the VIN for good.
package vehicle
