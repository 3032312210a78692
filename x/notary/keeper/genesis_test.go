package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/x/notary/types"
)

func TestGenesisRoundTrip(t *testing.T) {
	f := setup(t)
	f.final(ledgerRecord("row-1", 61_000), 1, 0, 1, 2)
	f.mustAttest(t, 0, ledgerRecord("row-2", 62_000), 1)
	f.finalStatus(t, payment(txHash("big"), 2_000_000_000, 9))
	f.finalStatus(t, payment(txHash("small"), 1_000, 8))
	f.rotate(1, 2, 3)
	exported := f.snapshot(t)
	require.NoError(t, exported.Validate())

	g := setup(t)
	// A fresh chain imports the exported state as it is.
	require.NoError(t, g.k.InitGenesis(g.ctx, *exported))
	require.Equal(t, exported, g.snapshot(t))
	// The imported indexes work: the delayed payment is queued, replays are refused.
	_, err := g.msgs.ReleaseDelayed(g.ctx, &types.MsgReleaseDelayed{Authority: authority, Id: g.idOf(payment(txHash("big"), 2_000_000_000, 9))})
	require.NoError(t, err)
	_, err = g.attest(3, ledgerRecord("row-1", 61_000), 1)
	require.ErrorIs(t, err, types.ErrAlreadyFinal)
}

func TestGenesisValidateRefusesTampering(t *testing.T) {
	f := setup(t)
	f.final(ledgerRecord("row-1", 61_000), 1, 0, 1, 2)
	tests := []struct {
		name     string
		malleate func(*types.GenesisState)
	}{
		{"forged signature", func(g *types.GenesisState) { g.Attestations[0].Signatures[0].Sig[5] ^= 1 }},
		{"signer outside the set", func(g *types.GenesisState) { g.Attestations[0].Signatures[0].Operator = stranger.String() }},
		{"same signer twice", func(g *types.GenesisState) {
			g.Attestations[0].Signatures = append(g.Attestations[0].Signatures, g.Attestations[0].Signatures[0])
		}},
		{"changed observation", func(g *types.GenesisState) { g.Attestations[0].Observation.TxRef = "row-2" }},
		{"set versions out of order", func(g *types.GenesisState) { g.Sets[0].Version = 2 }},
		{"bad params", func(g *types.GenesisState) { g.Params.GovernorWindow = 0 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gs := f.snapshot(t)
			tc.malleate(gs)
			require.Error(t, gs.Validate())
		})
	}
}
