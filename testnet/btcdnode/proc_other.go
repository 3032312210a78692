//go:build !linux

package btcdnode

import "syscall"

// sysProcAttr leaves the process attributes as they are where Linux's
// parent-death signal does not exist.
func sysProcAttr() *syscall.SysProcAttr { return nil }
