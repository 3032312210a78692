package audit_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/audit"
)

// TestReportRenders: the report carries its schema and outcome; the HTML
// is one self-contained page with one chart point per odometer reading and
// the rollback marked; the text names what is not proven.
func TestReportRenders(t *testing.T) {
	c, h, ev := audited(t)
	headerTime := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	hub := audit.Header{ChainID: "vinhub-test", Height: h, Time: headerTime, Primary: "http://primary", Witnesses: []string{"http://witness"}}
	r := audit.NewReport(hub, c.appHashes[h], audit.Verify(c.appHashes[h], ev), headerTime.Add(90*time.Second))
	require.Equal(t, audit.ReportSchema, r.Schema)
	require.Equal(t, 0, r.ExitCode)

	var page bytes.Buffer
	require.NoError(t, r.WriteHTML(&page))
	html := page.String()
	require.Equal(t, 3, strings.Count(html, `<circle class="reading`), "one point per odometer reading")
	require.Equal(t, 1, strings.Count(html, `<circle class="reading flagged"`), "the rollback is marked")
	require.NotContains(t, html, "<script")
	require.NotContains(t, html, "http://primary/")
	require.Contains(t, html, "TITLE_CAUSE_DEFAULT")
	require.Contains(t, html, `<time id="header-time" datetime="2026-03-04T05:06:07Z">2026-03-04 05:06:07 UTC</time>`, "the header's time shows how fresh the state is")
	var summary bytes.Buffer
	require.NoError(t, r.WriteText(&summary))
	require.Contains(t, summary.String(), "header time 2026-03-04T05:06:07Z (1m30s before the audit)")

	bz, err := json.Marshal(r)
	require.NoError(t, err)
	require.Contains(t, string(bz), `"schema":"vinaudit.report/v1"`)
	require.Contains(t, string(bz), `"time":"2026-03-04T05:06:07Z"`)

	ev.Records[0].Value = append([]byte{}, ev.Records[1].Value...)
	lied := audit.NewReport(hub, c.appHashes[h], audit.Verify(c.appHashes[h], ev), time.Now())
	require.Equal(t, 1, lied.ExitCode)
	var text bytes.Buffer
	require.NoError(t, lied.WriteText(&text))
	require.Contains(t, text.String(), "CONTRADICTED record 1")
}

// TestEvidenceReportRenders: an evidence report names the document, says
// what is proven about its anchoring in the text and the HTML, and carries
// the anchoring in its JSON.
func TestEvidenceReportRenders(t *testing.T) {
	c, _, h := anchoredChain(t)
	read, err := audit.FetchAnchoring(context.Background(), c, digest("invoice"), h)
	require.NoError(t, err)
	hub := audit.Header{ChainID: "vinhub-test", Height: h, Primary: "http://primary", Witnesses: []string{"http://witness"}}
	r := audit.NewReport(hub, c.appHashes[h], audit.VerifyDocument(c.appHashes[h], digest("invoice"), h, read), time.Now())
	require.Equal(t, 0, r.ExitCode)
	require.Equal(t, car, r.VIN)
	require.Equal(t, hex.EncodeToString(digest("invoice")), r.Document)

	var text bytes.Buffer
	require.NoError(t, r.WriteText(&text))
	require.Contains(t, text.String(), "evidence SHA-256 "+r.Document+": PROVEN")
	require.Contains(t, text.String(), "PROVEN evidence: SHA-256 "+r.Document+" first anchored at height")
	require.NotContains(t, text.String(), "records")

	var page bytes.Buffer
	require.NoError(t, r.WriteHTML(&page))
	require.Contains(t, page.String(), `<code id="document">`+r.Document+`</code>`)
	require.Contains(t, page.String(), "EVIDENCE_KIND_INVOICE")

	bz, err := json.Marshal(r)
	require.NoError(t, err)
	require.Contains(t, string(bz), `"document":"`+r.Document+`"`)
	require.Contains(t, string(bz), `"anchorings":[{`)
}
