package btcdnode

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg"
	"github.com/btcsuite/btcd/rpcclient"
	"github.com/vinhub/vinhub/testnet/loopback"
)

// Options configure Start.
type Options struct {
	// Dir holds the chain data and the logs. Required.
	Dir string
	// Net is "simnet" (the default) or "regtest".
	Net string
	// MiningAddr receives the coinbase of every block Generate mines;
	// without it Generate fails.
	MiningAddr string
	// RPCUser and RPCPass default to random values.
	RPCUser, RPCPass string
	// Binary is the btcd to run; Binary(ctx) when empty.
	Binary string
	// Args are extra btcd flags, appended last.
	Args []string
}

// Node is one running btcd on 127.0.0.1.
type Node struct {
	// Params are the chain's parameters (simnet or regtest).
	Params *chaincfg.Params
	// RPCAddr and P2PAddr are host:port on 127.0.0.1.
	RPCAddr, P2PAddr string
	// RPCUser and RPCPass authenticate RPC calls.
	RPCUser, RPCPass string
	// LogPath is btcd's own log file.
	LogPath string

	miningAddr string
	cmd        *exec.Cmd
	out        *os.File
	done       chan struct{} // closed when the process has exited
	client     *rpcclient.Client
	stopOnce   sync.Once
}

const (
	startAttempts = 3
	startTimeout  = 60 * time.Second
	stopTimeout   = 15 * time.Second
)

// Start runs btcd with the flags in the package doc and returns once its
// RPC server answers. A start that loses its ports to another process is
// retried on new ports.
func Start(ctx context.Context, opts Options) (*Node, error) {
	if opts.Dir == "" {
		return nil, errors.New("btcdnode: Options.Dir is required")
	}
	params, err := netParams(opts.Net)
	if err != nil {
		return nil, err
	}
	if opts.Binary == "" {
		if opts.Binary, err = Binary(ctx); err != nil {
			return nil, err
		}
	}
	if opts.RPCUser == "" {
		opts.RPCUser = "vinhub"
	}
	if opts.RPCPass == "" {
		opts.RPCPass = randomHex(16)
	}
	var errs []error
	for range startAttempts {
		n, err := start(ctx, opts, params)
		if err == nil {
			return n, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return nil, fmt.Errorf("btcdnode: start btcd: %w", errors.Join(errs...))
}

// ForTest starts a node for t (in t.TempDir() when opts.Dir is empty) and
// stops it when the test ends.
func ForTest(t testing.TB, opts Options) *Node {
	t.Helper()
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	n, err := Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Stop)
	return n
}

func netParams(name string) (*chaincfg.Params, error) {
	switch name {
	case "", "simnet":
		return &chaincfg.SimNetParams, nil
	case "regtest":
		return &chaincfg.RegressionNetParams, nil
	}
	return nil, fmt.Errorf("btcdnode: net %q: want simnet or regtest", name)
}

// start is one attempt: fresh ports, launch, wait for RPC.
func start(ctx context.Context, opts Options, params *chaincfg.Params) (*Node, error) {
	ports, err := loopback.Ports(2)
	if err != nil {
		return nil, err
	}
	n := &Node{
		Params:     params,
		RPCAddr:    fmt.Sprintf("127.0.0.1:%d", ports[0]),
		P2PAddr:    fmt.Sprintf("127.0.0.1:%d", ports[1]),
		RPCUser:    opts.RPCUser,
		RPCPass:    opts.RPCPass,
		LogPath:    filepath.Join(opts.Dir, "logs", params.Name, "btcd.log"),
		miningAddr: opts.MiningAddr,
		done:       make(chan struct{}),
	}
	if err := n.launch(opts); err != nil {
		return nil, err
	}
	if err := n.waitRPC(ctx); err != nil {
		n.Stop()
		return nil, err
	}
	return n, nil
}

// args are btcd's flags; see the package doc for why each is there.
func (n *Node) args(opts Options) []string {
	args := []string{
		"--" + n.Params.Name,
		"--datadir=" + filepath.Join(opts.Dir, "data"),
		"--logdir=" + filepath.Join(opts.Dir, "logs"),
		"--listen=" + n.P2PAddr,
		"--rpclisten=" + n.RPCAddr,
		"--notls",
		"--rpcuser=" + n.RPCUser,
		"--rpcpass=" + n.RPCPass,
		"--txindex",
		"--addrindex",
		"--rejectnonstd",
		"--nodnsseed",
	}
	if opts.MiningAddr != "" {
		args = append(args, "--miningaddr="+opts.MiningAddr)
	}
	return append(args, opts.Args...)
}

func (n *Node) launch(opts Options) error {
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return fmt.Errorf("node dir: %w", err)
	}
	out, err := os.OpenFile(filepath.Join(opts.Dir, "btcd.out"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("btcd output file: %w", err)
	}
	cmd := exec.Command(opts.Binary, n.args(opts)...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		out.Close()
		return fmt.Errorf("run %s: %w", opts.Binary, err)
	}
	n.cmd, n.out = cmd, out
	go func() {
		_ = cmd.Wait()
		out.Close()
		close(n.done)
	}()
	return nil
}

// waitRPC polls getblockcount until it answers, the process exits or the
// start times out.
func (n *Node) waitRPC(ctx context.Context) error {
	client, err := rpcclient.New(n.RPCConfig(), nil)
	if err != nil {
		return fmt.Errorf("rpc client: %w", err)
	}
	n.client = client
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		_, err := client.GetBlockCount()
		if err == nil {
			return nil
		}
		select {
		case <-n.done:
			return fmt.Errorf("btcd exited before its RPC answered: %s", n.outputTail())
		case <-ctx.Done():
			return fmt.Errorf("btcd RPC on %s did not answer: %w (last: %v)", n.RPCAddr, ctx.Err(), err)
		case <-tick.C:
		}
	}
}

// outputTail is the end of btcd's stdout/stderr and log, for errors.
func (n *Node) outputTail() string {
	var parts []string
	for _, p := range []string{n.out.Name(), n.LogPath} {
		b, err := os.ReadFile(p)
		if err != nil || len(b) == 0 {
			continue
		}
		if len(b) > 2000 {
			b = b[len(b)-2000:]
		}
		parts = append(parts, strings.TrimSpace(string(b)))
	}
	return strings.Join(parts, "\n")
}

// RPCConfig is how an rpcclient reaches the node (HTTP POST, no TLS).
func (n *Node) RPCConfig() *rpcclient.ConnConfig {
	return &rpcclient.ConnConfig{
		Host:         n.RPCAddr,
		User:         n.RPCUser,
		Pass:         n.RPCPass,
		Params:       n.Params.Name,
		HTTPPostMode: true,
		DisableTLS:   true,
	}
}

// Client is the node's RPC client, shared; it is shut down by Stop.
func (n *Node) Client() *rpcclient.Client { return n.client }

// Stop interrupts btcd, kills it if it has not exited within stopTimeout,
// and waits for it. Safe to call more than once.
func (n *Node) Stop() {
	n.stopOnce.Do(func() {
		if n.client != nil {
			n.client.Shutdown()
		}
		if n.cmd == nil || n.cmd.Process == nil {
			return
		}
		_ = n.cmd.Process.Signal(os.Interrupt)
		select {
		case <-n.done:
		case <-time.After(stopTimeout):
			_ = n.cmd.Process.Kill()
			<-n.done
		}
	})
}

// Done is closed once the btcd process has exited.
func (n *Node) Done() <-chan struct{} { return n.done }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
