package e2e

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/testnet"
)

func TestRelaySmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	bins := binaries(t)
	root, err := testnet.RepoRoot()
	require.NoError(t, err)
	rb, err := testnet.Build(ctx, root, binDir, "vinrelay")
	require.NoError(t, err)
	dir := t.TempDir()
	hub := startNode(ctx, t, testnet.ChainSpec{Binary: bins.hub, ChainID: "vinhub-local", Home: filepath.Join(dir, "hub"),
		AdmitValidator: true, VotingPeriod: 4 * time.Second,
		Dealers: []testnet.DealerSpec{{ID: "acme", Name: "Acme Motors"}}})
	dealer := startNode(ctx, t, testnet.ChainSpec{Binary: bins.dealer, ChainID: "dealer-acme", Home: filepath.Join(dir, "dealer"),
		VotingPeriod: 4 * time.Second,
		Dealers:      []testnet.DealerSpec{{ID: "acme", Name: "Acme Motors", ReporterKeys: []string{"clerk"}}}})
	v, err := testnet.NewVinrelay(ctx, rb[0], filepath.Join(dir, "relayer"), nil)
	require.NoError(t, err)
	for _, n := range []*testnet.Node{hub, dealer} {
		_, err := v.Exec(ctx, "chains", "add", n.ChainID, strings.Replace(n.RPCAddr(), "tcp://", "http://", 1))
		require.NoError(t, err)
		_, err = v.Exec(ctx, "keys", "add", n.ChainID, "relayer")
		require.NoError(t, err)
		out, err := v.Exec(ctx, "keys", "show", n.ChainID, "relayer")
		require.NoError(t, err)
		res, err := n.Tx(ctx, testnet.ValidatorKey, "bank", "send", testnet.ValidatorKey, strings.TrimSpace(string(out)), "10000000000stake")
		require.NoError(t, err)
		require.Zero(t, res.Code, res.RawLog)
	}
	for _, ibc := range []string{"v2", "v1"} {
		p, err := v.Link(ctx, "hub-acme-"+ibc, ibc, hub, dealer)
		require.NoError(t, err, "link %s", ibc)
		t.Logf("linked %+v", p)
		if ibc == "v2" {
			require.NoError(t, testnet.BindRoute(ctx, hub, dealer, "acme", p))
		}
	}
	require.NoError(t, v.Start())
	t.Cleanup(func() {
		v.Stop()
		if t.Failed() {
			logTail(t, v.Log())
		}
	})
	res, err := dealer.Tx(ctx, "clerk", "vehicle", "record", "acme", testnet.DemoVIN, "service", "12000",
		"--at", "2026-01-05T08:00:00Z", "--description", "first service")
	require.NoError(t, err)
	require.Zero(t, res.Code, res.RawLog)
	require.Eventually(t, func() bool {
		var sync struct {
			State struct {
				Status string `json:"status"`
			} `json:"state"`
		}
		err := dealer.Query(ctx, &sync, "vehicle", "sync-status", "1")
		return err == nil && sync.State.Status == "SYNC_STATUS_SYNCED"
	}, time.Minute, 500*time.Millisecond)
	out, err := v.Exec(ctx, "status")
	require.NoError(t, err)
	t.Log(string(out))
}
