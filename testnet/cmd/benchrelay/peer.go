package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vinhub/vinhub/client"
	vrcli "github.com/vinhub/vinhub/relayer/cli"

	"github.com/vinhub/vinhub/relayer"
	"github.com/vinhub/vinhub/testnet"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// peerOptions are the settings of a side-by-side run of vinrelay and rly.
type peerOptions struct {
	home      string
	workloads []workload
	runs      int
	maxMsgs   int
	gasAdjust float64
	clear     time.Duration
	blockTime time.Duration
	outage    time.Duration
	streamFor time.Duration
	// runLimit bounds one run from the relayer's start: a relayer that has
	// not cleared the work by then stalled, and the run counts as such.
	runLimit time.Duration
	pin      bool
}

// workload is a backlog: packets (one record each), perTx per dealer tx,
// and what disrupts the relaying once half of it is delivered: nothing,
// "kill" (SIGKILL the relayer and start it again) or "outage" (the hub's
// node, its RPC, down for the outage flag's duration).
type workload struct {
	packets, perTx int
	disrupt        string
	// rate > 0 makes it a stream instead: rate packets/s offered while the
	// relayer runs, for the stream-for flag's duration.
	rate int
}

func (w workload) String() string {
	if w.rate > 0 {
		return fmt.Sprintf("streaming, %d packets/s offered", w.rate)
	}
	s := fmt.Sprintf("%d packets, %d per dealer tx", w.packets, w.perTx)
	switch w.disrupt {
	case "kill":
		s += ", relayer SIGKILLed and restarted half-way"
	case "outage":
		s += ", hub RPC down half-way"
	}
	return s
}

// parseWorkloads reads "1000x1,1000x50,1000x50:kill,1000x50:outage":
// packets x packets-per-tx, optionally :kill or :outage.
func parseWorkloads(s string) ([]workload, error) {
	var out []workload
	for _, f := range strings.Split(s, ",") {
		if rate, ok := strings.CutPrefix(strings.TrimSpace(f), "stream:"); ok {
			n, err := strconv.Atoi(rate)
			if err != nil || n < 1 {
				return nil, fmt.Errorf("workload %q: want stream:<packets per second>, e.g. stream:100", f)
			}
			out = append(out, workload{rate: n})
			continue
		}
		spec, disrupt, _ := strings.Cut(strings.TrimSpace(f), ":")
		a, b, ok := strings.Cut(spec, "x")
		n, err1 := strconv.Atoi(a)
		per, err2 := strconv.Atoi(b)
		if !ok || err1 != nil || err2 != nil || n < 1 || per < 1 || (disrupt != "" && disrupt != "kill" && disrupt != "outage") {
			return nil, fmt.Errorf("workload %q: want <packets>x<per-tx>[:kill|:outage], e.g. 1000x50", f)
		}
		out = append(out, workload{packets: n, perTx: per, disrupt: disrupt})
	}
	return out, nil
}

// peerRelayer is one of the two relayers under test, started on the path.
type peerRelayer interface {
	name() string
	start() (pid int, err error)
	stop() error
	kill() error
}

type vinrelayPeer struct{ v *testnet.Vinrelay }

func (p vinrelayPeer) name() string { return "vinrelay" }
func (p vinrelayPeer) start() (int, error) {
	err := p.v.Start()
	return p.v.PID(), err
}
func (p vinrelayPeer) stop() error { return p.v.Stop() }
func (p vinrelayPeer) kill() error { return p.v.Kill() }

type rlyPeer struct {
	r    *testnet.Rly
	path string
	args []string
}

func (p rlyPeer) name() string { return "rly" }
func (p rlyPeer) start() (int, error) {
	err := p.r.Start(p.path, p.args...)
	return p.r.PID(), err
}
func (p rlyPeer) stop() error { return p.r.Stop() }
func (p rlyPeer) kill() error { return p.r.Kill() }

// result is one run's figures.
type result struct {
	clear                 time.Duration
	pps, cpuPer1k, rssMiB float64
	txs                   int
	gas                   int64
	p50, p99              int64
	// ack50, ack99: commit-to-ack, send committed on the dealer chain to
	// the hub writing the ack, in block times (the DESIGN target's measure).
	ack50, ack99 float64
	// stalled: the relayer had not cleared the work within the run limit;
	// the other figures are not set.
	stalled error
}

// runPeer measures vinrelay and rly on identical backlogs: hub + one
// dealer chain over a v1 channel vinrelay linked, the chains' state
// snapshotted once and restored before every run, runs interleaved
// (vinrelay, rly, vinrelay, ...), chains and load on CPU 0, the relayer on
// CPU 1. It prints one Markdown table per workload.
func runPeer(ctx context.Context, o peerOptions) error {
	if o.pin && runtime.NumCPU() < 2 {
		return fmt.Errorf("pinning needs 2 CPUs, this machine has %d: run with -pin=false", runtime.NumCPU())
	}
	root, err := testnet.RepoRoot()
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "==> building vinhubd, dealerd, vinrelay and rly")
	bins, err := testnet.Build(ctx, root, filepath.Join(o.home, "bin"), "vinhubd", "dealerd", "vinrelay")
	if err != nil {
		return err
	}
	rly, err := testnet.NewRly(ctx, filepath.Join(o.home, "rly"))
	if err != nil {
		return err
	}
	if o.pin {
		// The nodes and the load generator inherit CPU 0; each relayer is moved to CPU 1.
		if err := testnet.Pin(os.Getpid(), "0"); err != nil {
			return err
		}
	}
	nw, err := testnet.StartNetwork(ctx, testnet.NetworkSpec{Dir: filepath.Join(o.home, "net"), Dealers: 1,
		HubBinary: bins[0], DealerBinary: bins[1], BlockTime: o.blockTime, VotingPeriod: 10 * time.Second})
	if nw != nil {
		defer nw.Stop()
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "==> linking (vinrelay, v1) and configuring both relayers alike")
	vr, paths, err := testnet.LinkNetwork(ctx, nw, bins[2], filepath.Join(o.home, "vinrelay"), []string{relayer.IBCv1}, func(g *relayer.GlobalConfig) {
		g.MaxMsgsPerTx, g.ClearInterval = o.maxMsgs, client.Duration{Duration: o.clear}
	})
	if err != nil {
		return err
	}
	if err := matchGas(vr, o.gasAdjust); err != nil {
		return err
	}
	for _, c := range nw.Chains() {
		if err := rly.AddChain(ctx, c.Node(0), c.Mnemonics[testnet.RelayerKey]); err != nil {
			return err
		}
	}
	if err := rly.AddPath(ctx, paths[0]); err != nil {
		return err
	}
	rly.MaxMsgs = o.maxMsgs
	peers := []peerRelayer{vinrelayPeer{vr}, rlyPeer{r: rly, path: paths[0].Name, args: []string{"--flush-interval", o.clear.String()}}}
	snap := filepath.Join(o.home, "snapshot")
	if err := nw.Snapshot(snap); err != nil {
		return err
	}
	fmt.Printf("vinrelay and rly v2.6.0 on identical work (hub + %s over IBC v1, %s blocks; %d messages per relay tx, gas adjustment %.2f, clearing every %s; %d runs each, interleaved; chains and load on CPU 0, relayer on CPU 1: %v). Median (min-max).\n",
		nw.Dealers[0].ID(), o.blockTime, o.maxMsgs, o.gasAdjust, o.clear, o.runs, o.pin)
	for _, w := range o.workloads {
		results := map[string][]result{}
		for run := range o.runs {
			for _, p := range peers {
				fmt.Fprintf(os.Stderr, "==> %s: run %d of %d, %s\n", w, run+1, o.runs, p.name())
				res, err := peerRun(ctx, nw, snap, paths[0], p, w, o)
				if err != nil {
					return fmt.Errorf("%s, %s run %d: %w", w, p.name(), run+1, err)
				}
				results[p.name()] = append(results[p.name()], res)
				res.report()
			}
		}
		printPeer(w, peers, results)
	}
	return nil
}

// matchGas gives vinrelay's chains the gas adjustment rly uses.
func matchGas(v *testnet.Vinrelay, adjust float64) error {
	cfg, err := vrcli.LoadConfig(v.Home)
	if err != nil {
		return err
	}
	for i := range cfg.Chains {
		cfg.Chains[i].GasAdjustment = adjust
	}
	return cfg.Save(v.Home)
}

// peerRun restores the snapshot, commits the backlog on the dealer chain,
// starts the relayer and measures until every packet is received and
// acknowledged.
func peerRun(ctx context.Context, nw *testnet.Network, snap string, p relayer.PathConfig, r peerRelayer, w workload, o peerOptions) (result, error) {
	if err := nw.Restore(ctx, snap); err != nil {
		return result{}, err
	}
	hub, dealer := nw.Hub, nw.Dealers[0]
	load, err := testnet.NewRecordLoad(dealer.Node(0), dealer.ReporterKey, dealer.DealerID)
	if err != nil {
		return result{}, err
	}
	load.FirstVIN = 1000
	hubFrom, err := hub.Node(0).Height(ctx)
	if err != nil {
		return result{}, err
	}
	dealerFrom, err := dealer.Node(0).Height(ctx)
	if err != nil {
		return result{}, err
	}
	if w.rate == 0 {
		if err := load.Backlog(ctx, w.packets, w.perTx); err != nil {
			return result{}, err
		}
	}
	started := time.Now()
	pid, err := r.start()
	if err != nil {
		return result{}, err
	}
	defer r.stop()
	if o.pin {
		if err := testnet.Pin(pid, "1"); err != nil {
			return result{}, err
		}
	}
	if w.rate > 0 {
		if err := stream(ctx, load, w.rate, o.streamFor, o.blockTime); err != nil {
			return result{}, err
		}
	}
	var cpuBefore float64
	var rssBefore int64
	if w.disrupt != "" {
		if pid, cpuBefore, rssBefore, err = disrupt(ctx, nw, r, pid, w, o); err != nil {
			return result{}, err
		}
	}
	limited, cancel := context.WithDeadline(ctx, started.Add(o.runLimit))
	err = waitDelivered(limited, hub.Node(0), dealer.Node(0), load)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return result{}, err
		}
		return result{stalled: fmt.Errorf("not cleared within %s of the relayer's start: %w", o.runLimit, err)}, nil
	}
	cpu, err := testnet.CPUSeconds(pid)
	if err != nil {
		return result{}, err
	}
	cpu += cpuBefore
	rss, err := testnet.PeakRSS(pid)
	if err != nil {
		return result{}, err
	}
	rss = max(rss, rssBefore)
	if err := r.stop(); err != nil {
		return result{}, err
	}
	pts, err := testnet.TracePackets(ctx, p, hub.Node(0), dealer.Node(0), hubFrom, dealerFrom)
	if err != nil {
		return result{}, err
	}
	res := result{cpuPer1k: cpu / float64(load.Sent) * 1000, rssMiB: float64(rss) / (1 << 20)}
	var blocks []int64
	var acks []float64
	for _, pt := range pts {
		blocks = append(blocks, pt.AckHeight-pt.SendHeight)
		acks = append(acks, pt.HubAckTime.Sub(pt.SendTime).Seconds()/o.blockTime.Seconds())
		res.clear = max(res.clear, pt.DealerAckAt.Sub(started))
	}
	slices.Sort(blocks)
	slices.Sort(acks)
	res.p50, res.p99 = testnet.Percentile(blocks, 50), testnet.Percentile(blocks, 99)
	res.ack50, res.ack99 = testnet.Percentile(acks, 50), testnet.Percentile(acks, 99)
	res.pps = float64(len(pts)) / res.clear.Seconds()
	for _, c := range []*testnet.Chain{hub, dealer} {
		from := hubFrom
		if c == dealer {
			from = dealerFrom
		}
		to, err := c.Node(0).Height(ctx)
		if err != nil {
			return result{}, err
		}
		txs, gas, err := testnet.RelayTxStats(ctx, c.Node(0), from, to)
		if err != nil {
			return result{}, err
		}
		res.txs += txs
		res.gas += gas
	}
	return res, nil
}

// stream offers about rate packets/s for d: one dealer tx of rate × block
// time packets after the other (each waits for its commit, about a block),
// and reports the rate actually offered.
func stream(ctx context.Context, load *testnet.RecordLoad, rate int, d, blockTime time.Duration) error {
	perTx := max(1, int(float64(rate)*blockTime.Seconds()+0.5))
	start := time.Now()
	for time.Since(start) < d {
		if _, err := load.Send(ctx, perTx, 1); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "    offered %.1f packets/s (%d packets in %s)\n", float64(load.Sent)/time.Since(start).Seconds(), load.Sent, time.Since(start).Round(time.Second))
	return nil
}

// disrupt waits until half the backlog is settled on the dealer chain,
// then SIGKILLs and restarts the relayer (returning the new process and
// what the killed one used) or takes the hub's node down for o.outage.
func disrupt(ctx context.Context, nw *testnet.Network, r peerRelayer, pid int, w workload, o peerOptions) (int, float64, int64, error) {
	dq, err := nw.Dealers[0].Node(0).VehicleQuery()
	if err != nil {
		return 0, 0, 0, err
	}
	for {
		pc, err := dq.PendingCount(ctx, &vehicletypes.QueryPendingCountRequest{})
		if err == nil && int(pc.Pending+pc.InFlight) <= w.packets/2 {
			break
		}
		select {
		case <-ctx.Done():
			return 0, 0, 0, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	if w.disrupt == "outage" {
		hub := nw.Hub.Node(0)
		if err := hub.Stop(); err != nil {
			return 0, 0, 0, err
		}
		time.Sleep(o.outage)
		return pid, 0, 0, hub.Start()
	}
	cpu, err := testnet.CPUSeconds(pid)
	if err != nil {
		return 0, 0, 0, err
	}
	rss, err := testnet.PeakRSS(pid)
	if err != nil {
		return 0, 0, 0, err
	}
	if err := r.kill(); err != nil {
		return 0, 0, 0, err
	}
	pid, err = r.start()
	if err != nil {
		return 0, 0, 0, err
	}
	if o.pin {
		err = testnet.Pin(pid, "1")
	}
	return pid, cpu, rss, err
}

// printPeer prints one workload's table: median (min-max) per relayer,
// and vinrelay's ratio to rly.
func printPeer(w workload, peers []peerRelayer, results map[string][]result) {
	cols := []struct {
		name string
		get  func(result) float64
		f    string
	}{
		{"time to clear (s)", func(r result) float64 { return r.clear.Seconds() }, "%.1f"},
		{"packets/s", func(r result) float64 { return r.pps }, "%.1f"},
		{"p50 commit-to-ack (blocks)", func(r result) float64 { return r.ack50 }, "%.1f"},
		{"p99 commit-to-ack (blocks)", func(r result) float64 { return r.ack99 }, "%.1f"},
		{"p50 send->ack back (dealer blocks)", func(r result) float64 { return float64(r.p50) }, "%.0f"},
		{"p99 send->ack back (dealer blocks)", func(r result) float64 { return float64(r.p99) }, "%.0f"},
		{"relay txs", func(r result) float64 { return float64(r.txs) }, "%.0f"},
		{"relay gas (M)", func(r result) float64 { return float64(r.gas) / 1e6 }, "%.1f"},
		{"relayer CPU-s / 1,000 packets", func(r result) float64 { return r.cpuPer1k }, "%.2f"},
		{"relayer peak RSS (MiB)", func(r result) float64 { return r.rssMiB }, "%.0f"},
	}
	fmt.Printf("\n%s\n\n| | %s | vinrelay / rly |\n|---|%s---|\n", w, strings.Join(names(peers), " | "), strings.Repeat("---|", len(peers)))
	for _, c := range cols {
		cells, medians := []string{}, []float64{}
		for _, p := range peers {
			var vals []float64
			for _, r := range results[p.name()] {
				if r.stalled == nil {
					vals = append(vals, c.get(r))
				}
			}
			if len(vals) == 0 {
				medians = append(medians, 0)
				cells = append(cells, "-")
				continue
			}
			slices.Sort(vals)
			med := testnet.Median(vals)
			medians = append(medians, med)
			cells = append(cells, fmt.Sprintf(c.f+" ("+c.f+"-"+c.f+")", med, vals[0], vals[len(vals)-1]))
		}
		ratio := "-"
		if medians[0] != 0 && medians[1] != 0 {
			ratio = fmt.Sprintf("%.2fx", medians[0]/medians[1])
		}
		fmt.Printf("| %s | %s | %s |\n", c.name, strings.Join(cells, " | "), ratio)
	}
	var stalls []string
	for _, p := range peers {
		n := 0
		for _, r := range results[p.name()] {
			if r.stalled != nil {
				n++
			}
		}
		stalls = append(stalls, fmt.Sprintf("%d of %d", n, len(results[p.name()])))
	}
	fmt.Printf("| runs stalled (not cleared within the run limit; left out of the rows above) | %s | - |\n", strings.Join(stalls, " | "))
}

// report prints one run's figures as it ends, so that a stopped harness
// still leaves them in its log.
func (r result) report() {
	if r.stalled != nil {
		fmt.Fprintf(os.Stderr, "    STALLED: %v\n", r.stalled)
		return
	}
	fmt.Fprintf(os.Stderr, "    cleared in %.1f s, %.1f packets/s, commit-to-ack p50 %.1f p99 %.1f blocks, %d relay txs, %.2f CPU-s per 1,000 packets, peak RSS %.0f MiB\n",
		r.clear.Seconds(), r.pps, r.ack50, r.ack99, r.txs, r.cpuPer1k, r.rssMiB)
}

func names(peers []peerRelayer) []string {
	var out []string
	for _, p := range peers {
		out = append(out, p.name())
	}
	return out
}
