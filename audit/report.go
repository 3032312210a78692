package audit

import (
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
)

// ReportSchema versions the JSON report (docs/spec/audit-report.md).
const ReportSchema = "vinaudit.report/v1"

// Outcome is the audit's verdict, and the command's exit code.
type Outcome int

// Outcomes, by exit code.
const (
	// OutcomeProven: every fact is proven (CLAIMED facts are listed, not failures).
	OutcomeProven Outcome = 0
	// OutcomeContradicted: at least one fact is contradicted.
	OutcomeContradicted Outcome = 1
	// OutcomeCannotVerify: the headers or the reads could not be verified.
	OutcomeCannotVerify Outcome = 2
)

func (o Outcome) String() string {
	switch o {
	case OutcomeProven:
		return "PROVEN"
	case OutcomeContradicted:
		return "CONTRADICTED"
	default:
		return "COULD NOT VERIFY"
	}
}

// Header is the verified header a report's proofs are checked against.
type Header struct {
	ChainID string `json:"chain_id"`
	// Height is the state's height; the header is Height+1's.
	Height  int64  `json:"height"`
	AppHash string `json:"app_hash"`
	// Time is the header's time: how fresh the audited state is.
	Time    time.Time `json:"time"`
	Primary string    `json:"primary"`
	// Witnesses confirmed the header (a witness that did not answer is not listed).
	Witnesses []string `json:"witnesses"`
}

// Report is what vinaudit writes: JSON, HTML and a text summary of one VIN.
type Report struct {
	Schema      string    `json:"schema"`
	GeneratedAt time.Time `json:"generated_at"`
	VIN         string    `json:"vin"`
	// Document is the SHA-256 (hex) of the file `vinaudit evidence` audited;
	// VIN is then the anchoring's VIN, if it names one.
	Document string `json:"document,omitempty"`
	Outcome  string `json:"outcome"`
	ExitCode int    `json:"exit_code"`
	// Error says why the audit could not verify (outcome COULD NOT VERIFY).
	Error    string    `json:"error,omitempty"`
	Hub      *Header   `json:"hub,omitempty"`
	Findings *Findings `json:"findings,omitempty"`
}

// NewReport reports findings proven against hub's header.
func NewReport(hub Header, appHash []byte, f Findings, now time.Time) Report {
	hub.AppHash = strings.ToUpper(hex.EncodeToString(appHash))
	outcome := OutcomeProven
	if f.Contradicted() {
		outcome = OutcomeContradicted
	}
	return Report{Schema: ReportSchema, GeneratedAt: now.UTC(), VIN: f.VIN, Document: f.Document, Outcome: outcome.String(),
		ExitCode: int(outcome), Hub: &hub, Findings: &f}
}

// FailedReport reports an audit that could not verify.
func FailedReport(vin string, err error, now time.Time) Report {
	return Report{Schema: ReportSchema, GeneratedAt: now.UTC(), VIN: vin, Outcome: OutcomeCannotVerify.String(),
		ExitCode: int(OutcomeCannotVerify), Error: err.Error()}
}

// WriteText writes the plain-text summary: the outcome, then every fact
// that is not PROVEN, then the counts.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	if r.Document != "" {
		fmt.Fprintf(&b, "evidence SHA-256 %s: %s\n", r.Document, r.Outcome)
	} else {
		fmt.Fprintf(&b, "VIN %s: %s\n", r.VIN, r.Outcome)
	}
	if r.Error != "" {
		fmt.Fprintf(&b, "  %s\n", r.Error)
	}
	if r.Hub != nil {
		fmt.Fprintf(&b, "  hub %s at height %d, header time %s (%s before the audit), app hash %s (header verified by the light client, confirmed by %s)\n",
			r.Hub.ChainID, r.Hub.Height, r.Hub.Time.UTC().Format(time.RFC3339), r.GeneratedAt.Sub(r.Hub.Time).Round(time.Second), r.Hub.AppHash, strings.Join(r.Hub.Witnesses, ", "))
	}
	if f := r.Findings; f != nil {
		n := map[Status]int{}
		for _, fact := range f.Facts {
			n[fact.Status]++
			if fact.Status != Proven || fact.Subject == "summary" || fact.Subject == "evidence" || fact.Subject == "disclosure" {
				line := fmt.Sprintf("  %s %s: %s", fact.Status, fact.Subject, fact.Statement)
				if fact.Reason != "" {
					line += ": " + fact.Reason
				}
				b.WriteString(line + "\n")
			}
		}
		fmt.Fprintf(&b, "  %d facts: %d proven, %d claimed, %d contradicted", len(f.Facts), n[Proven], n[Claimed], n[Contradicted])
		if r.Document == "" {
			fmt.Fprintf(&b, "; %d records, %d liens, %d assets, %d loans", len(f.Records), len(f.Liens), len(f.Assets), len(f.Loans))
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
