package testnet

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// RepoRoot walks up from the working directory to the directory holding go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
		dir = parent
	}
}

// Build compiles the named commands (e.g. "vinhubd") from cmd/ into outDir
// and returns their paths in the same order.
func Build(ctx context.Context, repoRoot, outDir string, commands ...string) ([]string, error) {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	args := []string{"build", "-o", outDir + string(os.PathSeparator)}
	paths := make([]string, len(commands))
	for i, c := range commands {
		args = append(args, "./cmd/"+c)
		paths[i] = filepath.Join(outDir, c)
		if runtime.GOOS == "windows" {
			paths[i] += ".exe"
		}
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return paths, nil
}

// BuildInto compiles this repository's named commands into home/bin, as
// the harness commands (localnet, benchmarks) run them, and returns their
// paths in the same order.
func BuildInto(ctx context.Context, home string, commands ...string) ([]string, error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	return Build(ctx, root, filepath.Join(home, "bin"), commands...)
}
