package cli

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/relayer"
)

// TestClientRecoverRefusals: `client recover` refuses, before dialling any
// chain or creating anything, an unknown path, a path not linked on the
// side asked for, an unknown side, --submit without --from and flags after
// the path.
func TestClientRecoverRefusals(t *testing.T) {
	home := t.TempDir()
	cfg := validConfig()
	cfg.Paths[0].A.ClientID = "07-tendermint-0"
	require.NoError(t, cfg.Save(home))
	run := func(args ...string) error {
		_, err := vinrelay(t, home, "", append([]string{"client", "recover"}, args...)...)
		return err
	}
	err := run("nope")
	require.ErrorIs(t, err, relayer.ErrUnknownPath)
	require.ErrorContains(t, err, `unknown path "nope"`)
	require.ErrorIs(t, run("hub-a"), relayer.ErrPathNotLinked, "end B has no client yet")
	require.ErrorIs(t, run("--side", "b", "hub-a"), relayer.ErrPathNotLinked)
	require.ErrorContains(t, run("--side", "c", "hub-a"), "want a, b or both")
	require.ErrorContains(t, run("--submit", "--side", "a", "hub-a"), "--submit --from KEY")
	require.ErrorContains(t, run("--from", "gov", "--side", "a", "hub-a"), "--submit --from KEY")
	require.ErrorContains(t, run("hub-a", "--side", "a"), "put flags before them")
	require.ErrorContains(t, run(), "takes 1 argument")
}
