package audit

import (
	"bytes"
	"encoding/binary"
	"fmt"

	anchortypes "github.com/vinhub/vinhub/x/anchor/types"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	vehiclekeeper "github.com/vinhub/vinhub/x/vehicle/keeper"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// Status is how far a fact is proven.
type Status string

// The labels every fact carries.
const (
	// Proven: committed to the verified header's app hash.
	Proven Status = "PROVEN"
	// Claimed: shown by a server, not (yet) provable.
	Claimed Status = "CLAIMED"
	// Contradicted: what the server showed disagrees with what the chain commits to.
	Contradicted Status = "CONTRADICTED"
)

// Fact is one line of a report.
type Fact struct {
	// Subject names what the fact is about: "summary", "history", "record 12", "lien 3", "asset 1", "loan 2".
	Subject string `json:"subject"`
	Status  Status `json:"status"`
	// Statement says the fact in words.
	Statement string `json:"statement"`
	// Reason says why a fact is not PROVEN.
	Reason string `json:"reason,omitempty"`
}

// Findings are a VIN's hub state as proven, with one fact per line.
type Findings struct {
	VIN    string `json:"vin"`
	Height int64  `json:"height"`
	// Known is false when the summary is proven absent: the hub has no record
	// of the VIN (for a document: it was never anchored).
	Known   bool                         `json:"known"`
	Summary *vehicletypes.VehicleSummary `json:"summary,omitempty"`
	Records []vehicletypes.Record        `json:"records"`
	Liens   []vehicletypes.Lien          `json:"liens"`
	// ActiveLien is the id of the VIN's active lien, 0 when proven free.
	ActiveLien uint64             `json:"active_lien"`
	Assets     []assettypes.Asset `json:"assets"`
	Loans      []assettypes.Loan  `json:"loans"`
	// Document is the SHA-256 (hex) a `vinaudit evidence` audit proves the anchoring of.
	Document string `json:"document,omitempty"`
	// Anchorings are the proven first anchorings: the document's, or those of the records' evidence hashes.
	Anchorings []anchortypes.Anchoring `json:"anchorings,omitempty"`
	Facts      []Fact                  `json:"facts"`
}

// Contradicted reports whether any fact is contradicted.
func (f Findings) Contradicted() bool {
	for _, fact := range f.Facts {
		if fact.Status == Contradicted {
			return true
		}
	}
	return false
}

func (f *Findings) add(status Status, subject, statement, reason string) {
	f.Facts = append(f.Facts, Fact{Subject: subject, Status: status, Statement: statement, Reason: reason})
}

func (f *Findings) contradict(subject, statement string, err error) {
	f.add(Contradicted, subject, statement, err.Error())
}

// Verify checks the evidence against appHash, the app hash in the header of
// ev.Height+1 that the caller verified, and says what it proves. A VIN
// without records is audited in full too: the hub grants liens (a dealer's
// over IBC) on a VIN it has no record of, and those are what a buyer most
// needs to see.
func Verify(appHash []byte, ev Evidence) Findings {
	f := Findings{VIN: ev.VIN, Height: ev.Height}
	if !f.verifySummary(appHash, ev) {
		return f
	}
	f.verifyHistory(appHash, ev)
	for _, rec := range f.Records {
		if rec.LedgerOrigin != nil {
			f.verifyAttestation(appHash, rec, ev)
		}
	}
	f.verifyRecordEvidence(appHash, ev)
	f.verifyLiens(appHash, ev)
	f.verifyAssets(appHash, ev)
	return f
}

// verifySummary proves the summary or its absence; it reports whether to go
// on (false when the summary is contradicted).
func (f *Findings) verifySummary(appHash []byte, ev Evidence) bool {
	r := ev.Summary
	if !bytes.Equal(r.Key, summaryKey(ev.VIN)) || r.Store != vehicletypes.StoreKey {
		f.contradict("summary", "the VIN's summary", fmt.Errorf("%w: the server answered key %s %x", ErrNotProven, r.Store, r.Key))
		return false
	}
	if err := r.Verify(appHash); err != nil {
		f.contradict("summary", "the VIN's summary", err)
		return false
	}
	if r.Value == nil {
		f.add(Proven, "summary", fmt.Sprintf("no vehicle records on the hub for VIN %s", ev.VIN), "")
		return true
	}
	var s vehicletypes.VehicleSummary
	if err := s.Unmarshal(r.Value); err != nil {
		f.contradict("summary", "the VIN's summary", fmt.Errorf("proven value does not decode: %w", err))
		return false
	}
	f.Known, f.Summary = true, &s
	f.add(Proven, "summary", fmt.Sprintf("%d records, latest odometer %d km, brands %v, flags %v", s.RecordCount, s.LatestOdometerKm, s.Brands, s.Flags), "")
	return true
}

// verifyHistory proves the history index complete (the walk, and its size
// against the summary's count: none when the summary is proven absent) and
// every record it lists.
func (f *Findings) verifyHistory(appHash []byte, ev Evidence) {
	const what = "the VIN's complete history"
	var count uint64
	if f.Summary != nil {
		count = f.Summary.RecordCount
	}
	if !bytes.Equal(ev.History.Prefix, historyPrefix(ev.VIN)) || ev.History.Store != vehicletypes.StoreKey {
		f.contradict("history", what, fmt.Errorf("%w: the walk is of another range", ErrNotProven))
		return
	}
	entries, err := ev.History.Verify(appHash)
	if err != nil {
		f.contradict("history", what, err)
		return
	}
	if uint64(len(entries)) != count {
		f.contradict("history", what, fmt.Errorf("the proven index lists %d records, the proven summary counts %d", len(entries), count))
	} else {
		f.add(Proven, "history", fmt.Sprintf("the history lists exactly %d records", len(entries)), "")
	}
	for i, e := range entries {
		var r Read
		if i < len(ev.Records) {
			r = ev.Records[i]
		}
		f.verifyRecord(appHash, ev.VIN, e, r)
	}
}

// verifyRecord proves one record and that it is the one its history entry
// indexes: same id, VIN, date and odometer reading.
func (f *Findings) verifyRecord(appHash []byte, vin string, e Entry, r Read) {
	id, _ := trailingID(e.Key)
	subject := fmt.Sprintf("record %d", id)
	if len(e.Key) != len(historyPrefix(vin))+16 || len(e.Value) != 8 {
		f.contradict(subject, "a history entry", fmt.Errorf("%w: malformed history entry %x", ErrNotProven, e.Key))
		return
	}
	rec, ok := provenObject[vehicletypes.Record](f, appHash, r, vehicletypes.StoreKey, recordKey(id), subject, "a record the proven history lists")
	if !ok {
		return
	}
	index := append(historyPrefix(vin), vehiclekeeper.HistoryKey(rec.Input.OccurredAt, rec.Id)...)
	if rec.Id != id || rec.Input.Vin != vin || !bytes.Equal(index, e.Key) || rec.Input.OdometerKm != binary.BigEndian.Uint64(e.Value) {
		f.contradict(subject, "a record", fmt.Errorf("the proven record (id %d, VIN %s, %d km) is not the one its proven history entry indexes", rec.Id, rec.Input.Vin, rec.Input.OdometerKm))
		return
	}
	f.Records = append(f.Records, rec)
	f.add(Proven, subject, describeRecord(rec), "")
	if o := rec.Origin; o != nil {
		f.add(Claimed, subject, originStatement(o), "the dealer chain's original was not read (no such dealer chain in the auditor's config)")
	}
}

func describeRecord(rec vehicletypes.Record) string {
	by := "dealer " + rec.DealerId
	if rec.TitleOrigin != nil {
		by = "the hub (" + rec.TitleOrigin.Module + " " + rec.TitleOrigin.Reference + ")"
	}
	s := fmt.Sprintf("%s on %s by %s", rec.Input.Kind, rec.Input.OccurredAt.UTC().Format("2006-01-02"), by)
	if rec.Input.OdometerKm != 0 {
		s += fmt.Sprintf(", %d km", rec.Input.OdometerKm)
	}
	for _, fl := range rec.Flags {
		s += ", flagged " + fl.Code.String()
	}
	return s
}
