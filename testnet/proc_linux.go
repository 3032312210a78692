package testnet

import "syscall"

// sysProcAttr puts a node in its own process group, so a Ctrl-C on the
// terminal reaches only the harness, which then stops the nodes in order;
// the kernel kills the node if the harness itself dies first.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
