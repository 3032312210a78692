package cli

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	ucli "github.com/urfave/cli/v2"

	"github.com/vinhub/vinhub/audit/internal/testchain"
	"github.com/vinhub/vinhub/client"
)

const (
	testChain = "vinhub-cli"
	car       = "1HGCM82633A004352"
)

// vinaudit runs the command as cmd/vinaudit does and returns its exit code
// and everything it wrote.
func vinaudit(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	app := App()
	app.Writer, app.ErrWriter = &out, &out
	err := app.Run(append([]string{"vinaudit"}, args...))
	var exit ucli.ExitCoder
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("vinaudit %s: %v", strings.Join(args, " "), err)
	}
	code := 0
	if exit != nil {
		code = exit.ExitCode()
	}
	t.Logf("vinaudit %s: exit %d\n%s", strings.Join(args, " "), code, out.String())
	return code, out.String()
}

// home writes a config trusting header 1 of chain, read from primary and
// witness, for period.
func home(t *testing.T, chain testchain.Chain, primary, witness string, period time.Duration) string {
	t.Helper()
	dir := t.TempDir()
	cfg := Config{Hub: Chain{ChainID: testChain, Primary: primary, Witnesses: []string{witness}, TrustHeight: 1,
		TrustHash: fmt.Sprintf("%X", chain.Headers[1].Hash()), TrustingPeriod: client.Duration{Duration: period}}}
	require.NoError(t, cfg.Save(dir))
	return dir
}

// TestVinauditCannotVerify: the vinaudit command exits 2 with a report
// saying why when it cannot verify: the RPCs are unreachable, the trust
// anchor expired, or the primary stalls serving proofs (within --timeout).
func TestVinauditCannotVerify(t *testing.T) {
	vals := testchain.Keys(1)
	testCases := []struct {
		name string
		// age is how long ago the chain's first block was (a block a minute, 20 blocks).
		age  time.Duration
		down bool
		args []string
		says []string
	}{
		{"unreachable RPCs", time.Hour, true, nil, []string{"primary http{http://127.0.0.1:1} unreachable"}},
		{"an expired trust anchor", 3 * time.Hour, false, nil, []string{"expired at", "configure a recent trusted header"}},
		{"a primary that never answers a proof read", 25 * time.Minute, false, []string{"--timeout", "3s"}, []string{"header 20 of", "did not answer"}},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			chain := testchain.New(testChain, vals, time.Now().Add(-tc.age), 20, 0)
			primary, witness := "http://127.0.0.1:1", "http://127.0.0.1:2"
			if !tc.down {
				primary = chain.Serve(t)
				witness = primary
			}
			began := time.Now()
			code, out := vinaudit(t, append(append([]string{"--home", home(t, chain, primary, witness, time.Hour), "vin"}, tc.args...), car)...)
			require.Equal(t, 2, code, out)
			require.Less(t, time.Since(began), 10*time.Second)
			require.Contains(t, out, "COULD NOT VERIFY")
			for _, s := range tc.says {
				require.Contains(t, out, s)
			}
		})
	}
}
