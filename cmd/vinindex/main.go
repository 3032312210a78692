// Command vinindex follows the vinhub hub and writes its facts into a
// PostgreSQL warehouse, one SQL transaction per block. See docs/warehouse.md.
package main

import (
	"fmt"
	"os"

	"github.com/vinhub/vinhub/indexer/cli"
)

func main() {
	if err := cli.App().Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "vinindex:", err)
		os.Exit(1)
	}
}
