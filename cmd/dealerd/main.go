// Command dealerd runs a node of the reference dealer chain and is its CLI client.
package main

import (
	"fmt"
	"os"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	"github.com/vinhub/vinhub/hub/dealerapp"
)

func main() {
	if err := svrcmd.Execute(dealerapp.NewRootCmd(), "", dealerapp.DefaultNodeHome); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
