package audit

import (
	"fmt"
	"html/template"
	"io"
	"sort"
	"time"

	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// chartPoint is one odometer reading drawn on the chart.
type chartPoint struct {
	X, Y     float64
	RecordID uint64
	Km       uint64
	At       string
	Flagged  bool
	Flags    string
}

// timelineEvent is one line of the ownership / lien / loan timeline.
type timelineEvent struct {
	At   time.Time
	When string
	What string
}

const chartW, chartH, chartPad = 720.0, 280.0, 40.0

// chart places every odometer reading of the proven records on the SVG.
func chart(records []vehicletypes.Record) []chartPoint {
	var pts []chartPoint
	var minT, maxT time.Time
	var maxKm uint64
	for _, r := range records {
		if r.Input.OdometerKm == 0 {
			continue
		}
		at := r.Input.OccurredAt
		if minT.IsZero() || at.Before(minT) {
			minT = at
		}
		if at.After(maxT) {
			maxT = at
		}
		maxKm = max(maxKm, r.Input.OdometerKm)
	}
	span := maxT.Sub(minT).Seconds()
	for _, r := range records {
		if r.Input.OdometerKm == 0 {
			continue
		}
		x := chartPad
		if span > 0 {
			x += (r.Input.OccurredAt.Sub(minT).Seconds() / span) * (chartW - 2*chartPad)
		}
		y := chartH - chartPad - float64(r.Input.OdometerKm)/float64(max(maxKm, 1))*(chartH-2*chartPad)
		p := chartPoint{X: x, Y: y, RecordID: r.Id, Km: r.Input.OdometerKm, At: r.Input.OccurredAt.UTC().Format("2006-01-02")}
		for _, f := range r.Flags {
			p.Flagged = true
			p.Flags += f.Code.String() + " "
		}
		pts = append(pts, p)
	}
	return pts
}

// timeline lists title moves, liens and loans in time order.
func timeline(f Findings) []timelineEvent {
	var ev []timelineEvent
	for _, r := range f.Records {
		if o := r.TitleOrigin; o != nil {
			ev = append(ev, timelineEvent{At: r.Input.OccurredAt, What: fmt.Sprintf("title %s: %s → %s (%s %s)", o.Cause, o.From, orHub(o.To), o.Module, o.Reference)})
		}
	}
	for _, l := range f.Liens {
		ev = append(ev, timelineEvent{At: l.GrantedAt, What: fmt.Sprintf("lien %d granted to %s", l.Id, l.Holder.String())})
		if l.ReleasedAt != nil {
			ev = append(ev, timelineEvent{At: *l.ReleasedAt, What: fmt.Sprintf("lien %d released (%s)", l.Id, l.ReleaseReason)})
		}
	}
	for _, l := range f.Loans {
		if l.StartedAt != nil {
			ev = append(ev, timelineEvent{At: *l.StartedAt, What: fmt.Sprintf("loan %d of %s from %s to %s", l.Id, l.Principal, l.Lender, l.Borrower)})
		}
		if l.ClosedAt != nil {
			ev = append(ev, timelineEvent{At: *l.ClosedAt, What: fmt.Sprintf("loan %d %s", l.Id, l.Status)})
		}
	}
	sort.SliceStable(ev, func(i, j int) bool { return ev[i].At.Before(ev[j].At) })
	for i := range ev {
		ev[i].When = ev[i].At.UTC().Format("2006-01-02 15:04")
	}
	return ev
}

func orHub(to string) string {
	if to == "" {
		return "off the hub (redeemed)"
	}
	return to
}

// WriteHTML writes the report as one self-contained HTML page: no
// scripts, no fetches, styles and the odometer chart inline.
func (r Report) WriteHTML(w io.Writer) error {
	data := struct {
		Report
		Points   []chartPoint
		Events   []timelineEvent
		W, H, Pd float64
	}{Report: r, W: chartW, H: chartH, Pd: chartPad}
	if r.Findings != nil {
		data.Points, data.Events = chart(r.Findings.Records), timeline(*r.Findings)
	}
	return page.Execute(w, data)
}

var page = template.Must(template.New("report").Funcs(template.FuncMap{"sub": func(a, b float64) float64 { return a - b }}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>vinaudit {{or .Document .VIN}}</title>
<style>
body{font-family:sans-serif;margin:2em;color:#222}
.PROVEN{color:#176b2c}.CLAIMED{color:#8a6d00}.CONTRADICTED{color:#b00020;font-weight:bold}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
circle.reading{fill:#1f5fbf}circle.flagged{fill:#b00020;stroke:#000;stroke-width:1.5}
</style></head><body>
{{if .Document}}<h1>Evidence audit: SHA-256 <code id="document">{{.Document}}</code></h1>{{else}}<h1>Vehicle audit: <span id="vin">{{.VIN}}</span></h1>{{end}}
<p id="outcome" class="{{.Outcome}}">Outcome: {{.Outcome}}</p>
{{with .Error}}<p class="CONTRADICTED">{{.}}</p>{{end}}
{{with .Hub}}<p>Hub <b>{{.ChainID}}</b> at height {{.Height}}, header time <time id="header-time" datetime="{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}">{{.Time.UTC.Format "2006-01-02 15:04:05 UTC"}}</time>, app hash <code>{{.AppHash}}</code>, header verified by the light client from the primary {{.Primary}} and confirmed by {{range .Witnesses}}{{.}} {{end}}.</p>{{end}}
<p>Generated {{.GeneratedAt.Format "2006-01-02 15:04:05 MST"}}. Schema {{.Schema}}.</p>
<h2>Odometer</h2>
<svg id="odometer" xmlns="http://www.w3.org/2000/svg" width="{{.W}}" height="{{.H}}" viewBox="0 0 {{.W}} {{.H}}" role="img" aria-label="odometer readings over time">
<line x1="{{.Pd}}" y1="{{.Pd}}" x2="{{.Pd}}" y2="{{printf "%.0f" (sub .H .Pd)}}" stroke="#888"/>
{{range .Points}}<circle class="reading{{if .Flagged}} flagged{{end}}" data-record="{{.RecordID}}" cx="{{printf "%.1f" .X}}" cy="{{printf "%.1f" .Y}}" r="{{if .Flagged}}7{{else}}5{{end}}"><title>record {{.RecordID}}: {{.Km}} km on {{.At}}{{if .Flagged}} — flagged {{.Flags}}{{end}}</title></circle>
{{end}}</svg>
{{with .Findings}}
<h2>History</h2>
<table id="history"><tr><th>record</th><th>date</th><th>kind</th><th>km</th><th>by</th><th>flags</th></tr>
{{range .Records}}<tr><td>{{.Id}}</td><td>{{.Input.OccurredAt.Format "2006-01-02"}}</td><td>{{.Input.Kind}}</td><td>{{.Input.OdometerKm}}</td><td>{{if .TitleOrigin}}hub ({{.TitleOrigin.Module}} {{.TitleOrigin.Reference}}){{else}}{{.DealerId}}{{end}}</td><td>{{range .Flags}}{{.Code}}: {{.Detail}} {{end}}</td></tr>
{{end}}</table>
{{end}}
<h2>Ownership, liens and loans</h2>
<table id="timeline"><tr><th>when</th><th>what</th></tr>
{{range .Events}}<tr><td>{{.When}}</td><td>{{.What}}</td></tr>
{{end}}</table>
{{with .Findings}}
<h2>Facts</h2>
<table id="facts"><tr><th>status</th><th>subject</th><th>fact</th><th>reason</th></tr>
{{range .Facts}}<tr class="fact"><td class="{{.Status}}">{{.Status}}</td><td>{{.Subject}}</td><td>{{.Statement}}</td><td>{{.Reason}}</td></tr>
{{end}}</table>
{{end}}
</body></html>
`))
