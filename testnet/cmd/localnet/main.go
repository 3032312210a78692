// Command localnet builds vinhubd, starts a single hub node on loopback, runs
// the vehicle demo against it and keeps the node running until interrupted.
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

	"github.com/vinhub/vinhub/testnet"
)

func main() {
	home := flag.String("home", "localnet", "directory for the node home and binaries (wiped first)")
	exit := flag.Bool("exit", false, "stop the node after the demo instead of waiting for Ctrl-C")
	flag.Parse()
	if err := run(*home, *exit); err != nil {
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
