package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	ucli "github.com/urfave/cli/v2"

	"github.com/vinhub/vinhub/audit"
	auditcli "github.com/vinhub/vinhub/audit/cli"
	"github.com/vinhub/vinhub/testnet"
	"github.com/vinhub/vinhub/testnet/debpkg"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// runAudit runs vinaudit in-process and returns its exit code and stdout.
func runAudit(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	app := auditcli.App()
	app.Writer, app.ErrWriter = &out, &errOut
	err := app.Run(append([]string{"vinaudit"}, args...))
	code := 0
	var exit ucli.ExitCoder
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err, errOut.String())
	}
	t.Logf("vinaudit %s: exit %d\n%s%s", strings.Join(args, " "), code, errOut.String(), out.String())
	return code, out.String()
}

// lyingProxy serves the node's RPC through lie, which may rewrite each
// JSON-RPC request and response.
type lie func(method string, params, result map[string]any)

func lyingProxy(t *testing.T, node *testnet.Node, tell lie) string {
	t.Helper()
	target := fmt.Sprintf("http://127.0.0.1:%d", node.RPCPort)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req struct {
			Method string         `json:"method"`
			Params map[string]any `json:"params"`
		}
		_ = json.Unmarshal(body, &req)
		if req.Params != nil {
			tell(req.Method, req.Params, nil)
			var whole map[string]any
			_ = json.Unmarshal(body, &whole)
			whole["params"] = req.Params
			body, _ = json.Marshal(whole)
		}
		resp, err := http.Post(target+r.URL.Path, "application/json", bytes.NewReader(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		var res map[string]any
		if json.Unmarshal(out, &res) == nil {
			if result, ok := res["result"].(map[string]any); ok {
				tell(req.Method, req.Params, result)
				out, _ = json.Marshal(res)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(out)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// auditDemoCar: vinaudit proves the demo car's whole hub history (dealer
// records and the finance demo's ownership record, liens and loans)
// through the node's RPC, and catches a lying RPC between it and the node.
func auditDemoCar(ctx context.Context, t *testing.T, node *testnet.Node) {
	direct := fmt.Sprintf("http://127.0.0.1:%d", node.RPCPort)
	genesis := filepath.Join(node.Home, "config", "genesis.json")
	initAudit := func(t *testing.T, primary string) string {
		home := t.TempDir()
		code, _ := runAudit(t, "--home", home, "init", "--genesis", genesis, "--primary", primary, "--witness", direct)
		require.Zero(t, code)
		return home
	}

	t.Run("every fact about the demo car is proven", func(t *testing.T) {
		home := initAudit(t, direct)
		code, out := runAudit(t, "--home", home, "vin", "--json", testnet.DemoVIN)
		require.Zero(t, code)
		var r audit.Report
		require.NoError(t, json.Unmarshal([]byte(out), &r))
		require.Equal(t, "PROVEN", r.Outcome)
		for _, f := range r.Findings.Facts {
			require.Equal(t, audit.Proven, f.Status, "%s: %s", f.Subject, f.Statement)
		}
		require.Len(t, r.Findings.Records, 5)
		require.Equal(t, vehicletypes.TITLE_CAUSE_DEFAULT, r.Findings.Records[4].TitleOrigin.GetCause())
		require.NotEmpty(t, r.Findings.Liens)
		require.NotEmpty(t, r.Findings.Loans)

		readings, flagged := 0, 0
		for _, rec := range r.Findings.Records {
			if rec.Input.OdometerKm != 0 {
				readings++
				if len(rec.Flags) > 0 {
					flagged++
				}
			}
		}
		dom := renderInChromium(ctx, t, filepath.Join(home, "reports", fmt.Sprintf("%s-%d.html", testnet.DemoVIN, r.Hub.Height)))
		require.Equal(t, readings, strings.Count(dom, `<circle class="reading`), "one chart point per odometer reading")
		require.Equal(t, flagged, strings.Count(dom, `<circle class="reading flagged"`), "flagged readings are marked")
		require.Positive(t, flagged, "the demo's rollback is flagged")
		require.Contains(t, dom, `id="outcome" class="PROVEN"`)
	})

	t.Run("an unknown VIN is proven absent; a malformed one cannot be audited", func(t *testing.T) {
		home := initAudit(t, direct)
		code, out := runAudit(t, "--home", home, "vin", "JH4KA7561PC008269")
		require.Zero(t, code)
		require.Contains(t, out, "no record of VIN")
		code, out = runAudit(t, "--home", home, "vin", "NOT-A-VIN")
		require.Equal(t, 2, code)
		require.Contains(t, out, "malformed VIN")
	})

	lies := []struct {
		name string
		lie  lie
		code int
	}{
		{"(a) one record's odometer changed", func(method string, params, result map[string]any) {
			if result == nil || method != "abci_query" || params["path"] != "store/vehicle/key" || params["data"] != "020000000000000001" {
				return
			}
			resp := result["response"].(map[string]any)
			bz, _ := base64.StdEncoding.DecodeString(resp["value"].(string))
			var rec vehicletypes.Record
			if rec.Unmarshal(bz) != nil {
				return
			}
			rec.Input.OdometerKm += 1_000
			bz, _ = rec.Marshal()
			resp["value"] = base64.StdEncoding.EncodeToString(bz)
		}, 1},
		{"(c) a header from a fork", func(method string, _, result map[string]any) {
			if result == nil || method != "commit" {
				return
			}
			header := result["signed_header"].(map[string]any)["header"].(map[string]any)
			header["app_hash"] = strings.Repeat("AB", 32)
		}, 2},
		{"(d) valid-looking stale state", staleState(), 1},
	}
	for _, tc := range lies {
		t.Run("a lying RPC: "+tc.name, func(t *testing.T) {
			home := initAudit(t, direct)
			cfg, err := auditcli.LoadConfig(home)
			require.NoError(t, err)
			cfg.Hub.Primary = lyingProxy(t, node, tc.lie)
			require.NoError(t, cfg.Save(home))
			code, out := runAudit(t, "--home", home, "vin", testnet.DemoVIN)
			require.Equal(t, tc.code, code, out)
			if tc.code == 1 {
				require.Contains(t, out, "CONTRADICTED")
			}
		})
	}
}

// staleState answers every store read from height 2, when the demo car had
// no history yet, and says it answered for the height asked.
func staleState() lie {
	var asked any
	return func(method string, params, result map[string]any) {
		if method != "abci_query" {
			return
		}
		if result == nil {
			asked, params["height"] = params["height"], "2"
			return
		}
		result["response"].(map[string]any)["height"] = asked
	}
}

// renderInChromium opens the report in headless Chromium (Debian's package,
// installed if missing), keeps a screenshot out of the repository, and
// returns the DOM Chromium rendered.
func renderInChromium(ctx context.Context, t *testing.T, page string) string {
	t.Helper()
	bin, err := debpkg.Binary(ctx, "chromium", "chromium")
	require.NoError(t, err)
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=" + t.TempDir()}
	shot := filepath.Join(t.TempDir(), "report.png")
	out, err := exec.CommandContext(ctx, bin, append(args, "--screenshot="+shot, "--window-size=1024,1400", "file://"+page)...).CombinedOutput()
	require.NoError(t, err, string(out))
	t.Logf("screenshot of the report: %s", shot)
	dom, err := exec.CommandContext(ctx, bin, append(args, "--dump-dom", "file://"+page)...).Output()
	require.NoError(t, err)
	return string(dom)
}
