package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vinhub/vinhub/audit"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/testnet"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// relayNet is a hub and two dealer chains on loopback, dealer-a linked over
// IBC v2 and dealer-b over a classic v1 channel, with vinrelay configured.
type relayNet struct {
	nw    *testnet.Network
	relay *testnet.Vinrelay
	loads []*testnet.RecordLoad
	sent  []int
}

func startRelayNet(ctx context.Context, t *testing.T) *relayNet {
	t.Helper()
	bins := binaries(t)
	dir := t.TempDir()
	nw, err := testnet.StartNetwork(ctx, testnet.NetworkSpec{
		Dir: dir, HubBinary: bins.hub, DealerBinary: bins.dealer,
		BlockTime: 500 * time.Millisecond, VotingPeriod: 3 * time.Second,
		// Short enough for the timeout test, long enough for a busy CI machine.
		DealerGenesisEdit: func(app map[string]any) error {
			app["vehicle"].(map[string]any)["params"].(map[string]any)["packet_timeout"] = "25s"
			return nil
		},
	})
	t.Cleanup(func() {
		if nw == nil {
			return
		}
		nw.Stop()
		if t.Failed() {
			for _, l := range nw.Logs() {
				logTail(t, l)
			}
		}
	})
	require.NoError(t, err)
	relay, _, err := testnet.LinkNetwork(ctx, nw, bins.relayer, filepath.Join(dir, "vinrelay"), []string{"v2", "v1"}, nil)
	require.NoError(t, err)
	rn := &relayNet{nw: nw, relay: relay, sent: make([]int, len(nw.Dealers))}
	for i, d := range nw.Dealers {
		load, err := testnet.NewRecordLoad(d.Node(0), d.ReporterKey, d.DealerID)
		require.NoError(t, err)
		load.FirstVIN = 1000 * (i + 1)
		rn.loads = append(rn.loads, load)
	}
	return rn
}

// send commits one tx per dealer chain: `packets` packets of `per` records.
func (rn *relayNet) send(ctx context.Context, t *testing.T, packets, per int) {
	t.Helper()
	for i, l := range rn.loads {
		_, err := l.Send(ctx, packets, per)
		require.NoError(t, err)
		rn.sent[i] += packets * per
	}
}

// delivered waits until every record sent so far is on the hub exactly once
// and settled on its dealer chain.
func (rn *relayNet) delivered(ctx context.Context, t *testing.T, within time.Duration) {
	t.Helper()
	for i, d := range rn.nw.Dealers {
		var last error
		require.Eventually(t, func() bool {
			last = testnet.CheckDelivered(ctx, rn.nw.Hub.Node(0), d.Node(0), rn.loads[i], rn.sent[i])
			return last == nil
		}, within, 500*time.Millisecond, "dealer chain %s: %v", d.ID(), func() error { return last })
	}
}

// lastRecordIs waits until the latest record on every dealer chain has
// the given sync status.
func (rn *relayNet) lastRecordIs(ctx context.Context, t *testing.T, want vehicletypes.SyncStatus, within time.Duration) {
	t.Helper()
	for i, d := range rn.nw.Dealers {
		dq, err := d.Node(0).VehicleQuery()
		require.NoError(t, err)
		require.Eventually(t, func() bool {
			st, err := dq.SyncStatus(ctx, &vehicletypes.QuerySyncStatusRequest{RecordId: uint64(rn.sent[i])})
			return err == nil && st.State.Status == want
		}, within, 200*time.Millisecond, "%s: record %d should be %s", d.ID(), rn.sent[i], want)
	}
}

// startRelayer starts v, stopped when the test ends, showing its log if the
// test failed.
func startRelayer(t *testing.T, v *testnet.Vinrelay) {
	t.Helper()
	require.NoError(t, v.Start())
	t.Cleanup(func() {
		v.Stop()
		if t.Failed() {
			logTail(t, v.Log())
		}
	})
}

func metric(t *testing.T, v *testnet.Vinrelay, prefix string) []string {
	t.Helper()
	lines, err := v.Metrics(prefix)
	require.NoError(t, err)
	return lines
}

// TestRelayRecords streams records from two dealer chains (IBC v2 and v1)
// through vinrelay, kills the relayer with SIGKILL mid-stream, restarts it,
// then runs two relayers on the same paths, and finally lets packets time
// out while the relayer is down (a one-shot `vinrelay clear` times them out). Every record must reach the hub exactly
// once and every ack or timeout must come back.
func TestRelayRecords(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts three chains and vinrelay")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	rn := startRelayNet(ctx, t)
	startRelayer(t, rn.relay)

	t.Log("200 records: 100 per dealer chain, 10 packets of 5 records per tx")
	rn.send(ctx, t, 10, 5)
	time.Sleep(time.Second)
	require.NoError(t, rn.relay.Kill(), "SIGKILL mid-stream")
	rn.send(ctx, t, 10, 5)
	require.NoError(t, rn.relay.Start())
	rn.delivered(ctx, t, 2*time.Minute)
	out, err := rn.relay.Exec(ctx, "status")
	require.NoError(t, err)
	require.NotContains(t, string(out), "unreceived 1", out)
	t.Log(string(out))

	t.Log("two relayers with the same key on the same paths")
	second, err := rn.relay.Clone(filepath.Join(t.TempDir(), "second"))
	require.NoError(t, err)
	startRelayer(t, second)
	for range 3 {
		rn.send(ctx, t, 5, 2)
	}
	rn.delivered(ctx, t, 2*time.Minute)
	for _, v := range []*testnet.Vinrelay{rn.relay, second} {
		require.Empty(t, metric(t, v, `vinrelay_errors_total{chain="vinhub-local",kind="tx_failed"}`))
		require.Empty(t, metric(t, v, `vinrelay_errors_total{chain="dealer-a",kind="tx_failed"}`))
	}
	require.NoError(t, second.Stop())

	t.Log("packets time out while the relayer is stopped")
	require.NoError(t, rn.relay.Stop())
	rn.send(ctx, t, 1, 1)
	refresher := rn.startShortClientPath(ctx, t)
	rn.lastRecordIs(ctx, t, vehicletypes.SYNC_STATUS_IN_FLIGHT, 10*time.Second)
	time.Sleep(27 * time.Second) // past the dealer chains' 25 s packet timeout
	rn.checkRefreshed(ctx, t, refresher)
	out, err = rn.relay.Exec(ctx, "clear", "--timeout", "2m")
	require.NoError(t, err, "one-shot clearing proves the timeouts")
	require.Contains(t, string(out), "backlog cleared")
	rn.lastRecordIs(ctx, t, vehicletypes.SYNC_STATUS_PENDING, time.Minute) // the timed-out record goes back to pending
	t.Log("the next batch carries the timed-out records")
	require.NoError(t, rn.relay.Start())
	rn.send(ctx, t, 1, 1)
	rn.delivered(ctx, t, time.Minute)

	t.Log("a dealer's sealed sale crosses to the hub; the hub's regulator opens it; neither chain shows the price (sealed_relay_test.go)")
	requireSealedRecordRelayed(ctx, t, rn.nw)

	t.Log("the localnet demo: a rollback across dealer chains is flagged on the hub")
	require.NoError(t, testnet.RunNetworkDemo(ctx, rn.nw, testWriter{t}))

	t.Log("the localnet's last step: vinaudit proves the demo car, dealer-chain originals included")
	page, err := testnet.RunAuditDemo(ctx, rn.nw, t.TempDir(), testWriter{t})
	require.NoError(t, err)
	bz, err := os.ReadFile(strings.TrimSuffix(page, ".html") + ".json")
	require.NoError(t, err)
	var report audit.Report
	require.NoError(t, json.Unmarshal(bz, &report))
	origins := 0
	for _, f := range report.Findings.Facts {
		require.Equal(t, audit.Proven, f.Status, "%s: %s (%s)", f.Subject, f.Statement, f.Reason)
		if strings.HasPrefix(f.Statement, "the original is record") {
			origins++
		}
	}
	require.GreaterOrEqual(t, origins, 3, "the demo's three records from the two dealer chains, each compared with its original")

	t.Log("the warehouse indexes the network's IBC records and a lien refused over IBC (warehouse_test.go)")
	requireIBCRefusalIndexed(ctx, t, rn.nw)
}

// TestVinrelayErrors: bad configuration and unreachable chains fail with a
// message that says what to fix, and a non-zero exit.
func TestVinrelayErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: builds vinrelay")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bin := binaries(t).relayer
	v, err := testnet.NewVinrelay(ctx, bin, filepath.Join(t.TempDir(), "r"), nil)
	require.NoError(t, err)
	run := func(args ...string) error { _, err := v.Exec(ctx, args...); return err }

	_, err = (&testnet.Vinrelay{Binary: bin, Home: filepath.Join(t.TempDir(), "none")}).Exec(ctx, "start")
	require.ErrorContains(t, err, "vinrelay config init")
	require.ErrorContains(t, run("chains", "add", "hub", "localhost:26657"), `rpc "localhost:26657" is not an http://host:port address`)
	require.NoError(t, run("chains", "add", "hub", "http://127.0.0.1:1"))
	require.ErrorContains(t, run("paths", "add", "p", "hub", "nowhere"), `b.chain "nowhere" is not a configured chain`)
	require.NoError(t, run("chains", "add", "dealer-a", "http://127.0.0.1:2"))
	require.NoError(t, run("paths", "add", "p", "hub", "dealer-a"))
	require.ErrorContains(t, run("paths", "link", "nope"), `unknown path "nope"`)
	require.ErrorContains(t, run("start"), `no key "relayer" in vinrelay's keyring: add it with`)
	require.NoError(t, run("keys", "add", "hub", "relayer"))
	require.NoError(t, run("keys", "add", "dealer-a", "relayer"))
	require.ErrorContains(t, run("start"), "chain hub: rpc http://127.0.0.1:1 unreachable")
	require.ErrorContains(t, run("keys", "restore", "hub", "other", "not a mnemonic"), "never from the command line")
	_, err = v.ExecInput(ctx, "not a mnemonic\n", "keys", "restore", "hub", "other")
	require.ErrorContains(t, err, "Invalid mnemonic")
	require.ErrorContains(t, run("paths", "add", "q", "hub", "dealer-a", "--ibc", "v1"), "put flags before them")
	require.NoError(t, writeFile(filepath.Join(v.Home, "config.toml"), "[global]\nmax_msgs_per_tx = 0\n"))
	require.ErrorContains(t, run("config", "validate"), "global.max_msgs_per_tx must be at least 2")
	require.NoError(t, writeFile(filepath.Join(v.Home, "config.toml"), "[global\n"))
	require.ErrorContains(t, run("config", "show"), "config.toml:1")
}

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o600) }

// startShortClientPath links a second path to dealer-a whose hub-side client
// trusts dealer-a for only 30 s, and runs a relayer on it alone: with no
// packets at all, it must update the client before it expires.
func (rn *relayNet) startShortClientPath(ctx context.Context, t *testing.T) *testnet.Vinrelay {
	t.Helper()
	setTrustingPeriod(t, rn.relay, rn.nw.Dealers[0].ID(), 30*time.Second)
	_, err := rn.relay.Link(ctx, "short-trust", "v2", rn.nw.Hub.Node(0), rn.nw.Dealers[0].Node(0))
	require.NoError(t, err)
	v, err := rn.relay.Clone(filepath.Join(t.TempDir(), "refresher"))
	require.NoError(t, err)
	require.NoError(t, v.Start("--path", "short-trust"))
	t.Cleanup(func() { v.Stop() })
	return v
}

// checkRefreshed: the short client was updated while idle and has not expired.
func (rn *relayNet) checkRefreshed(ctx context.Context, t *testing.T, v *testnet.Vinrelay) {
	t.Helper()
	require.Eventually(t, func() bool {
		bz, err := os.ReadFile(v.Log())
		return err == nil && strings.Contains(string(bz), "refreshed light client before expiry")
	}, 30*time.Second, 500*time.Millisecond, "the idle client is refreshed before it expires")
	out, err := v.Exec(ctx, "status", "--path", "short-trust")
	require.NoError(t, err)
	require.NotContains(t, string(out), "EXPIRED", string(out))
	require.NoError(t, v.Stop())
}
