package cli

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"

	"github.com/vinhub/vinhub/sealed/sealcli"
	"github.com/vinhub/vinhub/x/internal/modulecli"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// Flags of the record command.
const (
	FlagAt          = "at"
	FlagLocation    = "location"
	FlagDescription = "description"
	FlagEvidence    = "evidence"
	FlagBrand       = "brand"
)

// TxCmd returns the vehicle tx command group.
func TxCmd() *cobra.Command {
	return modulecli.Group(types.ModuleName, "Vehicle history transactions", RecordEventsCmd(), RecordCmd())
}

// RecordEventsCmd submits a batch of records from a JSON file (or - for stdin).
func RecordEventsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "record-events [dealer-id] [records.json|-]",
		Short: "Record a batch of vehicle events for a dealer, from a JSON array of records",
		Long: `Record a batch of vehicle events. The file holds a JSON array of records, e.g.
[{"vin":"1HGCM82633A004352","kind":"RECORD_KIND_SERVICE","odometer_km":"42000",
  "occurred_at":"2026-03-01T10:00:00Z","location":"Main St Garage, Springfield",
  "description":"oil change","evidence_hash":"<base64 of 32 bytes>"}]
Kinds: RECORD_KIND_MILEAGE, _SERVICE, _REPAIR, _DAMAGE, _INSPECTION, _OWNERSHIP_TRANSFER, _TITLE_BRAND
(title_brand: TITLE_BRAND_SALVAGE, _FLOOD, _REBUILT, _JUNK, _LEMON, _FIRE).`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			records, err := readRecords(clientCtx, cmd.InOrStdin(), args[1])
			if err != nil {
				return err
			}
			return broadcastRecords(cmd, clientCtx, args[0], records)
		},
	}
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// RecordCmd submits a single record given on the command line.
func RecordCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "record [dealer-id] [vin] [kind] [odometer-km]",
		Short: "Record one vehicle event (kind: mileage, service, repair, damage, inspection, ownership_transfer, title_brand)",
		Args:  cobra.ExactArgs(4),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			rec, err := recordFromFlags(cmd, args[1], args[2], args[3])
			if err != nil {
				return err
			}
			if rec.Sealed, err = sealFromFlags(cmd, clientCtx, args[0], rec.Vin); err != nil {
				return err
			}
			return broadcastRecords(cmd, clientCtx, args[0], []types.RecordInput{rec})
		},
	}
	cmd.Flags().String(FlagAt, "", "when it happened, RFC 3339 (default: now)")
	cmd.Flags().String(FlagLocation, "", "where it happened")
	cmd.Flags().String(FlagDescription, "", "what was done and why")
	cmd.Flags().String(FlagEvidence, "", "hex SHA-256 of an off-chain document")
	cmd.Flags().String(FlagBrand, "", "title brand for kind title_brand: salvage, flood, rebuilt, junk, lemon, fire")
	sealcli.AddFlags(cmd)
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// broadcastRecords checks the batch locally, so a bad record is reported
// before anything is signed, then signs and broadcasts it.
func broadcastRecords(cmd *cobra.Command, clientCtx client.Context, dealerID string, records []types.RecordInput) error {
	msg := &types.MsgRecordEvents{Reporter: clientCtx.GetFromAddress().String(), DealerId: dealerID, Records: records}
	if err := msg.ValidateBasic(); err != nil {
		return err
	}
	return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
}

func readRecords(clientCtx client.Context, stdin io.Reader, path string) ([]types.RecordInput, error) {
	var (
		bz  []byte
		err error
	)
	if path == "-" {
		bz, err = io.ReadAll(stdin)
	} else {
		bz, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("read records: %w", err)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(bz, &raw); err != nil {
		return nil, fmt.Errorf("records file must hold a JSON array of records: %w", err)
	}
	records := make([]types.RecordInput, len(raw))
	for i, r := range raw {
		if err := clientCtx.Codec.UnmarshalJSON(r, &records[i]); err != nil {
			return nil, fmt.Errorf("record %d: %w", i, err)
		}
	}
	return records, nil
}

func recordFromFlags(cmd *cobra.Command, vin, kind, odometer string) (types.RecordInput, error) {
	k, ok := types.RecordKind_value["RECORD_KIND_"+strings.ToUpper(kind)]
	if !ok {
		return types.RecordInput{}, fmt.Errorf("unknown kind %q: use mileage, service, repair, damage, inspection, ownership_transfer or title_brand", kind)
	}
	km, err := strconv.ParseUint(odometer, 10, 64)
	if err != nil {
		return types.RecordInput{}, fmt.Errorf("odometer-km %q: a whole number of kilometres (0 if not read)", odometer)
	}
	rec := types.RecordInput{Vin: vin, Kind: types.RecordKind(k), OdometerKm: km, OccurredAt: time.Now().UTC().Truncate(time.Second)}
	if at, _ := cmd.Flags().GetString(FlagAt); at != "" {
		if rec.OccurredAt, err = time.Parse(time.RFC3339, at); err != nil {
			return types.RecordInput{}, fmt.Errorf("--%s %q: use RFC 3339, e.g. 2026-03-01T10:00:00Z", FlagAt, at)
		}
	}
	rec.Location, _ = cmd.Flags().GetString(FlagLocation)
	rec.Description, _ = cmd.Flags().GetString(FlagDescription)
	if ev, _ := cmd.Flags().GetString(FlagEvidence); ev != "" {
		if rec.EvidenceHash, err = hex.DecodeString(ev); err != nil {
			return types.RecordInput{}, fmt.Errorf("--%s: hex-encoded SHA-256 expected: %w", FlagEvidence, err)
		}
	}
	if brand, _ := cmd.Flags().GetString(FlagBrand); brand != "" {
		b, ok := types.TitleBrand_value["TITLE_BRAND_"+strings.ToUpper(brand)]
		if !ok {
			return types.RecordInput{}, fmt.Errorf("unknown brand %q: use salvage, flood, rebuilt, junk, lemon or fire", brand)
		}
		rec.TitleBrand = types.TitleBrand(b)
	}
	return rec, nil
}
