// Command vinaudit proves a VIN's history on the vinhub hub from the
// chain's own consensus, through RPC servers that may lie, and writes a
// JSON, HTML and text report. Exit codes: 0 everything proven, 1 a
// contradiction found, 2 could not verify. See docs/auditor-guide.md.
package main

import (
	"errors"
	"fmt"
	"os"

	ucli "github.com/urfave/cli/v2"

	"github.com/vinhub/vinhub/audit/cli"
)

func main() {
	err := cli.App().Run(os.Args)
	var exit ucli.ExitCoder
	switch {
	case err == nil:
	case errors.As(err, &exit):
		if msg := exit.Error(); msg != "" {
			fmt.Fprintln(os.Stderr, "vinaudit:", msg)
		}
		os.Exit(exit.ExitCode())
	default:
		fmt.Fprintln(os.Stderr, "vinaudit:", err)
		os.Exit(2)
	}
}
