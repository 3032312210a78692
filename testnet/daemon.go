package testnet

import (
	"fmt"
	"syscall"
)

// daemon is a long-running off-chain program a harness runs in the
// background (vinrelay, vinindex, rly): at most one run at a time, in its
// own process group, its output appended to a log file. Nodes have their
// own control (a mutex, SIGINT, stopping many at once).
type daemon struct {
	proc *process
}

// idle refuses a second run while one is going; name says which instance
// ("vinrelay <home>"). Callers that prepare a run (a fresh metrics port)
// ask before preparing it.
func (d *daemon) idle(name string) error {
	if d.proc != nil {
		return fmt.Errorf("%s already running", name)
	}
	return nil
}

// start runs binary with args in the background, appending to logPath.
func (d *daemon) start(name, logPath, binary string, args ...string) error {
	if err := d.idle(name); err != nil {
		return err
	}
	p, err := startProcess(logPath, binary, args...)
	if err != nil {
		return err
	}
	d.proc = p
	return nil
}

// Stop sends SIGTERM and waits for a graceful exit (SIGKILL after a
// timeout). Stopping what does not run does nothing.
func (d *daemon) Stop() error { return d.stop(syscall.SIGTERM) }

// Kill sends SIGKILL: the crash a restart must recover from.
func (d *daemon) Kill() error { return d.stop(syscall.SIGKILL) }

func (d *daemon) stop(sig syscall.Signal) error {
	p := d.proc
	if p == nil {
		return nil
	}
	d.proc = nil
	return p.stop(sig)
}

// PID of the running process (0 if not running).
func (d *daemon) PID() int {
	if d.proc == nil {
		return 0
	}
	return d.proc.cmd.Process.Pid
}

// exited reports whether the process started last has exited on its own;
// false when none was started.
func (d *daemon) exited() bool { return d.proc != nil && d.proc.exited() }
