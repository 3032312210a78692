package audit

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// AppHashes gives a chain's latest verified state: its height and the app
// hash committing it (*Headers does, from the light client).
type AppHashes interface {
	Latest(ctx context.Context) (Verified, error)
}

// Dealer is a dealer chain as the auditor reaches it.
type Dealer struct {
	Headers AppHashes
	Prover  Prover
}

// originStatement is the fact a hub record's IBC origin states.
func originStatement(o *vehicletypes.Origin) string {
	return fmt.Sprintf("the original is record %d on dealer chain %s", o.DealerRecordId, o.ChainId)
}

// CheckOrigins reads the dealer chain's original of every proven hub record
// that came over IBC, proven against that chain's verified header, and
// compares it field by field with the hub's copy: the record's CLAIMED
// origin fact becomes PROVEN or CONTRADICTED. Records from chains not in
// dealers stay CLAIMED. It fails only when a dealer chain cannot be
// verified or read.
func CheckOrigins(ctx context.Context, f *Findings, dealers map[string]Dealer) error {
	latest := map[string]Verified{}
	for _, rec := range f.Records {
		o := rec.Origin
		d, ok := dealers[o.GetChainId()]
		if o == nil || !ok {
			continue
		}
		state, seen := latest[o.ChainId]
		if !seen {
			var err error
			if state, err = d.Headers.Latest(ctx); err != nil {
				return err
			}
			latest[o.ChainId] = state
		}
		r, err := d.Prover.Prove(ctx, vehicletypes.StoreKey, recordKey(o.DealerRecordId), state.Height)
		if err != nil {
			return fmt.Errorf("%w: dealer chain %s: %v", ErrCannotVerify, o.ChainId, err)
		}
		f.settleOrigin(rec, state.AppHash, r)
	}
	return nil
}

// settleOrigin turns the CLAIMED origin fact of rec into what r proves.
func (f *Findings) settleOrigin(rec vehicletypes.Record, appHash []byte, r Read) {
	subject, statement := fmt.Sprintf("record %d", rec.Id), originStatement(rec.Origin)
	at := -1
	for i, fact := range f.Facts {
		if fact.Subject == subject && fact.Statement == statement {
			at = i
		}
	}
	if at < 0 {
		return
	}
	if r.Value == nil && bytes.Equal(r.Key, recordKey(rec.Origin.DealerRecordId)) && r.Verify(appHash) == nil {
		f.Facts[at] = Fact{Subject: subject, Status: Contradicted, Statement: statement,
			Reason: "the dealer chain is proven to have no such record"}
		return
	}
	before := len(f.Facts)
	original, ok := provenObject[vehicletypes.Record](f, appHash, r, vehicletypes.StoreKey, recordKey(rec.Origin.DealerRecordId), subject, statement)
	if !ok {
		f.Facts[at] = f.Facts[before] // the contradiction provenObject recorded
		f.Facts = f.Facts[:before]
		return
	}
	if diff := originDiff(rec, original); diff != "" {
		f.Facts[at] = Fact{Subject: subject, Status: Contradicted, Statement: statement,
			Reason: "the dealer chain's proven original differs from the hub's copy: " + diff}
		return
	}
	f.Facts[at] = Fact{Subject: subject, Status: Proven, Statement: statement + ", identical to the hub's copy"}
}

// originDiff names the fields in which a hub record differs from its
// dealer-chain original: what the reporter signed (the input), who signed
// it, and for which dealer.
func originDiff(hub, original vehicletypes.Record) string {
	var diffs []string
	a, _ := hub.Input.Marshal()
	b, _ := original.Input.Marshal()
	if !bytes.Equal(a, b) {
		diffs = append(diffs, fmt.Sprintf("input (hub: %s %d km on %s; dealer chain: %s %d km on %s)",
			hub.Input.Kind, hub.Input.OdometerKm, hub.Input.OccurredAt.UTC().Format("2006-01-02"),
			original.Input.Kind, original.Input.OdometerKm, original.Input.OccurredAt.UTC().Format("2006-01-02")))
	}
	if hub.Origin.Reporter != original.Reporter {
		diffs = append(diffs, fmt.Sprintf("reporter (hub: %s; dealer chain: %s)", hub.Origin.Reporter, original.Reporter))
	}
	if hub.DealerId != original.DealerId {
		diffs = append(diffs, fmt.Sprintf("dealer (hub: %s; dealer chain: %s)", hub.DealerId, original.DealerId))
	}
	if original.Id != hub.Origin.DealerRecordId {
		diffs = append(diffs, fmt.Sprintf("id (dealer chain record %d)", original.Id))
	}
	return strings.Join(diffs, "; ")
}
