// Command vinrelay relays IBC v2 and classic IBC v1 packets between the
// vinhub hub and dealer chains. See docs/relayer.md.
package main

import (
	"fmt"
	"os"

	"github.com/vinhub/vinhub/relayer/cli"
)

func main() {
	if err := cli.App().Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "vinrelay:", err)
		os.Exit(1)
	}
}
