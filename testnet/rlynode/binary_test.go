package rlynode

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMissingArchiveSaysHowToGetIt: without the archive (and no cached
// binary), Binary fails with where to put it and where it comes from.
func TestMissingArchiveSaysHowToGetIt(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	t.Setenv(EnvBinary, "")
	missing := filepath.Join(t.TempDir(), archiveName)
	_, err := Binary(context.Background(), missing)
	require.ErrorContains(t, err, "source archive not found at "+missing)
	require.ErrorContains(t, err, "github.com/cosmos/relayer tag "+Version)
	require.ErrorContains(t, err, "../shared/peers")
}

func TestArchiveNextToRepository(t *testing.T) {
	t.Setenv(EnvArchive, "")
	require.Equal(t, filepath.FromSlash("/work/shared/peers/rly-v2.6.0.tar.gz"), Archive("/work/wt-rly"))
}
