// Command localnet runs the whole vinhub network on loopback: it builds the
// binaries, starts a hub and dealer chains as real processes, links each
// dealer chain to the hub with vinrelay (the first over IBC v2, the second
// over a classic IBC v1 channel), binds the routes by governance, runs the
// cross-chain vehicle demo and the finance demo, then swaps the car's title
// against lumens on a Stellar ledger simulator and against bitcoin on a
// real btcd simnet; four notaries then attest a garage's record kept in
// PostgreSQL into the car's history; everything keeps running until Ctrl-C.
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
	"github.com/vinhub/vinhub/testnet"
	vehicletestutil "github.com/vinhub/vinhub/x/vehicle/testutil"
)

func main() {
	home := flag.String("home", "localnet", "run directory: binaries, chain homes, vinrelay home (wiped first)")
	exit := flag.Bool("exit", false, "stop everything after the demo instead of waiting for Ctrl-C")
	validators := flag.Int("validators", 1, "hub validators")
	dealers := flag.Int("dealers", 2, "dealer chains (at least 2 for the demo)")
	blockTime := flag.Duration("block-time", time.Second, "block time of every chain")
	flag.Parse()
	if err := run(*home, *validators, *dealers, *blockTime, *exit); err != nil {
		fmt.Fprintln(os.Stderr, "localnet:", err)
		os.Exit(1)
	}
}

func run(home string, validators, dealers int, blockTime time.Duration, exitAfterDemo bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	home, err := filepath.Abs(home)
	if err != nil {
		return err
	}
	root, err := testnet.RepoRoot()
	if err != nil {
		return err
	}
	fmt.Println("==> building vinhubd, dealerd and vinrelay")
	bins, err := testnet.Build(ctx, root, filepath.Join(home, "bin"), "vinhubd", "dealerd", "vinrelay")
	if err != nil {
		return err
	}
	signers, notaryKeys, err := testnet.DrawNotaries(4)
	if err != nil {
		return err
	}
	fmt.Printf("==> starting the hub (%d validator(s), 4 notaries) and %d dealer chains\n", validators, dealers)
	nw, err := testnet.StartNetwork(ctx, testnet.NetworkSpec{Dir: filepath.Join(home, "chains"), HubValidators: validators,
		Dealers: dealers, BlockTime: blockTime, VotingPeriod: 5 * time.Second, HubBinary: bins[0], DealerBinary: bins[1],
		HubGenesisEdit: testnet.ShortSwapLocks, Notaries: notaryKeys,
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
	fmt.Println("==> starting PostgreSQL (the garage's ledger) and 4 notaries (threshold 3)")
	notaries, err := testnet.StartNotaryDemo(ctx, nw.Hub, bins[2], filepath.Join(home, "notaries"), signers)
	if notaries != nil {
		defer notaries.Stop()
	}
	if err != nil {
		return fmt.Errorf("notary demo: %w", err)
	}
	notaryCtx, cancelNotary := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelNotary()
	if _, err := notaries.Run(notaryCtx, nw.Hub.Node(0), os.Stdout); err != nil {
		return fmt.Errorf("notary demo: %w", err)
	}
	report, err := testnet.RunAuditDemo(ctx, nw, filepath.Join(home, "vinaudit"), os.Stdout)
	if err != nil {
		return fmt.Errorf("audit demo: %w", err)
	}
	fmt.Printf("==> the audit report of %s: %s (open it in a browser; it needs no network)\n", testnet.DemoVIN, report)
	printGuide(nw, relay, bins, notaries)
	if exitAfterDemo {
		return nil
	}
	fmt.Println("==> the network keeps running; Ctrl-C to stop")
	<-ctx.Done()
	return nil
}

func printGuide(nw *testnet.Network, relay *testnet.Vinrelay, bins []string, notaries *testnet.NotaryDemo) {
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
	fmt.Printf("    %s --home %s --keyring-backend test notary status\n", bins[2], notaries.Notaries[0].Home)
}
