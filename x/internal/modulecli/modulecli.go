// Package modulecli holds what the vinhub modules' autocli options share.
package modulecli

import autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

// Args makes positional arguments of proto fields, in order.
func Args(fields ...string) []*autocliv1.PositionalArgDescriptor {
	out := make([]*autocliv1.PositionalArgDescriptor, len(fields))
	for i, f := range fields {
		out[i] = &autocliv1.PositionalArgDescriptor{ProtoField: f}
	}
	return out
}
