// Package debpkg installs the Debian packages the harness runs for real
// (postgresql, chromium) when the machine lacks them.
package debpkg

import (
	"context"
	"fmt"
	"os"
	"os/exec"
)

// Install runs apt-get update and install for pkgs, with sudo unless root.
func Install(ctx context.Context, pkgs ...string) error {
	sudo := []string{}
	if os.Geteuid() != 0 {
		sudo = []string{"sudo"}
	}
	run := func(args ...string) error {
		cmd := exec.CommandContext(ctx, args[0], args[1:]...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("debpkg: %v: %w: %s", args, err, out)
		}
		return nil
	}
	if err := run(append(sudo, "apt-get", "update", "-qq")...); err != nil {
		return err
	}
	return run(append(append(sudo, "apt-get", "install", "-y", "-qq"), pkgs...)...)
}

// Binary finds name on PATH, installing pkg first if it is not there.
func Binary(ctx context.Context, name, pkg string) (string, error) {
	if path, err := exec.LookPath(name); err == nil {
		return path, nil
	}
	if err := Install(ctx, pkg); err != nil {
		return "", err
	}
	return exec.LookPath(name)
}
