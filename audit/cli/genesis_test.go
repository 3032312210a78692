package cli

import (
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cometbft/cometbft/crypto/ed25519"
	cmttypes "github.com/cometbft/cometbft/types"
)

// TestGenesisValidators: the first header is trusted only with exactly the
// genesis's validators, read from its gentxs or its validator list.
func TestGenesisValidators(t *testing.T) {
	a, b := ed25519.GenPrivKey().PubKey(), ed25519.GenPrivKey().PubKey()
	gentx := func(keys ...[]byte) string {
		txs := ""
		for i, k := range keys {
			if i > 0 {
				txs += ","
			}
			txs += fmt.Sprintf(`{"body":{"messages":[{"@type":"/cosmos.staking.v1beta1.MsgCreateValidator","pubkey":{"@type":"/cosmos.crypto.ed25519.PubKey","key":%q}}]}}`,
				base64.StdEncoding.EncodeToString(k))
		}
		return `{"chain_id":"x","app_state":{"genutil":{"gen_txs":[` + txs + `]}}}`
	}
	set := func(keys ...[]byte) *cmttypes.ValidatorSet {
		var vs []*cmttypes.Validator
		for _, k := range keys {
			vs = append(vs, cmttypes.NewValidator(ed25519.PubKey(k), 10))
		}
		return cmttypes.NewValidatorSet(vs)
	}
	keys, err := genesisKeys([]byte(gentx(a.Bytes())))
	require.NoError(t, err)
	require.NoError(t, checkGenesisValidators(keys, set(a.Bytes())))
	require.ErrorContains(t, checkGenesisValidators(keys, set(b.Bytes())), "not in the genesis")
	require.ErrorContains(t, checkGenesisValidators(keys, set(a.Bytes(), b.Bytes())), "not the genesis's 1 validators")

	comet := fmt.Sprintf(`{"chain_id":"x","validators":[{"pub_key":{"type":"tendermint/PubKeyEd25519","value":%q}}]}`, base64.StdEncoding.EncodeToString(b.Bytes()))
	keys, err = genesisKeys([]byte(comet))
	require.NoError(t, err)
	require.NoError(t, checkGenesisValidators(keys, set(b.Bytes())))

	_, err = genesisKeys([]byte(`{"chain_id":"x"}`))
	require.ErrorContains(t, err, "names no validator")
}
