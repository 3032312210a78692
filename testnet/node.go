package testnet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
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

	cmd     *exec.Cmd
	logFile *os.File
	exited  chan error
}

// RPCAddr is the node's CometBFT RPC address for --node.
func (n *Node) RPCAddr() string { return fmt.Sprintf("tcp://127.0.0.1:%d", n.RPCPort) }

// GRPCAddr is the node's gRPC address.
func (n *Node) GRPCAddr() string { return fmt.Sprintf("127.0.0.1:%d", n.GRPCPort) }

// APIAddr is the node's REST address.
func (n *Node) APIAddr() string { return fmt.Sprintf("http://127.0.0.1:%d", n.APIPort) }

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
	Hash   string `json:"txhash"`
	Height string `json:"height"`
	Code   uint32 `json:"code"`
	RawLog string `json:"raw_log"`
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

// Start launches the node in the background, logging to <home>/node.log.
func (n *Node) Start() error {
	logFile, err := os.Create(filepath.Join(n.Home, "node.log"))
	if err != nil {
		return err
	}
	n.logFile = logFile
	n.cmd = exec.Command(n.Binary, "start", "--home", n.Home)
	n.cmd.Stdout, n.cmd.Stderr = logFile, logFile
	if err := n.cmd.Start(); err != nil {
		logFile.Close()
		return fmt.Errorf("start %s: %w", n.Binary, err)
	}
	n.exited = make(chan error, 1)
	go func() { n.exited <- n.cmd.Wait() }()
	return nil
}

// Stop interrupts the node and waits for it to exit.
func (n *Node) Stop() error {
	if n.cmd == nil || n.cmd.Process == nil {
		return nil
	}
	defer n.logFile.Close()
	_ = n.cmd.Process.Signal(os.Interrupt)
	select {
	case <-n.exited:
	case <-time.After(15 * time.Second):
		_ = n.cmd.Process.Kill()
		<-n.exited
	}
	n.cmd = nil
	return nil
}

// Height returns the node's latest block height from its RPC status.
func (n *Node) Height(ctx context.Context) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("http://127.0.0.1:%d/status", n.RPCPort), nil)
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
	for {
		got, err := n.Height(ctx)
		if err == nil && got >= h {
			return nil
		}
		select {
		case exitErr := <-n.exited:
			n.exited <- exitErr
			return fmt.Errorf("node exited (%v); see %s", exitErr, filepath.Join(n.Home, "node.log"))
		case <-ctx.Done():
			return fmt.Errorf("height %d not reached (at %d, err %v): %w", h, got, err, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// freePorts reserves n distinct free TCP ports on 127.0.0.1.
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		listeners = append(listeners, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

var errNoBinary = errors.New("node binary not set")
