package btcdnode

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// Version is the btcd release Binary installs.
const Version = "v0.24.2"

// EnvBinary names an existing btcd binary to use instead of installing one.
const EnvBinary = "VINHUB_BTCD"

// installMu keeps one test binary from running two installs at once; other
// processes are kept apart by installing into a private directory and
// renaming the result into place.
var installMu sync.Mutex

// Binary returns the path of a btcd Version binary, installing it into the
// user cache directory the first time.
func Binary(ctx context.Context) (string, error) {
	if p := os.Getenv(EnvBinary); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", EnvBinary, p, err)
		}
		return p, nil
	}
	dir, err := cacheDir()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, exeName("btcd"))
	installMu.Lock()
	defer installMu.Unlock()
	if isFile(bin) {
		return bin, nil
	}
	if err := install(ctx, dir, bin); err != nil {
		return "", err
	}
	return bin, nil
}

// cacheDir is where the installed binary is kept, one directory per version.
func cacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "vinhub", "btcd-"+Version)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("btcd cache dir: %w", err)
	}
	return dir, nil
}

// install builds btcd outside this module (so btcd's own go.mod decides its
// dependencies) into a private directory under dir, then renames it to bin.
func install(ctx context.Context, dir, bin string) error {
	tmp, err := os.MkdirTemp(dir, "install-")
	if err != nil {
		return fmt.Errorf("btcd install dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	cmd := exec.CommandContext(ctx, "go", "install", "github.com/btcsuite/btcd@"+Version)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOBIN="+tmp, "GOWORK=off", "GOFLAGS=", "GO111MODULE=on")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go install github.com/btcsuite/btcd@%s: %w: %s", Version, err, strings.TrimSpace(string(out)))
	}
	built := filepath.Join(tmp, exeName("btcd"))
	if !isFile(built) {
		return errors.New("go install github.com/btcsuite/btcd@" + Version + " left no binary in " + tmp)
	}
	if err := os.Rename(built, bin); err != nil {
		return fmt.Errorf("move btcd into the cache: %w", err)
	}
	return nil
}

func exeName(name string) string {
	if runtime.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}
