//go:build !linux

package testnet

import "syscall"

// sysProcAttr leaves a node in the harness's process group off Linux.
func sysProcAttr() *syscall.SysProcAttr { return nil }
