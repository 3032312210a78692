package rlynode

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

// Version is the rly release Binary builds.
const Version = "v2.6.0"

// Environment overrides: an existing rly binary, or where the source archive is.
const (
	EnvBinary  = "VINHUB_RLY"
	EnvArchive = "VINHUB_RLY_ARCHIVE"
)

// archiveName is the source archive's file name; it unpacks to srcDir.
const (
	archiveName = "rly-" + Version + ".tar.gz"
	srcDir      = "rly-" + Version
)

// installMu keeps one test binary from running two builds at once; other
// processes are kept apart by building into a private directory and
// renaming the result into place.
var installMu sync.Mutex

// Archive is where the rly source archive is looked for: VINHUB_RLY_ARCHIVE,
// else ../shared/peers/ next to the repository root.
func Archive(repoRoot string) string {
	if p := os.Getenv(EnvArchive); p != "" {
		return p
	}
	return filepath.Join(filepath.Dir(repoRoot), "shared", "peers", archiveName)
}

// Binary returns the path of an rly Version binary, building it from the
// archive into the user cache directory the first time.
func Binary(ctx context.Context, archive string) (string, error) {
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
	bin := filepath.Join(dir, exeName("rly"))
	installMu.Lock()
	defer installMu.Unlock()
	if isFile(bin) {
		return bin, nil
	}
	if !isFile(archive) {
		return "", missingArchive(archive)
	}
	if err := build(ctx, dir, archive, bin); err != nil {
		return "", err
	}
	return bin, nil
}

// missingArchive says how to get the archive: CI always has it.
func missingArchive(archive string) error {
	return fmt.Errorf("rly %s source archive not found at %s: put %s there (github.com/cosmos/relayer tag %s, "+
		"`git archive --prefix=%s/ %s | gzip > %s` in a clone; CI provides it in ../shared/peers), "+
		"or set %s to the archive or %s to an rly binary", Version, archive, archiveName, Version,
		srcDir, Version, archiveName, EnvArchive, EnvBinary)
}

// cacheDir is where the built binary is kept, one directory per version.
func cacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "vinhub", "rly-"+Version)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("rly cache dir: %w", err)
	}
	return dir, nil
}

// build unpacks the archive into a private directory under dir, builds rly
// there against its own go.mod and renames the binary to bin.
func build(ctx context.Context, dir, archive, bin string) error {
	tmp, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		return fmt.Errorf("rly build dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	if out, err := exec.CommandContext(ctx, "tar", "xzf", archive, "-C", tmp).CombinedOutput(); err != nil {
		return fmt.Errorf("unpack %s: %w: %s", archive, err, strings.TrimSpace(string(out)))
	}
	built := filepath.Join(tmp, exeName("rly"))
	cmd := exec.CommandContext(ctx, "go", "build", "-o", built, ".")
	cmd.Dir = filepath.Join(tmp, srcDir)
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=", "GO111MODULE=on")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build rly %s from %s: %w: %s", Version, archive, err, strings.TrimSpace(string(out)))
	}
	if !isFile(built) {
		return errors.New("go build rly left no binary in " + tmp)
	}
	if err := os.Rename(built, bin); err != nil {
		return fmt.Errorf("move rly into the cache: %w", err)
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
