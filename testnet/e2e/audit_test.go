package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	ucli "github.com/urfave/cli/v2"

	cmtjson "github.com/cometbft/cometbft/libs/json"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/vinhub/vinhub/audit"
	auditcli "github.com/vinhub/vinhub/audit/cli"
	"github.com/vinhub/vinhub/client"
	"github.com/vinhub/vinhub/testnet"
	"github.com/vinhub/vinhub/testnet/debpkg"
	anchortypes "github.com/vinhub/vinhub/x/anchor/types"
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
	target := node.RPCURL()
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
	direct := node.RPCURL()
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
		require.Contains(t, out, "no vehicle records on the hub for VIN")
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
		{"(b) a history entry dropped from the walk", dropHistoryEntry(t, direct), 1},
		{"(c) a header from a fork", func(method string, _, result map[string]any) {
			if result == nil || method != "commit" {
				return
			}
			header := result["signed_header"].(map[string]any)["header"].(map[string]any)
			header["app_hash"] = strings.Repeat("AB", 32)
		}, 2},
		{"(d) valid-looking stale state", staleState(), 1},
		{"(e) an old genuine header served as the latest", func(method string, params, result map[string]any) {
			if result == nil && method == "commit" && params["height"] == nil {
				params["height"] = "3"
			}
		}, 2},
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

	t.Run("a witness serving a fork stops the audit, naming both header hashes", func(t *testing.T) {
		home := initAudit(t, direct)
		cfg, err := auditcli.LoadConfig(home)
		require.NoError(t, err)
		cfg.Hub.Witnesses = []string{lyingProxy(t, node, forkAfterGenesis(t))}
		require.NoError(t, cfg.Save(home))
		code, out := runAudit(t, "--home", home, "vin", testnet.DemoVIN)
		require.Equal(t, 2, code, out)
		require.Contains(t, out, "one of them serves a fork")
		hashes := regexp.MustCompile(`serves header ([0-9A-F]{64})`).FindAllStringSubmatch(out, -1)
		require.Len(t, hashes, 2, out)
		require.NotEqual(t, hashes[0][1], hashes[1][1])
	})

	t.Run("vinaudit evidence proves a file's anchoring, its absence, and catches a moved anchoring height", func(t *testing.T) {
		auditEvidence(ctx, t, node, initAudit(t, direct))
	})
}

// auditEvidence anchors a file with `tx evidence anchor`, proves its first
// anchoring with `vinaudit evidence`, proves an unanchored file absent, and
// catches a primary that moves the anchoring's height.
func auditEvidence(ctx context.Context, t *testing.T, node *testnet.Node, home string) {
	dir := t.TempDir()
	doc, never := filepath.Join(dir, "invoice.pdf"), filepath.Join(dir, "never-anchored.pdf")
	require.NoError(t, os.WriteFile(doc, []byte("invoice for "+testnet.DemoVIN+" "+time.Now().String()), 0o600))
	require.NoError(t, os.WriteFile(never, []byte("never anchored "+time.Now().String()), 0o600))
	res, err := node.Tx(ctx, testnet.DemoOwner, "evidence", "anchor", doc, "--kind", anchortypes.EVIDENCE_KIND_INVOICE.String(), "--vin", testnet.DemoVIN)
	require.NoError(t, err)
	require.Zero(t, res.Code, res.RawLog)
	height, err := strconv.ParseInt(res.Height, 10, 64)
	require.NoError(t, err)
	require.NoError(t, node.WaitHeight(ctx, height+1)) // the header committing the anchoring's state
	owner, err := node.KeyAddress(ctx, testnet.DemoOwner)
	require.NoError(t, err)

	code, out := runAudit(t, "--home", home, "evidence", "--json", doc)
	require.Zero(t, code, out)
	var r audit.Report
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	require.Equal(t, "PROVEN", r.Outcome)
	require.Equal(t, testnet.DemoVIN, r.VIN)
	require.Len(t, r.Findings.Anchorings, 1)
	a := r.Findings.Anchorings[0]
	require.Equal(t, height, a.Height)
	require.Equal(t, owner, a.Submitter)
	require.Equal(t, anchortypes.EVIDENCE_KIND_INVOICE, a.Kind)
	require.Equal(t, hex.EncodeToString(a.Sha256), r.Document)

	code, out = runAudit(t, "--home", home, "evidence", never)
	require.Zero(t, code, out)
	require.Contains(t, out, "never anchored on the hub")
	code, out = runAudit(t, "--home", home, "evidence", filepath.Join(dir, "no-such-file"))
	require.Equal(t, 2, code, out)
	require.Contains(t, out, "COULD NOT VERIFY")

	cfg, err := auditcli.LoadConfig(home)
	require.NoError(t, err)
	cfg.Hub.Primary = lyingProxy(t, node, func(method string, params, result map[string]any) {
		if result == nil || method != "abci_query" || params["path"] != "store/anchor/key" {
			return
		}
		resp := result["response"].(map[string]any)
		bz, _ := base64.StdEncoding.DecodeString(fmt.Sprint(resp["value"]))
		var a anchortypes.Anchoring
		if len(bz) == 0 || a.Unmarshal(bz) != nil {
			return
		}
		a.Height += 100 // claim the document appeared later than it did
		bz, _ = a.Marshal()
		resp["value"] = base64.StdEncoding.EncodeToString(bz)
	})
	require.NoError(t, cfg.Save(home))
	code, out = runAudit(t, "--home", home, "evidence", doc)
	require.Equal(t, 1, code, out)
	require.Contains(t, out, "CONTRADICTED evidence")
}

// dropHistoryEntry answers the history walk's second step (the cursor
// after the first entry) with the absence proof of the cursor after the
// second entry, found by asking the node directly: the walk skips one
// record, every step carrying a genuine proof.
func dropHistoryEntry(t *testing.T, direct string) lie {
	rpc, err := client.NewReadRPC(direct)
	require.NoError(t, err)
	prefix := append(append(vehicletypes.HistoryIndexKey.Bytes(), testnet.DemoVIN...), 0x00)
	var mu sync.Mutex
	lied := false
	return func(method string, params, result map[string]any) {
		if result != nil || method != "abci_query" || params["path"] != "store/vehicle/key" {
			return
		}
		cursor, err := hex.DecodeString(fmt.Sprint(params["data"]))
		if err != nil || !bytes.HasPrefix(cursor, prefix) || len(cursor) == len(prefix) {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if lied {
			return
		}
		height, _ := strconv.ParseInt(fmt.Sprint(params["height"]), 10, 64)
		_, proof, err := client.ProveKey(context.Background(), rpc, "vehicle", cursor, height)
		if err != nil || len(proof.Proofs) == 0 || proof.Proofs[0].GetNonexist().GetRight() == nil {
			return
		}
		second := proof.Proofs[0].GetNonexist().GetRight().Key
		params["data"] = strings.ToUpper(hex.EncodeToString(append(bytes.Clone(second), 0x00)))
		lied = true
	}
}

// forkAfterGenesis serves, from height 2 on, headers with another app hash
// and a commit naming them (well formed, not signed by the hub's validators):
// a fork, as a witness sees one.
func forkAfterGenesis(t *testing.T) lie {
	return func(method string, _, result map[string]any) {
		if result == nil || method != "commit" {
			return
		}
		bz, err := json.Marshal(result["signed_header"])
		require.NoError(t, err)
		var sh cmttypes.SignedHeader
		require.NoError(t, cmtjson.Unmarshal(bz, &sh))
		if sh.Height <= 1 {
			return
		}
		sh.AppHash = bytes.Repeat([]byte{0xAB}, 32)
		sh.Commit.BlockID.Hash = sh.Header.Hash()
		bz, err = cmtjson.Marshal(sh)
		require.NoError(t, err)
		var forged map[string]any
		require.NoError(t, json.Unmarshal(bz, &forged))
		result["signed_header"] = forged
	}
}

// staleState answers every store read from height 2, when the demo car had
// no history yet, and says it answered for the height asked (every read of
// an audit asks for the same height; vinaudit sends some concurrently).
func staleState() lie {
	var mu sync.Mutex
	var asked any
	return func(method string, params, result map[string]any) {
		if method != "abci_query" {
			return
		}
		mu.Lock()
		defer mu.Unlock()
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
