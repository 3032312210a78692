// Command vinhubd runs a node of the vinhub hub chain and is its CLI client.
package main

import (
	"fmt"
	"os"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	"github.com/vinhub/vinhub/hub/app"
)

func main() {
	if err := svrcmd.Execute(app.NewRootCmd(), "", app.DefaultNodeHome); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
