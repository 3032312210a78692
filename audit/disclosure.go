package audit

import (
	"context"
	"fmt"

	"github.com/vinhub/vinhub/sealed"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// FetchDisclosedRecord reads, with its proof at height, the hub record a
// disclosure names.
func FetchDisclosedRecord(ctx context.Context, p Prover, d sealed.Disclosure, height int64) (Read, error) {
	id, err := vehicletypes.ParseRecordRef(d.RecordRef)
	if err != nil {
		return Read{}, err
	}
	return p.Prove(ctx, vehicletypes.StoreKey, recordKey(id), height)
}

// VerifyDisclosure proves the record a disclosure names against appHash
// (the app hash in the verified header of chainID's height+1) and checks
// the disclosed field against that record's envelope: what
// `verify-disclosure` does, without trusting the node that answers. The
// disclosure must name chainID.
func VerifyDisclosure(appHash []byte, chainID string, height int64, d sealed.Disclosure, r Read) Findings {
	f := Findings{Height: height}
	id, err := vehicletypes.ParseRecordRef(d.RecordRef)
	if err != nil {
		f.contradict("disclosure", "a disclosure of a vehicle record", err)
		return f
	}
	subject := fmt.Sprintf("record %d", id)
	rec, ok := provenObject[vehicletypes.Record](&f, appHash, r, vehicletypes.StoreKey, recordKey(id), subject, "the record the disclosure names")
	if !ok {
		return f
	}
	f.VIN, f.Known = rec.Input.Vin, true
	f.Records = append(f.Records, rec)
	f.add(Proven, subject, describeRecord(rec), "")
	claim := fmt.Sprintf("%s = %s of %s on chain %s", d.Name, sealed.Printable(d.Value), d.RecordRef, d.ChainId)
	if err := sealed.VerifyDisclosure(d, chainID, rec.Input.Sealed); err != nil {
		f.contradict("disclosure", claim, err)
		return f
	}
	f.add(Proven, "disclosure", fmt.Sprintf("%s (subject %s)", claim, d.Subject), "")
	return f
}
