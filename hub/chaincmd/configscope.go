package chaincmd

import (
	"fmt"
	"os"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// PinConfigScope makes sdk.GetConfig cheap for the rest of the process.
// Without COSMOS_SDK_CONFIG_SCOPE, cosmos-sdk v0.54 names the process's
// address config "host|executable|pid" anew on every call, a uname and a
// readlink system call each time, and every bech32 address check calls it:
// ~7 % of a hub node's CPU under a load of record or bank transactions
// (docs/benchmarks.md, "Hub ingestion"). The scope is pinned to that same
// name, so the config any earlier call got stays the one every later call
// gets. A scope the operator set is kept.
func PinConfigScope() error {
	if os.Getenv(sdk.EnvConfigScope) != "" {
		return nil
	}
	// The same fallbacks as the SDK's own naming, so the name is the same.
	exe, err := os.Executable()
	if err != nil {
		exe = "unknown-exe"
	}
	host, err := os.Hostname()
	if err != nil {
		host = "unknown-host"
	}
	if err := os.Setenv(sdk.EnvConfigScope, fmt.Sprintf("%s|%s|%d", host, exe, os.Getpid())); err != nil {
		return fmt.Errorf("pin the SDK config scope: %w", err)
	}
	return nil
}
