package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/client"
	"github.com/vinhub/vinhub/relayer"
	vrcli "github.com/vinhub/vinhub/relayer/cli"
	"github.com/vinhub/vinhub/testnet"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// recoverTrusting is how long the hub's client of the dealer chain trusts
// it in TestRecoverExpiredDealerClient: short, so it expires within the
// test, and long enough for a running vinrelay to refresh it on a busy
// machine (it steps every 10 s at the latest).
const recoverTrusting = 30 * time.Second

// TestRecoverExpiredDealerClient: the hub's light client of a dealer chain
// (trusting it for 30 s) expires while vinrelay is stopped and records
// wait on the dealer chain. `vinrelay client recover` refuses the dealer's
// (active) client of the hub, creates a substitute for the expired one and
// submits the MsgRecoverClient proposal it drafted (the file the hub's own
// `tx gov submit-proposal` reads); the hub's governance passes it. The path
// keeps its client ids; vinrelay, restarted, delivers every waiting record
// to the hub exactly once, and the next records after them.
func TestRecoverExpiredDealerClient(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts two chains and vinrelay")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	bins := binaries(t)
	dir := t.TempDir()
	nw := startNetwork(ctx, t, testnet.NetworkSpec{Dir: dir, Dealers: 1, HubBinary: bins.hub, DealerBinary: bins.dealer,
		BlockTime: time.Second, VotingPeriod: 8 * time.Second})
	hub, dealer := nw.Hub, nw.Dealers[0]
	relay, path := linkShortTrust(ctx, t, nw, bins.relayer, filepath.Join(dir, "vinrelay"))
	startRelayer(t, relay) // from here on it keeps the short client refreshed
	require.NoError(t, testnet.BindRoute(ctx, hub, dealer, dealer.DealerID, path))
	load, err := testnet.NewRecordLoad(dealer.Node(0), dealer.ReporterKey, dealer.DealerID)
	require.NoError(t, err)
	_, err = load.Send(ctx, 2, 2)
	require.NoError(t, err)
	requireDelivered(ctx, t, hub, dealer, load, time.Minute)

	t.Log("vinrelay stops; records wait on the dealer chain while the hub's client of it expires")
	require.NoError(t, relay.Stop())
	for range 2 {
		_, err = load.Send(ctx, 3, 2)
		require.NoError(t, err)
	}
	requireLastRecord(ctx, t, dealer, load, vehicletypes.SYNC_STATUS_IN_FLIGHT, 10*time.Second)
	require.Eventually(t, func() bool {
		out, err := relay.Exec(ctx, "status")
		return err == nil && strings.Contains(string(out), "EXPIRED")
	}, 2*recoverTrusting, time.Second, "the hub's client of %s expires", dealer.ID())
	_, err = relay.Exec(ctx, "client", "recover", "--side", "b", path.Name)
	require.ErrorContains(t, err, "nothing to recover", "the dealer chain's client of the hub is active")

	t.Log("vinrelay client recover: a substitute, and the proposal; the hub's governance passes it")
	setTrustingPeriod(t, relay, dealer.ID(), 0) // the substitute, and so the recovered client, trusts 2/3 of the unbonding period
	out, err := relay.Exec(ctx, "client", "recover", "--submit", "--from", "relayer", path.Name)
	require.NoError(t, err)
	t.Log(string(out))
	file, id := recoveryOutput(t, string(out))
	drafted, err := hub.Node(0).Exec(ctx, "tx", "gov", "submit-proposal", file, "--generate-only",
		"--from", testnet.ValidatorKey, "--keyring-backend", "test", "--chain-id", hub.ID(), "--node", hub.Node(0).RPCAddr())
	require.NoError(t, err, "the hub's CLI reads the drafted proposal")
	require.Contains(t, string(drafted), "/ibc.core.client.v1.MsgRecoverClient")
	require.Contains(t, string(drafted), path.A.ClientID)
	require.NoError(t, hub.PassSubmitted(ctx, id))
	out, err = relay.Exec(ctx, "status")
	require.NoError(t, err)
	require.NotContains(t, string(out), "EXPIRED", string(out))
	cfg, err := vrcli.LoadConfig(relay.Home)
	require.NoError(t, err)
	kept, err := cfg.Path(path.Name)
	require.NoError(t, err)
	require.Equal(t, path, kept, "the path keeps its ids: the subject client is the path's client again")

	t.Log("vinrelay, restarted, delivers the waiting records exactly once, then the next")
	require.NoError(t, relay.Start())
	requireDelivered(ctx, t, hub, dealer, load, 2*time.Minute)
	_, err = load.Send(ctx, 1, 1)
	require.NoError(t, err)
	requireDelivered(ctx, t, hub, dealer, load, time.Minute)
}

// linkShortTrust configures vinrelay in home for the hub and dealer-a,
// with the hub's client of dealer-a trusting it for recoverTrusting (and
// refreshed while vinrelay runs, with 60% of it left), and links them over
// a classic v1 channel.
func linkShortTrust(ctx context.Context, t *testing.T, nw *testnet.Network, binary, home string) (*testnet.Vinrelay, relayer.PathConfig) {
	t.Helper()
	relay, err := testnet.NewVinrelay(ctx, binary, home, func(g *relayer.GlobalConfig) { g.RefreshFraction = 0.6 })
	require.NoError(t, err)
	for _, c := range nw.Chains() {
		require.NoError(t, relay.AddChain(ctx, c.Node(0), c.Mnemonics[testnet.RelayerKey]))
	}
	dealer := nw.Dealers[0]
	setTrustingPeriod(t, relay, dealer.ID(), recoverTrusting)
	path, err := relay.Link(ctx, testnet.PathName(dealer.ID()), relayer.IBCv1, nw.Hub.Node(0), dealer.Node(0))
	require.NoError(t, err)
	return relay, path
}

// setTrustingPeriod sets chain's trusting_period in relay's configuration:
// the trusting period of the clients vinrelay creates of it next.
func setTrustingPeriod(t *testing.T, relay *testnet.Vinrelay, chain string, d time.Duration) {
	t.Helper()
	cfg, err := vrcli.LoadConfig(relay.Home)
	require.NoError(t, err)
	for i := range cfg.Chains {
		if cfg.Chains[i].ID == chain {
			cfg.Chains[i].TrustingPeriod = client.Duration{Duration: d}
		}
	}
	require.NoError(t, cfg.Save(relay.Home))
}

// recoveryOutput reads the proposal file and id `client recover --submit` printed.
func recoveryOutput(t *testing.T, out string) (string, uint64) {
	t.Helper()
	file := regexp.MustCompile(`(?m)^proposal: (\S+)$`).FindStringSubmatch(out)
	submitted := regexp.MustCompile(`(?m)^proposal (\d+) submitted`).FindStringSubmatch(out)
	require.NotNil(t, file, out)
	require.NotNil(t, submitted, out)
	var id uint64
	_, err := fmt.Sscan(submitted[1], &id)
	require.NoError(t, err)
	return file[1], id
}
