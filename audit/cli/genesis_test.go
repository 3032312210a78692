package cli

import (
	"encoding/base64"
	"fmt"
	"testing"
	"time"

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

// TestTrustingPeriod: the trusting period defaults to 2/3 of the genesis's
// unbonding time and must be below it; a genesis without one keeps the
// period asked, or 14 days.
func TestTrustingPeriod(t *testing.T) {
	week := []byte(`{"chain_id":"x","app_state":{"staking":{"params":{"unbonding_time":"604800s"}}}}`)
	comet := []byte(`{"chain_id":"x","validators":[]}`)
	testCases := []struct {
		name    string
		genesis []byte
		asked   time.Duration
		want    time.Duration
		err     string
	}{
		{"the 14-day period against a 7-day unbonding time", week, 14 * 24 * time.Hour, 0, "not below the chain's unbonding time 168h0m0s"},
		{"exactly the unbonding time", week, 7 * 24 * time.Hour, 0, "not below"},
		{"the default: 2/3 of the unbonding time", week, 0, 112 * time.Hour, ""},
		{"a period below the unbonding time", week, 72 * time.Hour, 72 * time.Hour, ""},
		{"no unbonding time, no period asked", comet, 0, 14 * 24 * time.Hour, ""},
		{"no unbonding time, a period asked", comet, time.Hour, time.Hour, ""},
		{"an unbonding time that is no duration", []byte(`{"app_state":{"staking":{"params":{"unbonding_time":"a week"}}}}`), 0, 0, "is not a duration"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := trustingPeriod(tc.genesis, tc.asked)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}
