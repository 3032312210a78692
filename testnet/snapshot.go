package testnet

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// Snapshot stops every chain and copies each chain's home to dir/<chain
// id>, so Restore can bring the network back to exactly this state.
func (nw *Network) Snapshot(dir string) error {
	if err := nw.Stop(); err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, c := range nw.Chains() {
		if err := copyTree(c.Spec.Home, filepath.Join(dir, c.ID())); err != nil {
			return err
		}
	}
	return nil
}

// Restore stops every chain, puts back the homes Snapshot saved in dir,
// starts the chains again and waits until each has made a new block.
func (nw *Network) Restore(ctx context.Context, dir string) error {
	if err := nw.Stop(); err != nil {
		return err
	}
	for _, c := range nw.Chains() {
		if err := os.RemoveAll(c.Spec.Home); err != nil {
			return err
		}
		if err := copyTree(filepath.Join(dir, c.ID()), c.Spec.Home); err != nil {
			return err
		}
	}
	for _, c := range nw.Chains() {
		if err := c.Start(); err != nil {
			return err
		}
	}
	for _, c := range nw.Chains() {
		if err := c.WaitHeight(ctx, 1); err != nil { // the RPC answers
			return err
		}
		h, err := c.Node(0).Height(ctx)
		if err != nil {
			return err
		}
		if err := c.WaitHeight(ctx, h+1); err != nil {
			return err
		}
	}
	return nil
}

// copyTree copies a directory with its modes (cp -a).
func copyTree(from, to string) error {
	if out, err := exec.Command("cp", "-a", from, to).CombinedOutput(); err != nil {
		return fmt.Errorf("cp -a %s %s: %w: %s", from, to, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// CPUSeconds is the user plus system CPU time a process has used so far,
// from /proc (Linux, 100 clock ticks a second).
func CPUSeconds(pid int) (float64, error) {
	bz, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name (which may hold spaces) start at ")".
	s := string(bz)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("pid %d: short /proc stat", pid)
	}
	utime, err := strconv.ParseFloat(fields[11], 64)
	if err != nil {
		return 0, err
	}
	stime, err := strconv.ParseFloat(fields[12], 64)
	if err != nil {
		return 0, err
	}
	return (utime + stime) / 100, nil
}

// Pin sets the CPU affinity of a process and all its threads (taskset).
func Pin(pid int, cpus string) error {
	if out, err := exec.Command("taskset", "-a", "-p", "-c", cpus, strconv.Itoa(pid)).CombinedOutput(); err != nil {
		return fmt.Errorf("taskset -a -p -c %s %d: %w: %s", cpus, pid, err, strings.TrimSpace(string(out)))
	}
	return nil
}
