package audit_test

import (
	"bytes"
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
	hub := audit.Header{ChainID: "vinhub-test", Height: h, Primary: "http://primary", Witnesses: []string{"http://witness"}}
	r := audit.NewReport(hub, c.appHashes[h], audit.Verify(c.appHashes[h], ev), time.Now())
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

	bz, err := json.Marshal(r)
	require.NoError(t, err)
	require.Contains(t, string(bz), `"schema":"vinaudit.report/v1"`)

	ev.Records[0].Value = append([]byte{}, ev.Records[1].Value...)
	lied := audit.NewReport(hub, c.appHashes[h], audit.Verify(c.appHashes[h], ev), time.Now())
	require.Equal(t, 1, lied.ExitCode)
	var text bytes.Buffer
	require.NoError(t, lied.WriteText(&text))
	require.Contains(t, text.String(), "CONTRADICTED record 1")
}
