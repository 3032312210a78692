// Command benchrelay measures vinrelay on real nodes: a hub and two dealer
// chains (one linked over IBC v2, one over a v1 channel) on loopback; the
// dealer chains send record packets, vinrelay delivers them and brings the
// acknowledgements back. It prints a Markdown report for docs/benchmarks.md.
// With -index, vinindex follows the hub into a real PostgreSQL meanwhile and
// the report adds its lag in blocks during the load and its catch-up after.
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/vinhub/vinhub/relayer"
	"github.com/vinhub/vinhub/testnet"
)

func main() {
	home := flag.String("home", "build/benchrelay", "run directory (wiped first)")
	packets := flag.Int("packets", 1000, "record packets in total, split over the two dealer chains")
	perTx := flag.Int("per-tx", 50, "packets per dealer transaction")
	maxMsgs := flag.Int("max-msgs", 100, "vinrelay global.max_msgs_per_tx")
	blockTime := flag.Duration("block-time", time.Second, "block time of every chain")
	backlog := flag.Bool("backlog", false, "send every packet before starting vinrelay, to measure backlog clearing")
	index := flag.Bool("index", false, "also run vinindex following the hub into a real PostgreSQL and report its lag in blocks during the load")
	peer := flag.Bool("peer", false, "compare vinrelay with rly v2.6.0 on identical backlogs (hub + one dealer chain over IBC v1); see -workloads, -runs")
	workloads := flag.String("workloads", "1000x1,1000x50,5000x1,5000x50,stream:50,stream:100,stream:200,stream:400,1000x50:kill,1000x50:outage",
		"-peer: backlogs as <packets>x<packets per dealer tx>[:kill|:outage], or stream:<packets/s offered>, comma-separated")
	runs := flag.Int("runs", 5, "-peer: runs per relayer and workload, interleaved vinrelay, rly, vinrelay, ...")
	gasAdjust := flag.Float64("gas-adjustment", 1.5, "-peer: gas adjustment of both relayers")
	clearEvery := flag.Duration("clear-interval", time.Minute, "-peer: vinrelay clear_interval and rly --flush-interval")
	streamFor := flag.Duration("stream-for", time.Minute, "-peer: how long stream:<rate> workloads offer packets")
	outage := flag.Duration("outage", 30*time.Second, "-peer: how long the hub's RPC is down in :outage workloads")
	runLimit := flag.Duration("run-limit", 12*time.Minute, "-peer: a relayer that has not cleared a run's work this long after its start stalled; the run is reported as such")
	pin := flag.Bool("pin", true, "-peer: pin chains and load to CPU 0 and the relayer to CPU 1 (taskset)")
	flag.Parse()
	if *peer && *index {
		fmt.Fprintln(os.Stderr, "benchrelay: -index runs without -peer only")
		os.Exit(2)
	}
	if *peer {
		if err := peerMain(*home, *workloads, *runs, *maxMsgs, *gasAdjust, *clearEvery, *blockTime, *outage, *streamFor, *runLimit, *pin); err != nil {
			fmt.Fprintln(os.Stderr, "benchrelay -peer:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*home, *packets, *perTx, *maxMsgs, *blockTime, *backlog, *index); err != nil {
		fmt.Fprintln(os.Stderr, "benchrelay:", err)
		os.Exit(1)
	}
}

// peerMain runs runPeer with a deadline and signal handling.
func peerMain(home, workloads string, runs, maxMsgs int, gasAdjust float64, clearEvery, blockTime, outage, streamFor, runLimit time.Duration, pin bool) error {
	ws, err := parseWorkloads(workloads)
	if err != nil {
		return err
	}
	if runs < 1 {
		return fmt.Errorf("-runs %d: at least 1", runs)
	}
	home, err = filepath.Abs(home)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 6*time.Hour)
	defer cancel()
	return runPeer(ctx, peerOptions{home: home, workloads: ws, runs: runs, maxMsgs: maxMsgs, gasAdjust: gasAdjust,
		clear: clearEvery, blockTime: blockTime, outage: outage, streamFor: streamFor, runLimit: runLimit, pin: pin})
}

func run(home string, packets, perTx, maxMsgs int, blockTime time.Duration, backlog, index bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	root, err := testnet.RepoRoot()
	if err != nil {
		return err
	}
	home, err = filepath.Abs(home)
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "==> building")
	progs := []string{"vinhubd", "dealerd", "vinrelay"}
	if index {
		progs = append(progs, "vinindex")
	}
	bins, err := testnet.Build(ctx, root, filepath.Join(home, "bin"), progs...)
	if err != nil {
		return err
	}
	nw, err := testnet.StartNetwork(ctx, testnet.NetworkSpec{Dir: filepath.Join(home, "net"), HubBinary: bins[0], DealerBinary: bins[1],
		BlockTime: blockTime, VotingPeriod: 3 * time.Second})
	if nw != nil {
		defer nw.Stop()
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "==> linking")
	relay, paths, err := testnet.LinkNetwork(ctx, nw, bins[2], filepath.Join(home, "vinrelay"), []string{relayer.IBCv2, relayer.IBCv1},
		func(g *relayer.GlobalConfig) { g.MaxMsgsPerTx = maxMsgs })
	if err != nil {
		return err
	}
	var follow *follower
	if index {
		fmt.Fprintln(os.Stderr, "==> starting PostgreSQL and vinindex following the hub")
		if follow, err = startFollower(ctx, bins[3], filepath.Join(home, "vinindex"), nw.Hub.Node(0)); err != nil {
			return err
		}
		defer follow.close()
	}
	if !backlog {
		if err := relay.Start(); err != nil {
			return err
		}
	}
	defer relay.Stop()
	hubFrom, err := nw.Hub.Node(0).Height(ctx)
	if err != nil {
		return err
	}
	loads := make([]*testnet.RecordLoad, len(nw.Dealers))
	from := make([]int64, len(nw.Dealers))
	for i, d := range nw.Dealers {
		if loads[i], err = testnet.NewRecordLoad(d.Node(0), d.ReporterKey, d.DealerID); err != nil {
			return err
		}
		loads[i].FirstVIN = 1000 * (i + 1)
		if from[i], err = d.Node(0).Height(ctx); err != nil {
			return err
		}
	}
	if follow != nil {
		if err := follow.sample(ctx, blockTime/10); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "==> sending %d packets\n", packets)
	if err := sendAll(ctx, loads, packets/len(loads), perTx); err != nil {
		return err
	}
	started := time.Now()
	if backlog {
		fmt.Fprintln(os.Stderr, "==> starting vinrelay on the backlog")
		if err := relay.Start(); err != nil {
			return err
		}
	}
	for i, d := range nw.Dealers {
		if err := waitDelivered(ctx, nw.Hub.Node(0), d.Node(0), loads[i]); err != nil {
			return err
		}
	}
	rss, err := testnet.PeakRSS(relay.PID())
	if err != nil {
		return err
	}
	txs, err := relay.Metrics("vinrelay_tx_latency_seconds_count")
	if err != nil {
		return err
	}
	var all []testnet.PacketTimes
	for i, d := range nw.Dealers {
		pts, err := testnet.TracePackets(ctx, paths[i], nw.Hub.Node(0), d.Node(0), hubFrom, from[i])
		if err != nil {
			return err
		}
		report(fmt.Sprintf("%s (IBC %s)", d.ID(), paths[i].IBC), pts, blockTime)
		all = append(all, pts...)
	}
	report("all", all, blockTime)
	if backlog {
		var lastAck time.Time
		for _, p := range all {
			if p.DealerAckAt.After(lastAck) {
				lastAck = p.DealerAckAt
			}
		}
		span := lastAck.Sub(started).Seconds()
		fmt.Printf("\nbacklog of %d packets cleared (received and acknowledged) %.1f s after vinrelay started: %.1f packets/s\n", len(all), span, float64(len(all))/span)
	}
	fmt.Printf("\nrelay txs committed: %s\nvinrelay peak RSS: %.1f MiB\n", strings.Join(txs, "; "), float64(rss)/(1<<20))
	if follow == nil {
		return nil
	}
	committed := map[string]int{}
	for i, d := range nw.Dealers {
		committed[d.ID()] = loads[i].Sent
	}
	end := slices.MaxFunc(all, func(a, b testnet.PacketTimes) int { return cmp.Compare(a.HubAckHeight, b.HubAckHeight) })
	return follow.finish(ctx, end.HubAckHeight, committed)
}

func sendAll(ctx context.Context, loads []*testnet.RecordLoad, each, perTx int) error {
	var wg sync.WaitGroup
	errs := make([]error, len(loads))
	for i, l := range loads {
		wg.Go(func() {
			for sent := 0; sent < each && errs[i] == nil; sent += perTx {
				_, errs[i] = l.Send(ctx, min(perTx, each-sent), 1)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func waitDelivered(ctx context.Context, hub, dealer *testnet.Node, load *testnet.RecordLoad) error {
	for {
		err := testnet.CheckDelivered(ctx, hub, dealer, load, load.Sent)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("not delivered: %w (%v)", ctx.Err(), err)
		case <-time.After(time.Second):
		}
	}
}

// report prints throughput and latency percentiles for one set of packets.
func report(name string, pts []testnet.PacketTimes, blockTime time.Duration) {
	var hubLat, rtLat []float64
	var rtBlocks []int64
	first, last := pts[0].SendTime, pts[0].DealerAckAt
	for _, p := range pts {
		hubLat = append(hubLat, p.HubAckTime.Sub(p.SendTime).Seconds())
		rtLat = append(rtLat, p.DealerAckAt.Sub(p.SendTime).Seconds())
		rtBlocks = append(rtBlocks, p.AckHeight-p.SendHeight)
		if p.SendTime.Before(first) {
			first = p.SendTime
		}
		if p.DealerAckAt.After(last) {
			last = p.DealerAckAt
		}
	}
	slices.Sort(hubLat)
	slices.Sort(rtLat)
	slices.Sort(rtBlocks)
	span := last.Sub(first).Seconds()
	bt := blockTime.Seconds()
	fmt.Printf("\n%s: %d packets, first send to last ack %.1f s = %.1f packets/s\n", name, len(pts), span, float64(len(pts))/span)
	fmt.Printf("| latency | p50 | p99 |\n|---|---|---|\n")
	fmt.Printf("| send committed -> hub ack written (s) | %.2f | %.2f |\n", testnet.Percentile(hubLat, 50), testnet.Percentile(hubLat, 99))
	fmt.Printf("| send committed -> hub ack written (blocks of %s) | %.1f | %.1f |\n", blockTime, testnet.Percentile(hubLat, 50)/bt, testnet.Percentile(hubLat, 99)/bt)
	fmt.Printf("| send committed -> ack back on dealer (s) | %.2f | %.2f |\n", testnet.Percentile(rtLat, 50), testnet.Percentile(rtLat, 99))
	fmt.Printf("| send committed -> ack back on dealer (dealer blocks) | %d | %d |\n", testnet.Percentile(rtBlocks, 50), testnet.Percentile(rtBlocks, 99))
}
