// Command localnet builds vinhubd, starts a single hub node on loopback, runs
// the vehicle demo against it and keeps the node running until interrupted.
// With -network it instead starts a hub and dealer chains (no demo), writes
// every chain's relayer mnemonic to <home>/mnemonics.json and keeps them
// running until interrupted.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/vinhub/vinhub/testnet"
)

func main() {
	home := flag.String("home", "localnet", "directory for the node home and binaries (wiped first)")
	exit := flag.Bool("exit", false, "stop the node after the demo instead of waiting for Ctrl-C")
	network := flag.Bool("network", false, "start a hub and dealer chains instead of the demo")
	validators := flag.Int("validators", 1, "with -network: hub validators")
	dealers := flag.Int("dealers", 2, "with -network: dealer chains")
	flag.Parse()
	var err error
	if *network {
		err = runNetwork(*home, *validators, *dealers, *exit)
	} else {
		err = run(*home, *exit)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "localnet:", err)
		os.Exit(1)
	}
}

func run(home string, exitAfterDemo bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root, err := testnet.RepoRoot()
	if err != nil {
		return err
	}
	home, err = filepath.Abs(home)
	if err != nil {
		return err
	}
	fmt.Println("==> building vinhubd")
	bins, err := testnet.Build(ctx, root, filepath.Join(home, "bin"), "vinhubd")
	if err != nil {
		return err
	}
	node, err := testnet.InitSingleNode(ctx, testnet.DemoChainSpec(bins[0], filepath.Join(home, "hub")))
	if err != nil {
		return err
	}
	if err := node.Start(); err != nil {
		return err
	}
	defer node.Stop()
	startCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := node.WaitHeight(startCtx, 2); err != nil {
		return err
	}
	fmt.Printf("==> hub node up: rpc %s, grpc %s, rest %s (log %s)\n", node.RPCAddr(), node.GRPCAddr(), node.APIAddr(), filepath.Join(node.Home, "node.log"))
	demoCtx, cancelDemo := context.WithTimeout(ctx, 5*time.Minute)
	defer cancelDemo()
	if _, err := testnet.RunVehicleDemo(demoCtx, node, os.Stdout); err != nil {
		return err
	}
	fmt.Printf("==> try: %s query vehicle history %s --home %s\n", node.Binary, testnet.DemoVIN, node.Home)
	fmt.Printf("==> or:  curl %s/vinhub/vehicle/v1/vehicles/%s/summary\n", node.APIAddr(), testnet.DemoVIN)
	if exitAfterDemo {
		return nil
	}
	fmt.Println("==> node keeps running; Ctrl-C to stop")
	<-ctx.Done()
	return nil
}

// runNetwork starts a hub and dealer chains and keeps them running until
// interrupted; the network is stopped on every way out.
func runNetwork(home string, validators, dealers int, exitAfterStart bool) error {
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
	fmt.Println("==> building vinhubd and dealerd")
	bins, err := testnet.Build(ctx, root, filepath.Join(home, "bin"), "vinhubd", "dealerd")
	if err != nil {
		return err
	}
	nw, err := testnet.StartNetwork(ctx, testnet.NetworkSpec{Dir: home, HubValidators: validators,
		Dealers: dealers, NoDealers: dealers == 0, HubBinary: bins[0], DealerBinary: bins[1]})
	if nw != nil {
		defer nw.Stop()
	}
	if err != nil {
		return err
	}
	mnemonics := map[string]string{}
	for _, c := range nw.Chains() {
		n := c.Node(0)
		fmt.Printf("==> %s: %d node(s), rpc %s, grpc %s, rest %s, home %s\n", c.ID(), len(c.Nodes), n.RPCAddr(), n.GRPCAddr(), n.APIAddr(), n.Home)
		if c.DealerID != "" {
			fmt.Printf("    dealer %s, reporter key %q\n", c.DealerID, c.ReporterKey)
		}
		mnemonics[c.ID()] = c.Mnemonics[testnet.RelayerKey]
	}
	bz, _ := json.MarshalIndent(mnemonics, "", "  ")
	if err := os.WriteFile(filepath.Join(home, "mnemonics.json"), bz, 0o600); err != nil {
		return err
	}
	fmt.Printf("==> relayer mnemonics (key %q) by chain id: %s\n", testnet.RelayerKey, filepath.Join(home, "mnemonics.json"))
	fmt.Printf("==> logs: %v\n", nw.Logs())
	if exitAfterStart {
		return nil
	}
	fmt.Println("==> network keeps running; Ctrl-C to stop")
	<-ctx.Done()
	fmt.Println("==> stopping")
	return nil
}
