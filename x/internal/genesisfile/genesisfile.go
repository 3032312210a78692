// Package genesisfile edits one module's section of a node's genesis.json, for
// the `genesis add-...` commands that set up founding dealers and operators.
package genesisfile

import (
	"encoding/json"
	"fmt"

	"github.com/cosmos/gogoproto/proto"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/server"
	"github.com/cosmos/cosmos-sdk/x/genutil"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
)

// EditModule decodes the module's genesis section into state, runs edit,
// and writes the section back to the genesis file of the command's home.
func EditModule(cmd *cobra.Command, module string, state proto.Message, edit func() error) error {
	clientCtx := client.GetClientContextFromCmd(cmd)
	config := server.GetServerContextFromCmd(cmd).Config
	config.SetRoot(clientCtx.HomeDir)
	genFile := config.GenesisFile()

	appGenesis, err := genutiltypes.AppGenesisFromFile(genFile)
	if err != nil {
		return fmt.Errorf("read %s (run init first?): %w", genFile, err)
	}
	appState, err := genutiltypes.GenesisStateFromAppGenesis(appGenesis)
	if err != nil {
		return fmt.Errorf("decode app state: %w", err)
	}
	if raw, ok := appState[module]; ok {
		if err := clientCtx.Codec.UnmarshalJSON(raw, state); err != nil {
			return fmt.Errorf("decode %s genesis: %w", module, err)
		}
	}
	if err := edit(); err != nil {
		return err
	}
	if appState[module], err = clientCtx.Codec.MarshalJSON(state); err != nil {
		return fmt.Errorf("encode %s genesis: %w", module, err)
	}
	if appGenesis.AppState, err = json.MarshalIndent(appState, "", "  "); err != nil {
		return err
	}
	return genutil.ExportGenesisFile(appGenesis, genFile)
}
