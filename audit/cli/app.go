package cli

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/cosmos/gogoproto/jsonpb"
	ucli "github.com/urfave/cli/v2"

	lighthttp "github.com/cometbft/cometbft/light/provider/http"

	"github.com/vinhub/vinhub/audit"
	"github.com/vinhub/vinhub/client"
	"github.com/vinhub/vinhub/sealed"
	anchorcli "github.com/vinhub/vinhub/x/anchor/client/cli"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// App is the vinaudit command tree.
func App() *ucli.App {
	return &ucli.App{
		Name:  "vinaudit",
		Usage: "prove a VIN's history from the chains' consensus, through servers that may lie",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "home", Value: defaultHome(), Usage: "directory holding config.toml, the light client's store and reports", EnvVars: []string{"VINAUDIT_HOME"}},
		},
		Commands:       []*ucli.Command{initCmd(), addDealerCmd(), vinCmd(), evidenceCmd(), disclosureCmd()},
		ExitErrHandler: func(*ucli.Context, error) {},
	}
}

func defaultHome() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ".vinaudit"
	}
	return filepath.Join(home, ".vinaudit")
}

func initCmd() *ucli.Command {
	return &ucli.Command{
		Name:  "init",
		Usage: "write config.toml from the hub's genesis file and its RPC endpoints",
		Flags: chainFlags(),
		Action: func(c *ucli.Context) error {
			hub, err := chainFromFlags(c)
			if err != nil {
				return err
			}
			if err := (Config{Hub: hub}).Save(c.String("home")); err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "wrote %s: hub %s trusted from height %d, header %s\n",
				filepath.Join(c.String("home"), ConfigFile), hub.ChainID, hub.TrustHeight, hub.TrustHash)
			return nil
		},
	}
}

// chainFlags are the flags naming a chain to trust: its genesis and RPCs.
func chainFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "genesis", Required: true, Usage: "the chain's genesis.json"},
		&ucli.StringFlag{Name: "primary", Required: true, Usage: "the RPC the auditor reads from"},
		&ucli.StringSliceFlag{Name: "witness", Required: true, Usage: "an RPC that cross-checks every header (repeat for more)"},
		&ucli.DurationFlag{Name: "trusting-period", Usage: "how long a trusted header stays trusted, below the genesis's unbonding time (default: 2/3 of it, or 336h for a genesis without one)"},
	}
}

func chainFromFlags(c *ucli.Context) (Chain, error) {
	return anchorFromGenesis(c.Context, c.String("genesis"), c.String("primary"), c.StringSlice("witness"), c.Duration("trusting-period"))
}

func addDealerCmd() *ucli.Command {
	return &ucli.Command{
		Name:  "add-dealer",
		Usage: "trust a dealer chain too, so the hub's records that came from it are compared with their originals",
		Flags: chainFlags(),
		Action: func(c *ucli.Context) error {
			cfg, err := LoadConfig(c.String("home"))
			if err != nil {
				return err
			}
			dealer, err := chainFromFlags(c)
			if err != nil {
				return err
			}
			cfg.Dealers = append(cfg.Dealers, dealer)
			if err := cfg.Save(c.String("home")); err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "dealer chain %s trusted from height %d, header %s\n", dealer.ChainID, dealer.TrustHeight, dealer.TrustHash)
			return nil
		},
	}
}

// anchorFromGenesis reads the chain id, first height and validators from a
// genesis file and takes the header at that height as the trust anchor,
// once the primary and every witness serve the same one, signed (the light
// provider checks the commit) by exactly the genesis's validators. The
// trusting period must be below the genesis's unbonding time (period 0:
// the default, trustingPeriod).
func anchorFromGenesis(ctx context.Context, genesisFile, primary string, witnesses []string, period time.Duration) (Chain, error) {
	bz, err := os.ReadFile(genesisFile)
	if err != nil {
		return Chain{}, err
	}
	if period, err = trustingPeriod(bz, period); err != nil {
		return Chain{}, fmt.Errorf("%s: %w", genesisFile, err)
	}
	var gen struct {
		ChainID       string          `json:"chain_id"`
		InitialHeight json.RawMessage `json:"initial_height"`
	}
	if err := json.Unmarshal(bz, &gen); err != nil || gen.ChainID == "" {
		return Chain{}, fmt.Errorf("%s: not a genesis file with a chain_id (%v)", genesisFile, err)
	}
	height, _ := strconv.ParseInt(string(bytes.Trim(gen.InitialHeight, `"`)), 10, 64)
	height = max(height, 1)
	keys, err := genesisKeys(bz)
	if err != nil {
		return Chain{}, fmt.Errorf("%s: %w", genesisFile, err)
	}
	var hash []byte
	for _, rpc := range append([]string{primary}, witnesses...) {
		p, err := lighthttp.New(gen.ChainID, rpc)
		if err != nil {
			return Chain{}, fmt.Errorf("%s: %w", rpc, err)
		}
		lb, err := p.LightBlock(ctx, height)
		if err != nil {
			return Chain{}, fmt.Errorf("%s: header %d: %w", rpc, height, err)
		}
		if err := checkGenesisValidators(keys, lb.ValidatorSet); err != nil {
			return Chain{}, fmt.Errorf("%s: header %d: %w", rpc, height, err)
		}
		if hash != nil && !bytes.Equal(hash, lb.Hash()) {
			return Chain{}, fmt.Errorf("%s serves header %X at height %d, %s serves %X: refusing to trust either", rpc, lb.Hash(), height, primary, hash)
		}
		hash = lb.Hash()
	}
	return Chain{ChainID: gen.ChainID, Primary: primary, Witnesses: witnesses, TrustHeight: height,
		TrustHash: fmt.Sprintf("%X", hash), TrustingPeriod: client.Duration{Duration: period}}, nil
}

func vinCmd() *ucli.Command {
	return auditCmd("vin", "audit one VIN: exit 0 everything proven, 1 a contradiction found, 2 could not verify", "<VIN>", auditVIN)
}

// session is one audit's settings from the command line.
type session struct {
	home string
	// maxAge is how old the latest verified header may be.
	maxAge   time.Duration
	progress io.Writer
}

// auditCmd is a command that audits its one argument with run, writes the
// report and exits with the report's code.
func auditCmd(name, usage, args string, run func(ctx context.Context, s session, arg string) audit.Report) *ucli.Command {
	return &ucli.Command{
		Name:      name,
		Usage:     usage,
		ArgsUsage: args,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "json", Usage: "print the JSON report on stdout instead of the summary"},
			&ucli.StringFlag{Name: "out", Usage: "directory for the HTML and JSON reports (default: <home>/reports)"},
			&ucli.DurationFlag{Name: "max-header-age", Value: audit.DefaultMaxHeaderAge, Usage: "refuse (exit 2) a latest header older than this: a stale state, or a halted chain"},
			&ucli.DurationFlag{Name: "timeout", Value: defaultTimeout, Usage: "give up (exit 2) when the audit has not finished in this long"},
		},
		Action: func(c *ucli.Context) error {
			ctx, cancel := context.WithTimeout(c.Context, c.Duration("timeout"))
			defer cancel()
			report := run(ctx, session{home: c.String("home"), maxAge: c.Duration("max-header-age"), progress: c.App.ErrWriter}, c.Args().First())
			if err := writeReport(c, report); err != nil {
				return ucli.Exit(err.Error(), int(audit.OutcomeCannotVerify))
			}
			if report.ExitCode != 0 {
				return ucli.Exit("", report.ExitCode)
			}
			return nil
		},
	}
}

// defaultTimeout bounds a whole audit: a server that stalls gets exit 2,
// never a hung command.
const defaultTimeout = 5 * time.Minute

// auditVIN runs the audit; every failure ends in a report that says so.
func auditVIN(ctx context.Context, s session, raw string) audit.Report {
	now := time.Now()
	vin, err := vehicletypes.ParseVIN(raw)
	if err != nil {
		return audit.FailedReport(raw, fmt.Errorf("malformed VIN %q: %w", raw, err), now)
	}
	cfg, err := LoadConfig(s.home)
	if err != nil {
		return audit.FailedReport(vin.Value, err, now)
	}
	hub, err := openHub(ctx, s, cfg, vin.Value)
	if err != nil {
		return audit.FailedReport(vin.Value, err, now)
	}
	defer hub.headers.Close()
	ev, err := audit.Fetch(ctx, hub.prover, vin.Value, hub.state)
	if err != nil {
		return audit.FailedReport(vin.Value, primaryFailed(cfg.Hub.Primary, err), now)
	}
	findings := audit.Verify(hub.state.AppHash, ev)
	dealers, closeAll, err := dealerChains(ctx, s, cfg.Dealers)
	defer closeAll()
	if err == nil {
		err = audit.CheckOrigins(ctx, &findings, dealers)
	}
	if err != nil {
		return audit.FailedReport(vin.Value, err, now)
	}
	return audit.NewReport(hub.header(cfg), hub.state.AppHash, findings, now)
}

// primaryFailed says that the primary did not serve the proofs: it did not
// answer in time, or answered with an error.
func primaryFailed(primary string, err error) error {
	var timeout interface{ Timeout() bool }
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &timeout) && timeout.Timeout() {
		return fmt.Errorf("%w: primary %s did not answer: %v", audit.ErrCannotVerify, primary, err)
	}
	return fmt.Errorf("%w: primary %s: %v", audit.ErrCannotVerify, primary, err)
}

// verifiedHub is the hub's latest header, verified, and the primary to read proofs from.
type verifiedHub struct {
	headers *audit.Headers
	state   audit.Verified
	prover  audit.RPCProver
}

// openHub verifies the hub's latest header with the light client; the
// caller closes headers.
func openHub(ctx context.Context, s session, cfg Config, what string) (verifiedHub, error) {
	anchor, _ := cfg.Hub.Anchor()
	headers, err := audit.NewRPCHeaders(ctx, cfg.Hub.ChainID, anchor, s.maxAge, cfg.Hub.Primary, cfg.Hub.Witnesses, filepath.Join(s.home, "light"))
	if err != nil {
		return verifiedHub{}, err
	}
	state, err := headers.Latest(ctx)
	if err != nil {
		headers.Close()
		return verifiedHub{}, err
	}
	fmt.Fprintf(s.progress, "vinaudit: hub %s header %d of %s verified; reading %s with proofs at height %d\n",
		cfg.Hub.ChainID, state.Height+1, state.Time.UTC().Format(time.RFC3339), what, state.Height)
	rpc, err := client.NewReadRPC(cfg.Hub.Primary)
	if err != nil {
		headers.Close()
		return verifiedHub{}, fmt.Errorf("%w: %v", audit.ErrCannotVerify, err)
	}
	return verifiedHub{headers: headers, state: state, prover: audit.RPCProver{RPC: rpc}}, nil
}

func (h verifiedHub) header(cfg Config) audit.Header {
	return audit.Header{ChainID: cfg.Hub.ChainID, Height: h.state.Height, Time: h.state.Time, Primary: cfg.Hub.Primary, Witnesses: h.state.Witnesses}
}

func evidenceCmd() *ucli.Command {
	return auditCmd("evidence", "prove when a file was first anchored on the hub, or that it never was (hashed locally; exit codes as for vin)", "<file>", auditDocument)
}

// auditDocument hashes the file locally and proves its first anchoring
// (or its absence) against the hub's verified header.
func auditDocument(ctx context.Context, s session, file string) audit.Report {
	now := time.Now()
	failed := func(doc string, err error) audit.Report {
		r := audit.FailedReport("", err, now)
		r.Document = doc
		return r
	}
	sum, err := anchorcli.HashFile(file)
	if err != nil {
		return failed("", err)
	}
	doc := hex.EncodeToString(sum)
	cfg, err := LoadConfig(s.home)
	if err != nil {
		return failed(doc, err)
	}
	hub, err := openHub(ctx, s, cfg, "the anchoring of SHA-256 "+doc)
	if err != nil {
		return failed(doc, err)
	}
	defer hub.headers.Close()
	read, err := audit.FetchAnchoring(ctx, hub.prover, sum, hub.state.Height)
	if err != nil {
		return failed(doc, primaryFailed(cfg.Hub.Primary, err))
	}
	return audit.NewReport(hub.header(cfg), hub.state.AppHash, audit.VerifyDocument(hub.state.AppHash, sum, hub.state.Height, read), now)
}

func disclosureCmd() *ucli.Command {
	return auditCmd("disclosure", "prove a disclosed sealed field (query vehicle disclose) against the hub's record, without trusting the node (exit codes as for vin)", "<disclosure.json>", auditDisclosure)
}

// auditDisclosure proves the record a disclosure names against the hub's
// verified header and checks the disclosed field against its envelope: a
// node the disclosure's holder names cannot answer with a crafted record.
func auditDisclosure(ctx context.Context, s session, file string) audit.Report {
	now := time.Now()
	bz, err := os.ReadFile(file)
	if err != nil {
		return audit.FailedReport("", err, now)
	}
	var d sealed.Disclosure
	if err := jsonpb.Unmarshal(bytes.NewReader(bz), &d); err != nil {
		return audit.FailedReport("", fmt.Errorf("disclosure %s: %w", file, err), now)
	}
	cfg, err := LoadConfig(s.home)
	if err != nil {
		return audit.FailedReport("", err, now)
	}
	hub, err := openHub(ctx, s, cfg, "the record of disclosure "+d.RecordRef)
	if err != nil {
		return audit.FailedReport("", err, now)
	}
	defer hub.headers.Close()
	read, err := audit.FetchDisclosedRecord(ctx, hub.prover, d, hub.state.Height)
	if err != nil {
		return audit.FailedReport("", primaryFailed(cfg.Hub.Primary, err), now)
	}
	return audit.NewReport(hub.header(cfg), hub.state.AppHash, audit.VerifyDisclosure(hub.state.AppHash, cfg.Hub.ChainID, hub.state.Height, d, read), now)
}

// dealerChains opens a light client and a prover per configured dealer chain.
func dealerChains(ctx context.Context, s session, chains []Chain) (map[string]audit.Dealer, func(), error) {
	dealers := map[string]audit.Dealer{}
	var opened []*audit.Headers
	closeAll := func() {
		for _, h := range opened {
			h.Close()
		}
	}
	for _, c := range chains {
		anchor, _ := c.Anchor()
		headers, err := audit.NewRPCHeaders(ctx, c.ChainID, anchor, s.maxAge, c.Primary, c.Witnesses, filepath.Join(s.home, "light"))
		if err != nil {
			return nil, closeAll, err
		}
		opened = append(opened, headers)
		rpc, err := client.NewReadRPC(c.Primary)
		if err != nil {
			return nil, closeAll, fmt.Errorf("%w: %v", audit.ErrCannotVerify, err)
		}
		dealers[c.ChainID] = audit.Dealer{Headers: headers, Prover: audit.RPCProver{RPC: rpc}}
	}
	return dealers, closeAll, nil
}

// writeReport writes the HTML and JSON files, then the summary (or the
// JSON with --json) on stdout and where the HTML is on stderr.
func writeReport(c *ucli.Context, r audit.Report) error {
	out := c.String("out")
	if out == "" {
		out = filepath.Join(c.String("home"), "reports")
	}
	if err := os.MkdirAll(out, 0o700); err != nil {
		return err
	}
	subject := r.VIN
	if r.Document != "" {
		subject = "evidence-" + r.Document
	}
	name := fmt.Sprintf("%s-%s", subject, r.GeneratedAt.Format("20060102T150405Z"))
	if r.Hub != nil {
		name = fmt.Sprintf("%s-%d", subject, r.Hub.Height)
	}
	bz, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	var page bytes.Buffer
	if err := r.WriteHTML(&page); err != nil {
		return err
	}
	htmlPath := filepath.Join(out, name+".html")
	if err := errors.Join(os.WriteFile(filepath.Join(out, name+".json"), bz, 0o600), os.WriteFile(htmlPath, page.Bytes(), 0o600)); err != nil {
		return err
	}
	fmt.Fprintf(c.App.ErrWriter, "vinaudit: report %s\n", htmlPath)
	if c.Bool("json") {
		_, err = fmt.Fprintln(c.App.Writer, string(bz))
		return err
	}
	return r.WriteText(c.App.Writer)
}
