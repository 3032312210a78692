package btcdnode

import "syscall"

// sysProcAttr puts btcd in its own process group, so a Ctrl-C on the
// terminal reaches only the harness, which then stops the node; the kernel
// kills btcd if the harness dies first.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
