package testnet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Keyring flags every CLI call uses: a test keyring inside the node home.
const keyringBackend = "test"

// Node is one CometBFT node of a chain daemon, listening on 127.0.0.1 only.
type Node struct {
	Binary  string
	Home    string
	ChainID string
	Denom   string
	// Ports on 127.0.0.1.
	RPCPort, P2PPort, GRPCPort, APIPort int

	mu   sync.Mutex
	proc *process
}

// process is one run of a node's daemon.
type process struct {
	cmd  *exec.Cmd
	log  *os.File
	done chan struct{} // closed once the process has exited and err is set
	err  error
}

// stopTimeout is how long a node may take to exit after SIGINT before it is killed.
const stopTimeout = 15 * time.Second

// RPCAddr is the node's CometBFT RPC address for --node.
func (n *Node) RPCAddr() string { return fmt.Sprintf("tcp://127.0.0.1:%d", n.RPCPort) }

// GRPCAddr is the node's gRPC address.
func (n *Node) GRPCAddr() string { return fmt.Sprintf("127.0.0.1:%d", n.GRPCPort) }

// APIAddr is the node's REST address.
func (n *Node) APIAddr() string { return fmt.Sprintf("http://127.0.0.1:%d", n.APIPort) }

// RPCURL is the node's CometBFT RPC as an http:// URL, for clients that
// want that form (RPCAddr is the tcp:// one of --node and config.toml).
func (n *Node) RPCURL() string { return fmt.Sprintf("http://127.0.0.1:%d", n.RPCPort) }

// Exec runs the daemon's CLI with --home and returns its stdout; stderr is
// folded into the error.
func (n *Node) Exec(ctx context.Context, args ...string) ([]byte, error) {
	args = append(args, "--home", n.Home)
	cmd := exec.CommandContext(ctx, n.Binary, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), fmt.Errorf("%s %s: %w: %s", filepath.Base(n.Binary), strings.Join(args, " "), err, strings.TrimSpace(stderr.String()+" "+stdout.String()))
	}
	return stdout.Bytes(), nil
}

// Query runs a query command with JSON output and decodes it into out.
func (n *Node) Query(ctx context.Context, out any, args ...string) error {
	args = append(append([]string{"query"}, args...), "--node", n.RPCAddr(), "-o", "json")
	bz, err := n.Exec(ctx, args...)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(bz, out); err != nil {
		return fmt.Errorf("decode %q: %w", bz, err)
	}
	return nil
}

// TxResult is the outcome of a committed transaction.
type TxResult struct {
	Hash      string `json:"txhash"`
	Height    string `json:"height"`
	Codespace string `json:"codespace"`
	Code      uint32 `json:"code"`
	RawLog    string `json:"raw_log"`
}

// Tx signs and broadcasts a tx command as key `from`, then waits until it is
// committed and returns its result. A tx refused in CheckTx returns its code
// without waiting. Gas is simulated (so a failing message fails the command)
// unless args set --gas: then the tx reaches a block and fails there.
func (n *Node) Tx(ctx context.Context, from string, args ...string) (TxResult, error) {
	args = append(append([]string{"tx"}, args...),
		"--from", from, "--keyring-backend", keyringBackend, "--chain-id", n.ChainID,
		"--node", n.RPCAddr(), "--yes", "-o", "json")
	if !slices.Contains(args, "--gas") {
		args = append(args, "--gas", "auto", "--gas-adjustment", "1.5")
	}
	bz, err := n.Exec(ctx, args...)
	if err != nil {
		return TxResult{}, err
	}
	var res TxResult
	if err := json.Unmarshal(bz, &res); err != nil {
		return TxResult{}, fmt.Errorf("decode broadcast result %q: %w", bz, err)
	}
	if res.Code != 0 {
		return res, nil
	}
	return n.WaitTx(ctx, res.Hash)
}

// WaitTx polls until the tx is in a block.
func (n *Node) WaitTx(ctx context.Context, hash string) (TxResult, error) {
	for {
		var res TxResult
		err := n.Query(ctx, &res, "tx", hash)
		if err == nil {
			return res, nil
		}
		select {
		case <-ctx.Done():
			return TxResult{}, fmt.Errorf("tx %s not committed: %w (last error: %v)", hash, ctx.Err(), err)
		case <-time.After(300 * time.Millisecond):
		}
	}
}

// KeyAddress returns the account address of a key in the node's keyring.
func (n *Node) KeyAddress(ctx context.Context, name string) (string, error) {
	out, err := n.Exec(ctx, "keys", "show", name, "-a", "--keyring-backend", keyringBackend)
	return strings.TrimSpace(string(out)), err
}

// LogPath is the file the node's daemon logs to.
func (n *Node) LogPath() string { return filepath.Join(n.Home, "node.log") }

// Start launches the node in the background in its own process group,
// appending to LogPath.
func (n *Node) Start() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.proc != nil {
		return fmt.Errorf("node %s already running", n.Home)
	}
	p, err := startProcess(n.LogPath(), n.Binary, "start", "--home", n.Home)
	if err != nil {
		return err
	}
	n.proc = p
	return nil
}

// Stop interrupts the node and waits for it to exit, killing it if it has
// not within 15s. Stopping a node that is not running does nothing.
func (n *Node) Stop() error { return stopNodes([]*Node{n}) }

// Kill sends SIGKILL to the node (a crash, for fault tests) and waits until
// it has exited.
func (n *Node) Kill() error {
	p := n.detach()
	if p == nil {
		return fmt.Errorf("node %s not running", n.Home)
	}
	_ = p.cmd.Process.Kill() // fails only if it has exited already
	<-p.done
	return nil
}

// Restart stops the node if it runs and starts it again from its home.
func (n *Node) Restart() error {
	if err := n.Stop(); err != nil {
		return err
	}
	return n.Start()
}

// StartWait starts the node and waits until it has committed block 2 (its
// first block after genesis with the app's state in it).
func (n *Node) StartWait(ctx context.Context) error {
	if err := n.Start(); err != nil {
		return err
	}
	if err := n.WaitHeight(ctx, 2); err != nil {
		n.Stop()
		return err
	}
	return nil
}

// PID is the running node's process id, 0 when it is not running.
func (n *Node) PID() int {
	p := n.current()
	if p == nil {
		return 0
	}
	return p.cmd.Process.Pid
}

// SetConfig sets key in [section] of one of the node's config files
// (config.toml, app.toml, client.toml; section "" is the top level), for
// settings a harness needs beyond the chain spec's; restart to apply.
func (n *Node) SetConfig(file, section, key, value string) error {
	return setTOML(filepath.Join(n.Home, "config", file), section, key, value)
}

// Config is the value of key in [section] of one of the node's config
// files, as written there (a string keeps its quotes).
func (n *Node) Config(file, section, key string) (string, error) {
	return getTOML(filepath.Join(n.Home, "config", file), section, key)
}

// Started reports whether the node was started and has not been stopped or
// killed since (a node that exited on its own still counts).
func (n *Node) Started() bool { return n.current() != nil }

func (n *Node) current() *process {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.proc
}

// detach takes the node's process away from it, so it is stopped only once.
func (n *Node) detach() *process {
	n.mu.Lock()
	defer n.mu.Unlock()
	p := n.proc
	n.proc = nil
	return p
}

// startProcess runs binary in its own process group, appending its output
// to logPath, and notes its exit.
func startProcess(logPath, binary string, args ...string) (*process, error) {
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open log: %w", err)
	}
	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s: %w", binary, err)
	}
	p := &process{cmd: cmd, log: logFile, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		p.log.Close()
		close(p.done)
	}()
	return p, nil
}

// exited reports whether the process has exited.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop sends sig and waits for the exit, killing the process if it has not
// exited within stopTimeout.
func (p *process) stop(sig os.Signal) error {
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.done:
		return nil
	case <-time.After(stopTimeout):
		_ = p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("%s did not stop within %s after %s; killed", p.cmd, stopTimeout, sig)
	}
}

// stopNodes sends SIGINT to every running node at once, then waits for all of
// them, killing those still running after stopTimeout.
func stopNodes(nodes []*Node) error {
	var procs []*process
	for _, n := range nodes {
		if p := n.detach(); p != nil {
			_ = p.cmd.Process.Signal(os.Interrupt)
			procs = append(procs, p)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	var errs []error
	for _, p := range procs {
		select {
		case <-p.done:
		case <-ctx.Done():
			_ = p.cmd.Process.Kill()
			<-p.done
			errs = append(errs, fmt.Errorf("%s did not stop within %s after SIGINT; killed", p.cmd, stopTimeout))
		}
	}
	return errors.Join(errs...)
}

// Height returns the node's latest block height from its RPC status.
func (n *Node) Height(ctx context.Context) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, n.RPCURL()+"/status", nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var status struct {
		Result struct {
			SyncInfo struct {
				LatestBlockHeight string `json:"latest_block_height"`
			} `json:"sync_info"`
		} `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&status); err != nil {
		return 0, fmt.Errorf("decode status: %w", err)
	}
	return strconv.ParseInt(status.Result.SyncInfo.LatestBlockHeight, 10, 64)
}

// WaitHeight waits until the node has committed height h.
func (n *Node) WaitHeight(ctx context.Context, h int64) error {
	p := n.current()
	var exited <-chan struct{} // nil (never ready) when the node is not running
	if p != nil {
		exited = p.done
	}
	for {
		got, err := n.Height(ctx)
		if err == nil && got >= h {
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("node exited (%v); see %s", p.err, n.LogPath())
		case <-ctx.Done():
			return fmt.Errorf("height %d not reached (at %d, err %v): %w", h, got, err, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

var errNoBinary = errors.New("node binary not set")
