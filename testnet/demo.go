package testnet

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// Demo names: the genesis dealer, the dealer admitted by governance, and the car.
const (
	DemoVIN             = "1HGCM82633A004352"
	DemoGenesisDealer   = "acme"
	DemoGenesisReporter = "acme-reporter"
	DemoGovDealer       = "bayside"
	DemoGovReporter     = "bayside-reporter"
	demoRollbackReading = "31000"
	demoHighestReading  = 58000
)

// DemoChainSpec is the single hub node the vehicle demo runs on.
func DemoChainSpec(binary, home string) ChainSpec {
	return ChainSpec{
		Binary: binary, ChainID: "vinhub-local", Home: home,
		AdmitValidator: true,
		Keys:           []string{DemoGovReporter},
		Dealers:        []DealerSpec{{ID: DemoGenesisDealer, Name: "Acme Motors", ReporterKeys: []string{DemoGenesisReporter}}},
	}
}

// Summary is the part of a VIN summary the demo reads back.
type Summary struct {
	Vin              string   `json:"vin"`
	RecordCount      string   `json:"record_count"`
	LatestOdometerKm string   `json:"latest_odometer_km"`
	MaxOdometerKm    string   `json:"max_odometer_km"`
	Brands           []string `json:"brands"`
	Flags            []string `json:"flags"`
	Dealers          []string `json:"dealers"`
}

// RunVehicleDemo walks the vehicle module through what a user does: a dealer
// admitted by governance, a service history recorded by two dealers, an
// odometer rollback that is kept and flagged, and a sticky flood brand.
func RunVehicleDemo(ctx context.Context, n *Node, out io.Writer) (Summary, error) {
	say := func(format string, args ...any) { fmt.Fprintf(out, "==> "+format+"\n", args...) }

	say("governance registers dealer %q and admits its reporter", DemoGovDealer)
	if _, err := n.PassProposal(ctx, "register bayside", "vehicle", "register-dealer", DemoGovDealer, "Bayside Cars"); err != nil {
		return Summary{}, err
	}
	govReporter, err := n.KeyAddress(ctx, DemoGovReporter)
	if err != nil {
		return Summary{}, err
	}
	if _, err := n.PassProposal(ctx, "admit bayside reporter", "vehicle", "admit-reporter", DemoGovDealer, govReporter); err != nil {
		return Summary{}, err
	}

	say("%s records a service and an inspection of %s (one batch from a JSON file)", DemoGenesisDealer, DemoVIN)
	batch := []map[string]string{
		{"vin": DemoVIN, "kind": "RECORD_KIND_SERVICE", "odometer_km": "42000", "occurred_at": "2025-01-10T09:00:00Z",
			"location": "Acme Motors, Springfield", "description": "oil and filter change, brake pads replaced (worn to 2mm)"},
		{"vin": DemoVIN, "kind": "RECORD_KIND_INSPECTION", "odometer_km": fmt.Sprint(demoHighestReading), "occurred_at": "2025-09-01T14:30:00Z",
			"location": "Acme Motors, Springfield", "description": "pre-sale inspection passed"},
	}
	batchFile := filepath.Join(n.Home, "demo-batch.json")
	bz, _ := json.Marshal(batch)
	if err := os.WriteFile(batchFile, bz, 0o600); err != nil {
		return Summary{}, err
	}
	if err := n.mustTx(ctx, DemoGenesisReporter, "vehicle", "record-events", DemoGenesisDealer, batchFile); err != nil {
		return Summary{}, err
	}

	say("%s reports %s km for the same car: lower than %d km, so it is kept and flagged", DemoGovDealer, demoRollbackReading, demoHighestReading)
	if err := n.mustTx(ctx, DemoGovReporter, "vehicle", "record", DemoGovDealer, DemoVIN, "mileage", demoRollbackReading,
		"--at", "2026-02-01T10:00:00Z", "--location", "Bayside Cars, Shelbyville", "--description", "trade-in appraisal"); err != nil {
		return Summary{}, err
	}
	say("%s brands the title: flood", DemoGovDealer)
	if err := n.mustTx(ctx, DemoGovReporter, "vehicle", "record", DemoGovDealer, DemoVIN, "title_brand", "0",
		"--brand", "flood", "--at", "2026-02-02T10:00:00Z", "--description", "water line found under carpets"); err != nil {
		return Summary{}, err
	}

	var resp struct {
		Summary Summary `json:"summary"`
	}
	if err := n.Query(ctx, &resp, "vehicle", "summary", DemoVIN); err != nil {
		return Summary{}, err
	}
	s := resp.Summary
	say("summary of %s: %s records, latest odometer %s km (highest %s), brands %v, flags %v, dealers %v",
		s.Vin, s.RecordCount, s.LatestOdometerKm, s.MaxOdometerKm, s.Brands, s.Flags, s.Dealers)
	if !slices.Contains(s.Flags, "FLAG_CODE_ODOMETER_ROLLBACK") || !slices.Contains(s.Brands, "TITLE_BRAND_FLOOD") {
		return s, fmt.Errorf("demo: expected a rollback flag and a flood brand, got %+v", s)
	}
	return s, nil
}

func (n *Node) mustTx(ctx context.Context, from string, args ...string) error {
	res, err := n.Tx(ctx, from, args...)
	if err != nil {
		return err
	}
	if res.Code != 0 {
		return fmt.Errorf("tx %v failed: code %d: %s", args, res.Code, res.RawLog)
	}
	return nil
}
