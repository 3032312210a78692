// Package modulecli holds what the vinhub modules' autocli options share.
package modulecli

import (
	"strings"

	"github.com/spf13/cobra"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/cosmos/cosmos-sdk/client"
)

// Args makes positional arguments of proto fields, in order.
func Args(fields ...string) []*autocliv1.PositionalArgDescriptor {
	out := make([]*autocliv1.PositionalArgDescriptor, len(fields))
	for i, f := range fields {
		out[i] = &autocliv1.PositionalArgDescriptor{ProtoField: f}
	}
	return out
}

// Group is a module's command group for its hand-written commands; autocli
// adds the generated ones to it (EnhanceCustomCommand).
func Group(use, short string, cmds ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:                        use,
		Short:                      short,
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(cmds...)
	return cmd
}

// EnumValue reads an enum value as users write it: "warehouse-receipt",
// "examiner" or the full name ("ASSET_KIND_VEHICLE"), with the enum's
// prefix ("ASSET_KIND_"). The zero (unspecified) value is not accepted.
func EnumValue(values map[string]int32, prefix, s string) (int32, bool) {
	name := strings.ToUpper(strings.ReplaceAll(s, "-", "_"))
	if !strings.HasPrefix(name, prefix) {
		name = prefix + name
	}
	v, ok := values[name]
	return v, ok && v != 0
}
