// Command localnet runs the whole vinhub network on loopback: it builds the
// binaries, starts a hub and dealer chains as real processes, links each
// dealer chain to the hub with vinrelay (the first over IBC v2, the second
// over a classic IBC v1 channel), binds the routes by governance, runs the
// cross-chain vehicle demo and the finance demo, then swaps the car's title
// against lumens on a Stellar ledger simulator and against bitcoin on a
// real btcd simnet; four notaries then attest a garage's record kept in
// PostgreSQL into the car's history and repay a hub loan paid in lumens;
// vinindex streams the hub into the regulator's warehouse in the same
// PostgreSQL; everything keeps running until Ctrl-C (-notaries-only: the
// notary demo alone).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/vinhub/vinhub/relayer"
	"github.com/vinhub/vinhub/relayer/notary"
	"github.com/vinhub/vinhub/testnet"
	"github.com/vinhub/vinhub/testnet/stellarsim"
	vehicletestutil "github.com/vinhub/vinhub/x/vehicle/testutil"
)

func main() {
	home := flag.String("home", "localnet", "run directory: binaries, chain homes, vinrelay home (wiped first)")
	exit := flag.Bool("exit", false, "stop everything after the demo instead of waiting for Ctrl-C")
	validators := flag.Int("validators", 1, "hub validators")
	dealers := flag.Int("dealers", 2, "dealer chains (at least 2 for the demo)")
	blockTime := flag.Duration("block-time", time.Second, "block time of every chain")
	notariesOnly := flag.Bool("notaries-only", false, "run only the notary demo: a hub without dealer chains, the Stellar simulator, PostgreSQL and 4 notaries")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dir, err := filepath.Abs(*home)
	if err == nil && *notariesOnly {
		err = runNotaries(ctx, dir, *validators, *blockTime, *exit)
	} else if err == nil {
		err = run(ctx, dir, *validators, *dealers, *blockTime, *exit)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "localnet:", err)
		stop()
		os.Exit(1)
	}
}

func run(ctx context.Context, home string, validators, dealers int, blockTime time.Duration, exitAfterDemo bool) error {
	fmt.Println("==> building vinhubd, dealerd, vinrelay and vinindex")
	bins, err := testnet.BuildInto(ctx, home, "vinhubd", "dealerd", "vinrelay", "vinindex")
	if err != nil {
		return err
	}
	// A swap's secret file is never overwritten (a secret is used once), so
	// a second run in the same home starts from empty demo directories.
	for _, dir := range []string{"swaps", "vinaudit", "vinindex"} {
		if err := os.RemoveAll(filepath.Join(home, dir)); err != nil {
			return err
		}
	}
	signers, notaryKeys, err := testnet.DrawNotaries(4)
	if err != nil {
		return err
	}
	fmt.Printf("==> starting the hub (%d validator(s), 4 notaries) and %d dealer chains\n", validators, dealers)
	nw, err := testnet.StartNetwork(ctx, testnet.NetworkSpec{Dir: filepath.Join(home, "chains"), HubValidators: validators,
		Dealers: dealers, BlockTime: blockTime, VotingPeriod: 5 * time.Second, HubBinary: bins[0], DealerBinary: bins[1],
		HubGenesisEdit: hubGenesis, Notaries: notaryKeys,
		LedgerDealers: map[string]string{testnet.DemoLedgerDealer: testnet.DemoLedgerID}})
	if nw != nil {
		defer func() {
			fmt.Println("==> stopping")
			nw.Stop()
		}()
	}
	if err != nil {
		return err
	}
	fmt.Println("==> vinrelay links each dealer chain to the hub; governance on both sides binds the routes")
	relay, paths, err := testnet.LinkNetwork(ctx, nw, bins[2], filepath.Join(home, "vinrelay"), []string{relayer.IBCv2, relayer.IBCv1}, nil)
	if err != nil {
		return err
	}
	for _, p := range paths {
		fmt.Printf("    path %s (IBC %s): hub %s %s <-> %s %s %s\n", p.Name, p.IBC, p.A.ClientID, p.A.ChannelID, p.B.Chain, p.B.ClientID, p.B.ChannelID)
	}
	if err := relay.Start(); err != nil {
		return err
	}
	defer relay.Stop()
	demoCtx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	if err := testnet.RunNetworkDemo(demoCtx, nw, os.Stdout); err != nil {
		return fmt.Errorf("%w (logs: %s, %v)", err, relay.Log(), nw.Logs())
	}
	// After the finance demo the lender holds the car; it sells it on.
	swapCtx, cancelSwap := context.WithTimeout(ctx, 5*time.Minute)
	defer cancelSwap()
	rails, err := testnet.RunSwapDemo(swapCtx, nw.Hub, bins[2], filepath.Join(home, "swaps"), testnet.DemoLender, testnet.DemoOwner, os.Stdout)
	if rails != nil {
		defer rails.Stop()
	}
	if err != nil {
		return fmt.Errorf("swap demo: %w", err)
	}
	notaries, err := notaryDemo(ctx, nw, bins[2], home, signers, rails.Stellar)
	if notaries != nil {
		defer notaries.Stop()
	}
	if err != nil {
		return err
	}
	fmt.Println("==> vinindex streams the hub into the regulator's warehouse (PostgreSQL, schema vinindex)")
	warehouseCtx, cancelWarehouse := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelWarehouse()
	warehouse, err := testnet.StartWarehouse(warehouseCtx, notaries.PG, bins[3], filepath.Join(home, "vinindex"), nw.Hub.Node(0))
	if warehouse != nil {
		defer warehouse.Stop()
	}
	if err != nil {
		return fmt.Errorf("warehouse: %w", err)
	}
	report, err := testnet.RunAuditDemo(ctx, nw, filepath.Join(home, "vinaudit"), os.Stdout)
	if err != nil {
		return fmt.Errorf("audit demo: %w", err)
	}
	fmt.Printf("==> the audit report of %s: %s (open it in a browser; it needs no network)\n", testnet.DemoVIN, report)
	printGuide(nw, relay, bins, notaries, warehouse)
	if exitAfterDemo {
		return nil
	}
	fmt.Println("==> the network keeps running; Ctrl-C to stop")
	<-ctx.Done()
	return nil
}

func printGuide(nw *testnet.Network, relay *testnet.Vinrelay, bins []string, notaries *testnet.NotaryDemo, warehouse *testnet.Vinindex) {
	fmt.Println("==> endpoints")
	for _, c := range nw.Chains() {
		n := c.Node(0)
		fmt.Printf("    %-13s rpc %s  grpc %s  rest %s  home %s\n", c.ID(), n.RPCAddr(), n.GRPCAddr(), n.APIAddr(), n.Home)
	}
	fmt.Printf("    vinrelay      metrics http://%s/metrics  home %s  log %s\n", relay.MetricsAddr, relay.Home, relay.Log())
	for i, n := range notaries.Notaries {
		fmt.Printf("    notary-%d      metrics http://%s/metrics  home %s  log %s\n", i, n.MetricsAddr, n.Home, n.Log())
	}
	fmt.Printf("    postgresql    %s\n", notaries.PSQL())
	fmt.Printf("    vinindex      metrics http://%s/metrics  log %s\n", warehouse.MetricsAddr, warehouse.Log())
	hub, a := nw.Hub.Node(0), nw.Dealers[0]
	fmt.Println("==> try")
	fmt.Printf("    %s query vehicle history %s --home %s\n", bins[0], testnet.DemoVIN, hub.Home)
	fmt.Printf("    %s query vehicle record-by-origin %s 1 --home %s\n", bins[0], a.ID(), hub.Home)
	fmt.Printf("    %s query vehicle vehicle-sync-status %s --home %s\n", bins[1], testnet.DemoVIN, a.Node(0).Home)
	fmt.Printf("    %s tx vehicle record %s %s service 61000 --at 2026-05-01T09:00:00Z --from %s --home %s\n",
		bins[1], a.DealerID, testnet.DemoVIN, a.ReporterKey, a.Node(0).Home)
	fmt.Printf("    %s --home %s --keyring-backend test status\n", bins[2], relay.Home)
	fmt.Printf("    %s --home %s --keyring-backend test swap status %s\n", bins[2], filepath.Join(filepath.Dir(relay.Home), "swaps", "seller"),
		filepath.Join(filepath.Dir(relay.Home), "swaps", "title-for-lumens.json"))
	fmt.Printf("    curl %s/vinhub/vehicle/v1/vehicles/%s/summary\n", hub.APIAddr(), testnet.DemoVIN)
	fmt.Printf("    %s -c \"INSERT INTO vinhub_ledger (record_ref, vin, kind, odometer_km, occurred_at) VALUES ('invoice-1002', '%s', 'mileage', 49000, now())\"\n",
		notaries.PSQL(), vehicletestutil.VIN(60))
	fmt.Printf("    %s query vehicle history %s --home %s      # the garage's rows, with ledger_origin\n", bins[0], vehicletestutil.VIN(60), hub.Home)
	fmt.Printf("    %s query notary attestations --home %s\n", bins[0], hub.Home)
	fmt.Printf("    %s      # the regulator's warehouse (docs/warehouse.md)\n", warehouse.PSQL())
	fmt.Printf("    %s --home %s --keyring-backend test notary status\n", bins[2], notaries.Notaries[0].Home)
}

// hubGenesis shortens swap locks for the demo and accepts the Stellar
// simulator's network as a notary payment source (a loan repaid in lumens).
func hubGenesis(appState map[string]any) error {
	if err := testnet.ShortSwapLocks(appState); err != nil {
		return err
	}
	return testnet.AcceptPaymentSources(testnet.StellarNetworkID(stellarsim.DefaultPassphrase), "")(appState)
}

// notaryDemo starts PostgreSQL and the notaries (homes under home) and
// runs the notary steps: a garage's ledger record into the car's history,
// then a hub loan repaid in lumens on sim. The caller stops the demo.
func notaryDemo(ctx context.Context, nw *testnet.Network, relayBin, home string, signers map[string]notary.Signer, sim *stellarsim.Sim) (*testnet.NotaryDemo, error) {
	dir := filepath.Join(home, "notaries")
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	fmt.Println("==> starting PostgreSQL (the garage's ledger) and 4 notaries (threshold 3)")
	notaries, err := testnet.StartNotaryDemo(ctx, nw.Hub, relayBin, dir, signers, sim)
	if err != nil {
		return notaries, fmt.Errorf("notary demo: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if _, err := notaries.Run(ctx, nw.Hub.Node(0), os.Stdout); err != nil {
		return notaries, fmt.Errorf("notary demo: %w", err)
	}
	if _, err := notaries.RepayInLumens(ctx, nw.Hub.Node(0), os.Stdout); err != nil {
		return notaries, fmt.Errorf("notary demo: %w", err)
	}
	return notaries, nil
}

// runNotaries is -notaries-only: the hub (no dealer chains), the Stellar
// simulator, PostgreSQL and 4 notaries, and the notary demo alone.
func runNotaries(ctx context.Context, home string, validators int, blockTime time.Duration, exitAfterDemo bool) error {
	fmt.Println("==> building vinhubd and vinrelay")
	bins, err := testnet.BuildInto(ctx, home, "vinhubd", "vinrelay")
	if err != nil {
		return err
	}
	signers, notaryKeys, err := testnet.DrawNotaries(4)
	if err != nil {
		return err
	}
	fmt.Println("==> starting the hub (4 notaries) and the Stellar ledger simulator")
	nw, err := testnet.StartNetwork(ctx, testnet.NetworkSpec{Dir: filepath.Join(home, "chains"), HubValidators: validators, NoDealers: true,
		BlockTime: blockTime, HubBinary: bins[0], HubGenesisEdit: hubGenesis, Notaries: notaryKeys,
		LedgerDealers: map[string]string{testnet.DemoLedgerDealer: testnet.DemoLedgerID}})
	if nw != nil {
		defer nw.Stop()
	}
	if err != nil {
		return err
	}
	sim, err := stellarsim.New(stellarsim.Config{})
	if err != nil {
		return err
	}
	if _, err := sim.Start(""); err != nil {
		return err
	}
	defer sim.Close()
	notaries, err := notaryDemo(ctx, nw, bins[1], home, signers, sim)
	if notaries != nil {
		defer notaries.Stop()
	}
	if err != nil {
		return err
	}
	if exitAfterDemo {
		return nil
	}
	fmt.Printf("==> the hub (RPC %s) and notaries (homes under %s) keep running; Ctrl-C to stop\n", nw.Hub.Node(0).RPCAddr(), filepath.Join(home, "notaries"))
	<-ctx.Done()
	return nil
}
