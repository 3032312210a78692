package relayer

import (
	"testing"
	"time"

	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/stretchr/testify/require"

	commitmenttypes "github.com/cosmos/ibc-go/v11/modules/core/23-commitment/types"
	ibctm "github.com/cosmos/ibc-go/v11/modules/light-clients/07-tendermint"
)

func TestCompareTrusted(t *testing.T) {
	at := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	hdr := &cmttypes.Header{AppHash: []byte{1, 2, 3}, NextValidatorsHash: []byte{9, 9}, Time: at}
	tests := []struct {
		name     string
		malleate func(*ibctm.ConsensusState)
		conflict bool
	}{
		{"same header", func(*ibctm.ConsensusState) {}, false},
		{"other app hash", func(c *ibctm.ConsensusState) { c.Root = commitmenttypes.NewMerkleRoot([]byte{7}) }, true},
		{"other validators", func(c *ibctm.ConsensusState) { c.NextValidatorsHash = []byte{8} }, true},
		{"other time", func(c *ibctm.ConsensusState) { c.Timestamp = at.Add(time.Second) }, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cons := ibctm.NewConsensusState(at, commitmenttypes.NewMerkleRoot(hdr.AppHash), hdr.NextValidatorsHash)
			tc.malleate(cons)
			err := compareTrusted(cons, hdr)
			if !tc.conflict {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrConflictingHeader)
		})
	}
}
