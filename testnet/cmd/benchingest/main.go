// Command benchingest measures how fast a single-validator hub commits
// vehicle records, against bank transfers in the same run, with the same
// signers and transaction counts (`make bench-ingest`; the report goes to
// docs/benchmarks.md). With -preload it then fills the hub with that many
// records and measures again, with the history query, disk and memory.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vinhub/vinhub/testnet"
	"github.com/vinhub/vinhub/testnet/loopback"
	"github.com/vinhub/vinhub/x/vehicle/testutil"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"

	"github.com/cosmos/cosmos-sdk/types/query"
	"github.com/pelletier/go-toml/v2"
)

// options are the benchmark's flags.
type options struct {
	home               string
	signers, txs, runs int
	batch, batchTxs    int
	batchRates         []float64 // records/s offered in the paced batched phases
	pacedSeconds       float64
	preload, history   int
	vins               int
	blockTime          time.Duration
	blockMaxGas        int64
	pprof, restart     bool
	scatter            bool
	historyQueries     int
	preloadMsgsPerTx   int
	gasMargin          float64
	mempoolSize        int
	settings, variant  settingFlags
}

// settingFlags are -set node settings, each "file:section.key=value".
type settingFlags [][4]string

func (s *settingFlags) String() string { return fmt.Sprint(*s) }

// Set parses "app.toml:.iavl-cache-size=2000000" (an empty section is the
// file's top level; the value is TOML, so a string keeps its quotes).
func (s *settingFlags) Set(v string) error {
	file, rest, ok1 := strings.Cut(v, ":")
	name, value, ok2 := strings.Cut(rest, "=")
	dot := strings.LastIndex(name, ".")
	if !ok1 || !ok2 || dot < 0 || file == "" || name[dot+1:] == "" {
		return fmt.Errorf("%q: want file:section.key=value, e.g. app.toml:.iavl-disable-fastnode=true", v)
	}
	var parsed map[string]any
	if err := toml.Unmarshal([]byte("v = "+value), &parsed); err != nil {
		return fmt.Errorf("%q: the value %s is not TOML (a string needs its quotes): %w", v, value, err)
	}
	*s = append(*s, [4]string{file, name[:dot], name[dot+1:], value})
	return nil
}

// parseRates reads -batch-rates: positive records per second, comma-separated.
func parseRates(v string) ([]float64, error) {
	var rates []float64
	for _, f := range strings.Split(v, ",") {
		rate, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || !(rate > 0) || math.IsInf(rate, 1) { // NaN is not > 0
			return nil, fmt.Errorf("%q: give records per second, a positive number", f)
		}
		rates = append(rates, rate)
	}
	return rates, nil
}

// apply writes the settings into the node's config files (restart to apply).
func (s settingFlags) apply(n *testnet.Node) error {
	for _, e := range s {
		if err := n.SetConfig(e[0], e[1], e[2], e[3]); err != nil {
			return fmt.Errorf("%s:%s.%s: %w", e[0], e[1], e[2], err)
		}
	}
	return nil
}

func main() {
	var o options
	flag.StringVar(&o.home, "home", "build/benchingest", "run directory (wiped first)")
	flag.IntVar(&o.signers, "signers", 2, "signers, each a hub reporter of the bench dealer, sending in parallel")
	flag.IntVar(&o.txs, "txs", 5000, "transactions per signer in each bank / single-record phase")
	flag.IntVar(&o.runs, "runs", 5, "runs, each a bank and a single-record phase (their order swapped every other run) then a batched phase")
	flag.IntVar(&o.batch, "batch", 100, "records per MsgRecordEvents in the batched phase")
	flag.IntVar(&o.batchTxs, "batch-txs", 250, "transactions per signer in the batched phase")
	flag.Func("batch-rates", "records/s to offer in paced batched phases, comma-separated (e.g. 4000,5000,6000): each a phase of its own after the burst, the signers sending on a steady schedule", func(v string) (err error) {
		o.batchRates, err = parseRates(v)
		return err
	})
	flag.Float64Var(&o.pacedSeconds, "paced-seconds", 60, "how long each -batch-rates phase offers its load")
	flag.IntVar(&o.preload, "preload", 0, "then fill the hub with this many records (1,000 per tx) and measure the bank and single-record phases again, -runs times")
	flag.IntVar(&o.vins, "vins", 10_000, "cars the single records (and the preload's) are spread over, each signer writing about its own share")
	flag.BoolVar(&o.scatter, "scatter", false, "visit each signer's cars in a scattered order (a real hub's) instead of one after the other")
	flag.IntVar(&o.history, "history", 1000, "-preload: records about one VIN, whose history query is timed")
	flag.IntVar(&o.historyQueries, "history-queries", 200, "-preload: history queries timed")
	flag.DurationVar(&o.blockTime, "block-time", time.Second, "block time")
	flag.Int64Var(&o.blockMaxGas, "block-max-gas", 0, "cap on the gas a block's transactions may want (genesis block.max_gas; -1: no cap; 0 keeps the genesis default, CometBFT's -1)")
	flag.Float64Var(&o.gasMargin, "gas-margin", 3, "each transaction's gas limit as a multiple of the gas its shape used when probed")
	flag.Var(&o.settings, "set", "node setting to change before the start, file:section.key=value, the value as TOML writes it (repeatable; e.g. app.toml:.iavl-cache-size=2000000, 'app.toml:.app-db-backend=\"pebbledb\"')")
	flag.Var(&o.variant, "variant", "-preload: node setting (as -set) to compare at scale: each run then restarts the node once with its settings as they were and once with these, in alternating order")
	flag.BoolVar(&o.restart, "restart", false, "-preload: restart the node before every run at scale (warmed up as -variant's restarts are), so each run meets the cold caches of a node just restarted, not the preload's warm ones")
	flag.BoolVar(&o.pprof, "pprof", false, "write a 20 s CPU profile of the node during each phase of the first run (and of the first run at scale) to <home>/profiles")
	flag.Parse()
	o.preloadMsgsPerTx, o.mempoolSize = 10, 100_000
	if o.vins < o.signers || o.vins > maxVINs {
		fmt.Fprintf(os.Stderr, "benchingest: -vins %d: give between -signers (%d) and %d cars\n", o.vins, o.signers, maxVINs)
		os.Exit(2)
	}
	if o.blockMaxGas < -1 {
		fmt.Fprintf(os.Stderr, "benchingest: -block-max-gas %d: give a gas cap, or -1 for none\n", o.blockMaxGas)
		os.Exit(2)
	}
	if len(o.batchRates) > 0 && !(o.pacedSeconds > 0) {
		fmt.Fprintf(os.Stderr, "benchingest: -paced-seconds %v: give how many seconds each -batch-rates phase lasts, more than 0\n", o.pacedSeconds)
		os.Exit(2)
	}
	if len(o.variant) > 0 && o.preload == 0 {
		fmt.Fprintln(os.Stderr, "benchingest: -variant compares settings at scale: give -preload too")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Hour)
	defer cancel()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "benchingest:", err)
		os.Exit(1)
	}
}

// benchDealer is the hub dealer whose reporters sign every record.
const benchDealer = "ingest-bay"

// historyVIN is the car given -history records at scale; maxVINs keeps the
// load's cars (testutil.VIN from testnet.IngestFirstVIN on) clear of it.
const (
	historyVIN = 999_999
	maxVINs    = historyVIN - testnet.IngestFirstVIN
)

func signerKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("ingest-%d", i)
	}
	return keys
}

func run(ctx context.Context, o options) error {
	if err := os.RemoveAll(o.home); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "==> building vinhubd")
	bins, err := testnet.BuildInto(ctx, o.home, "vinhubd")
	if err != nil {
		return err
	}
	keys := signerKeys(o.signers)
	node, err := testnet.InitSingleNode(ctx, testnet.ChainSpec{
		Binary: bins[0], ChainID: "vinhub-ingest", Home: filepath.Join(o.home, "hub"), AdmitValidator: true,
		BlockTime: o.blockTime, BlockMaxGas: o.blockMaxGas,
		Dealers: []testnet.DealerSpec{{ID: benchDealer, Name: "Ingest Bay", ReporterKeys: keys}},
	})
	if err != nil {
		return err
	}
	pprofAddr := ""
	if o.pprof {
		ports, err := loopback.Ports(1)
		if err != nil {
			return err
		}
		pprofAddr = "127.0.0.1:" + strconv.Itoa(ports[0])
	}
	for _, e := range [][3]string{
		{"mempool", "size", strconv.Itoa(o.mempoolSize)},
		{"mempool", "cache_size", strconv.Itoa(o.mempoolSize)},
		{"rpc", "pprof_laddr", strconv.Quote(pprofAddr)},
	} {
		if err := node.SetConfig("config.toml", e[0], e[1], e[2]); err != nil {
			return err
		}
	}
	if err := o.settings.apply(node); err != nil {
		return fmt.Errorf("-set: %w", err)
	}
	for _, e := range o.settings {
		fmt.Printf("Node setting: %s [%s] %s = %s\n", e[0], e[1], e[2], e[3])
	}
	if err := node.StartWait(ctx); err != nil {
		return err
	}
	defer node.Stop()
	load, err := testnet.NewIngestLoad(node, benchDealer, keys)
	if err != nil {
		return err
	}
	load.VINs, load.Scatter = o.vins, o.scatter
	order := "in turn"
	if o.scatter {
		order = "in a scattered order"
	}
	b := &bench{o: o, node: node, load: load, pprofAddr: pprofAddr}
	if err := b.probeGas(ctx); err != nil {
		return err
	}
	capped := "no block gas cap"
	if o.blockMaxGas > 0 {
		capped = fmt.Sprintf("blocks capped at %d gas wanted", o.blockMaxGas)
	}
	fmt.Printf("Hub ingestion: 1 validator, %s blocks, %s, %d signers in parallel (broadcast_tx_sync, pre-signed), %d txs per signer per phase, records about %d cars visited %s; gas limits %.1fx the probed use.\n\n",
		o.blockTime, capped, o.signers, o.txs, o.vins, order, o.gasMargin)
	phases := []phase{
		{name: "bank send (1 MsgSend per tx)", kind: testnet.IngestBank, perSigner: o.txs, msgs: 1, perMsg: 0},
		{name: "record (1 MsgRecordEvents of 1 record per tx)", kind: testnet.IngestRecords, perSigner: o.txs, msgs: 1, perMsg: 1},
		{name: fmt.Sprintf("batched records (1 MsgRecordEvents of %d records per tx)", o.batch), kind: testnet.IngestRecords, perSigner: o.batchTxs, msgs: 1, perMsg: o.batch},
	}
	for _, rate := range o.batchRates {
		txRate := rate / float64(o.batch)
		phases = append(phases, phase{name: fmt.Sprintf("batched records offered at %s records/s", num(rate)), kind: testnet.IngestRecords,
			perSigner: int(math.Ceil(txRate * o.pacedSeconds / float64(o.signers))), msgs: 1, perMsg: o.batch, txRate: txRate})
	}
	results := make([][]measured, len(phases))
	for r := range o.runs {
		for _, i := range phaseOrder(r, len(phases)) {
			p := phases[i]
			fmt.Fprintf(os.Stderr, "==> run %d of %d: %s\n", r+1, o.runs, p.name)
			m, err := b.measure(ctx, p, profileName(r, p.name))
			if err != nil {
				// An offered rate past saturation can break a run; what
				// was measured before it still counts.
				printPhases(phases, results)
				return fmt.Errorf("run %d: %s: %w", r+1, p.name, err)
			}
			results[i] = append(results[i], m)
		}
	}
	printPhases(phases, results)
	if o.preload > 0 {
		return b.scale(ctx, phases[:2])
	}
	return nil
}

// phaseOrder is the order of run r's phases: the bank and single-record
// phases swap places every other run (ABBA…), so neither always runs on
// the store compactions the other left behind.
func phaseOrder(r, n int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	if r%2 == 1 && n >= 2 {
		order[0], order[1] = 1, 0
	}
	return order
}

// phase is one workload: perSigner transactions per signer of msgs
// messages of perMsg records (one transfer for bank sends).
type phase struct {
	name                    string
	kind                    testnet.IngestKind
	perSigner, msgs, perMsg int
	txRate                  float64 // transactions per second offered; 0: a burst
}

func (p phase) recordsPerTx() int { return p.msgs * p.perMsg }

// measured is one phase's figures.
type measured struct {
	txs          int
	resent       int // sent again after the node lost an accepted one
	failed       int // failed in a block on their sequence, behind a lost one
	span         time.Duration
	blocks       int64         // blocks that carried the phase's txs
	lag          time.Duration // from the last broadcast to every tx committed and indexed
	cpuPerTx     float64       // node CPU-ms per committed tx
	gasPerTx     float64
	rssMiB       float64
	recordsPerTx int
}

func (m measured) txPerSec() float64 { return float64(m.txs) / m.span.Seconds() }

func (m measured) recordsPerSec() float64 { return m.txPerSec() * float64(m.recordsPerTx) }

type bench struct {
	o         options
	node      *testnet.Node
	load      *testnet.IngestLoad
	pprofAddr string
	gas       map[string]uint64
}

func gasKey(kind testnet.IngestKind, msgs, perMsg int) string {
	return fmt.Sprintf("%d/%d/%d", kind, msgs, perMsg)
}

// probeGas commits one transaction of each shape and sets its gas limit.
func (b *bench) probeGas(ctx context.Context) error {
	b.gas = map[string]uint64{}
	shapes := [][3]int{{int(testnet.IngestBank), 1, 0}, {int(testnet.IngestRecords), 1, 1}, {int(testnet.IngestRecords), 1, b.o.batch}, {int(testnet.IngestRecords), 1, 100},
		{int(testnet.IngestRecords), b.o.preloadMsgsPerTx, 100}}
	for _, s := range shapes {
		used, err := b.load.Gas(ctx, testnet.IngestKind(s[0]), s[1], s[2])
		if err != nil {
			return err
		}
		b.gas[gasKey(testnet.IngestKind(s[0]), s[1], s[2])] = uint64(float64(used) * b.o.gasMargin)
	}
	return nil
}

// profileName names the CPU profile of run r's phase: only the first run
// is profiled.
func profileName(r int, name string) string {
	if r > 0 {
		return ""
	}
	return name
}

// measure signs the phase's transactions (not timed), fires them and counts
// what the blocks committed, with the node's CPU time over the phase; a
// profile name (with -pprof) profiles the node meanwhile.
func (b *bench) measure(ctx context.Context, p phase, profile string) (measured, error) {
	return b.measureWith(ctx, p, profile, "")
}

func (b *bench) measureWith(ctx context.Context, p phase, profile, vin string) (measured, error) {
	gas, ok := b.gas[gasKey(p.kind, p.msgs, p.perMsg)]
	if !ok {
		return measured{}, fmt.Errorf("no gas probed for %s", p.name)
	}
	txs, err := b.load.Sign(ctx, p.kind, p.perSigner, p.msgs, p.perMsg, gas, vin)
	if err != nil {
		return measured{}, err
	}
	from, err := b.node.Height(ctx)
	if err != nil {
		return measured{}, err
	}
	pid := b.node.PID()
	cpu0, err := testnet.CPUSeconds(pid)
	if err != nil {
		return measured{}, err
	}
	var stopProfile func() error
	if profile != "" && b.pprofAddr != "" {
		stopProfile = b.startProfile(ctx, profile)
	}
	resent, err := b.load.Fire(ctx, txs, p.txRate)
	if err != nil {
		return measured{}, err
	}
	fired := time.Now()
	// The node's CPU is read once every transaction is committed and
	// indexed, and before the blocks are counted: counting asks the node
	// for every block's results, JSON the phase did not cost.
	if err := testnet.WaitMempoolEmpty(ctx, b.node); err != nil {
		return measured{}, err
	}
	lastOfEach := make([][]byte, 0, len(txs))
	for _, signed := range txs {
		if len(signed) > 0 {
			lastOfEach = append(lastOfEach, signed[len(signed)-1])
		}
	}
	// A transaction the node dropped is never indexed: past the minute the
	// count below says which were not committed.
	indexCtx, cancel := context.WithTimeout(ctx, time.Minute)
	err = testnet.WaitIndexed(indexCtx, b.node, lastOfEach...)
	cancel()
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return measured{}, err
	}
	lag := time.Since(fired)
	cpu1, err := testnet.CPUSeconds(pid)
	if err != nil {
		return measured{}, err
	}
	c, err := testnet.CountCommitted(ctx, b.node, from+1)
	if err != nil {
		return measured{}, err
	}
	if stopProfile != nil {
		if err := stopProfile(); err != nil {
			return measured{}, err
		}
	}
	rss, err := testnet.PeakRSS(pid)
	if err != nil {
		return measured{}, err
	}
	want := 0
	for _, signed := range txs {
		want += len(signed)
	}
	// Transactions sent after one the node dropped fail on their sequence
	// and are sent again (testnet.IngestLoad.Fire): every one still has to
	// commit once, and no other failure is a measurement.
	if c.Txs != want || c.Failed != c.WrongSequence || (c.Failed > 0 && resent == 0) {
		return measured{}, fmt.Errorf("committed %d of %d txs (%d failed; first: %v)", c.Txs, want, c.Failed, c.FirstFailure)
	}
	return measured{txs: c.Txs, resent: resent, failed: c.Failed, span: c.Span, blocks: c.Blocks, lag: lag, cpuPerTx: (cpu1 - cpu0) / float64(c.Txs) * 1000, gasPerTx: float64(c.Gas) / float64(c.Txs),
		rssMiB: float64(rss) / (1 << 20), recordsPerTx: max(1, p.recordsPerTx())}, nil
}

// startProfile fetches a 20 s CPU profile of the node in the background
// into <home>/profiles/<phase>.pprof; the returned func waits for it.
func (b *bench) startProfile(ctx context.Context, name string) func() error {
	dir := filepath.Join(b.o.home, "profiles")
	file := filepath.Join(dir, strings.NewReplacer(" ", "-", "(", "", ")", "", "/", "-").Replace(name)+".pprof")
	done := make(chan error, 1)
	go func() {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			done <- err
			return
		}
		out, err := exec.CommandContext(ctx, "curl", "-sS", "-o", file, "http://"+b.pprofAddr+"/debug/pprof/profile?seconds=20").CombinedOutput()
		if err != nil {
			err = fmt.Errorf("cpu profile: %w: %s", err, out)
		}
		done <- err
	}()
	return func() error { return <-done }
}

func printPhases(phases []phase, results [][]measured) {
	fmt.Println("| phase | committed tx/s | records/s | blocks | lag (s) | node CPU-ms per tx | gas per tx | node peak RSS (MiB) |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for i, p := range phases {
		rs := results[i]
		if len(rs) == 0 {
			continue
		}
		records := "-"
		if p.kind == testnet.IngestRecords {
			records = stat(rs, measured.recordsPerSec)
		}
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %s | %.0f |\n", p.name,
			stat(rs, measured.txPerSec), records, stat(rs, func(m measured) float64 { return float64(m.blocks) }),
			stat(rs, func(m measured) float64 { return m.lag.Seconds() }),
			stat(rs, func(m measured) float64 { return m.cpuPerTx }), stat(rs, func(m measured) float64 { return m.gasPerTx }),
			slices.MaxFunc(rs, func(a, b measured) int { return int(a.rssMiB - b.rssMiB) }).rssMiB)
	}
	printResends(phases, results)
	bank, rec := results[0], results[1]
	var ratios []float64
	for r := range min(len(bank), len(rec)) {
		ratios = append(ratios, rec[r].txPerSec()/bank[r].txPerSec())
	}
	if len(ratios) == 0 {
		return
	}
	slices.Sort(ratios)
	fmt.Printf("\nrecord txs / bank txs committed per second, per run: %s (median %.2f)\n\n", floats(ratios), testnet.Median(ratios))
}

// printResends says, under the table, which phases' runs had the node lose
// transactions CheckTx had accepted (see testnet.IngestLoad.Fire): the
// rates count each transaction once, but the node's CPU per transaction
// includes checking again what was sent again and executing what failed.
func printResends(phases []phase, results [][]measured) {
	var lines []string
	for i, p := range phases {
		for r, m := range results[i] {
			if m.resent > 0 {
				lines = append(lines, fmt.Sprintf("- %s, run %d: the node lost transactions CheckTx had accepted; %d sent again, %d failed in blocks on their sequence.", p.name, r+1, m.resent, m.failed))
			}
		}
	}
	if len(lines) > 0 {
		fmt.Printf("\n%s\n", strings.Join(lines, "\n"))
	}
}

// stat is "median (min-max)" of f over the runs.
func stat(rs []measured, f func(measured) float64) string {
	v := make([]float64, len(rs))
	for i, m := range rs {
		v[i] = f(m)
	}
	slices.Sort(v)
	return fmt.Sprintf("%s (%s-%s)", num(testnet.Median(v)), num(v[0]), num(v[len(v)-1]))
}

func num(f float64) string {
	if f >= 100 || f == math.Trunc(f) {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strconv.FormatFloat(f, 'f', 2, 64)
}

func floats(v []float64) string {
	s := make([]string, len(v))
	for i, f := range v {
		s[i] = strconv.FormatFloat(f, 'f', 2, 64)
	}
	return strings.Join(s, ", ")
}

// scale fills the hub with the preload, one VIN with the history records,
// then measures the bank and single-record phases again and times the
// history query.
func (b *bench) scale(ctx context.Context, phases []phase) error {
	data := filepath.Join(b.node.Home, "data")
	before, err := dirBytes(data)
	if err != nil {
		return err
	}
	perTx := b.o.preloadMsgsPerTx * 100
	txs := (b.o.preload + perTx - 1) / perTx
	perSigner := (txs + b.o.signers - 1) / b.o.signers
	fmt.Fprintf(os.Stderr, "==> preloading %d records (%d txs of %d)\n", perSigner*b.o.signers*perTx, perSigner*b.o.signers, perTx)
	start := time.Now()
	const chunk = 20 // transactions per signer signed and fired at a time: a mempool of 1,000-record txs slows CheckTx past the RPC timeout
	for done := 0; done < perSigner; done += chunk {
		n := min(chunk, perSigner-done)
		if _, err := b.measure(ctx, phase{name: "preload", kind: testnet.IngestRecords, perSigner: n, msgs: b.o.preloadMsgsPerTx, perMsg: 100}, ""); err != nil {
			return fmt.Errorf("preload: %w", err)
		}
	}
	loaded := perSigner * b.o.signers * perTx
	preloaded := time.Since(start).Round(time.Second)
	fmt.Fprintf(os.Stderr, "==> preloaded in %s\n", preloaded)
	vin := testutil.VIN(historyVIN)
	// The first signer alone writes the car's history, so its records commit
	// in date order, and its gas stays that of any 100 records (no margin).
	hist, err := b.measureWith(ctx, phase{name: "history", kind: testnet.IngestRecords, perSigner: (b.o.history + 99) / 100, msgs: 1, perMsg: 100}, "", vin)
	if err != nil {
		return fmt.Errorf("history VIN: %w", err)
	}
	after, err := dirBytes(data)
	if err != nil {
		return err
	}
	configs, err := b.configs()
	if err != nil {
		return err
	}
	results := make([][][]measured, len(configs))
	for c := range configs {
		results[c] = make([][]measured, len(phases))
	}
	for r := range b.o.runs {
		for _, c := range phaseOrder(r, len(configs)) {
			if err := b.restartWith(ctx, configs[c]); err != nil {
				return err
			}
			for _, i := range phaseOrder(r, len(phases)) {
				p := phases[i]
				fmt.Fprintf(os.Stderr, "==> with %d records in state, run %d of %d%s: %s\n", loaded, r+1, b.o.runs, configs[c].label(), p.name)
				m, err := b.measure(ctx, p, profileName(r, "at scale"+configs[c].label()+" "+p.name))
				if err != nil {
					return fmt.Errorf("%s at scale: %w", p.name, err)
				}
				results[c][i] = append(results[c][i], m)
			}
		}
	}
	for c, cfg := range configs {
		fmt.Printf("With %d records already in the hub's state (preloaded in %s)%s:\n\n", loaded, preloaded, cfg.label())
		printPhases(phases, results[c])
	}
	p50, p99, n, err := b.timeHistory(ctx, vin)
	if err != nil {
		return err
	}
	fmt.Printf("- giving one VIN its %d records (100 per tx, in date order): %.0f gas per tx (the probe of 100 records over 100 VINs: %d with margin)\n",
		hist.txs*100, hist.gasPerTx, b.gas[gasKey(testnet.IngestRecords, 1, 100)])
	fmt.Printf("- `query vehicle history` of a VIN with %d records (all in one page), %d queries over RPC: p50 %.1f ms, p99 %.1f ms\n", n, b.o.historyQueries, p50, p99)
	fmt.Printf("- disk: %.0f bytes per record (node data directory, %d MiB before the preload, %d MiB after)\n",
		float64(after-before)/float64(loaded+b.o.history), before>>20, after>>20)
	rss, err := testnet.PeakRSS(b.node.PID())
	if err != nil {
		return err
	}
	fmt.Printf("- vinhubd peak RSS: %.0f MiB\n", float64(rss)/(1<<20))
	return nil
}

// nodeConfig is a set of node settings measured at scale; one without
// settings is the node as it runs (restarted only with -restart).
type nodeConfig struct {
	name     string
	settings settingFlags
	restart  bool // even without settings
}

func (c nodeConfig) label() string {
	if c.name == "" {
		return ""
	}
	return " [" + c.name + "]"
}

// configs are the node settings to measure at scale: as they are, and with
// -variant's settings if any (each then restarts the node).
func (b *bench) configs() ([]nodeConfig, error) {
	if len(b.o.variant) == 0 {
		return []nodeConfig{{restart: b.o.restart}}, nil
	}
	base := nodeConfig{name: "as set"}
	var names []string
	for _, e := range b.o.variant {
		was, err := b.node.Config(e[0], e[1], e[2])
		if err != nil {
			return nil, fmt.Errorf("-variant: %w", err)
		}
		base.settings = append(base.settings, [4]string{e[0], e[1], e[2], was})
		names = append(names, fmt.Sprintf("%s = %s", e[2], e[3]))
	}
	return []nodeConfig{base, {name: strings.Join(names, ", "), settings: b.o.variant}}, nil
}

// restartWith restarts the node with c's settings and warms it up with a
// fifth of a record phase (not measured), so neither phase after it meets
// a cold cache alone. A config without settings keeps the node running
// unless it asks for a restart.
func (b *bench) restartWith(ctx context.Context, c nodeConfig) error {
	if len(c.settings) == 0 && !c.restart {
		return nil
	}
	if err := c.settings.apply(b.node); err != nil {
		return err
	}
	h, err := b.node.Height(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "==> restarting the node%s, then warming it up\n", c.label())
	if err := b.node.Restart(); err != nil {
		return fmt.Errorf("restart%s: %w", c.label(), err)
	}
	if err := b.node.WaitHeight(ctx, h+2); err != nil {
		return fmt.Errorf("restart%s: %w", c.label(), err)
	}
	warm := phase{name: "warm-up", kind: testnet.IngestRecords, perSigner: max(1, b.o.txs/5), msgs: 1, perMsg: 1}
	if _, err := b.measure(ctx, warm, ""); err != nil {
		return fmt.Errorf("warm-up%s: %w", c.label(), err)
	}
	return nil
}

// timeHistory times the history query of vin; n is the records it returns.
func (b *bench) timeHistory(ctx context.Context, vin string) (p50, p99 float64, n int, err error) {
	vq, err := b.node.VehicleQuery()
	if err != nil {
		return 0, 0, 0, err
	}
	var ms []float64
	for range b.o.historyQueries {
		start := time.Now()
		res, err := vq.History(ctx, &vehicletypes.QueryHistoryRequest{Vin: vin, Pagination: &query.PageRequest{Limit: uint64(b.o.history)}})
		if err != nil {
			return 0, 0, 0, fmt.Errorf("history query: %w", err)
		}
		ms = append(ms, float64(time.Since(start).Microseconds())/1000)
		n = len(res.Records)
	}
	slices.Sort(ms)
	return testnet.Percentile(ms, 50), testnet.Percentile(ms, 99), n, nil
}

// dirBytes is the size of the files under dir.
func dirBytes(dir string) (int64, error) {
	var total int64
	err := filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !info.IsDir() {
			total += info.Size()
		}
		return nil
	})
	return total, err
}
