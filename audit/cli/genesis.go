package cli

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	cmttypes "github.com/cometbft/cometbft/types"
)

// genesisKeys are the consensus public keys a genesis starts its chain
// with: its gentxs' validators (SDK chains), or CometBFT's validator list.
func genesisKeys(bz []byte) (map[string]bool, error) {
	type key struct {
		Key   []byte `json:"key"`
		Value []byte `json:"value"`
	}
	var gen struct {
		AppState struct {
			Genutil struct {
				GenTxs []struct {
					Body struct {
						Messages []struct {
							Pubkey key `json:"pubkey"`
						} `json:"messages"`
					} `json:"body"`
				} `json:"gen_txs"`
			} `json:"genutil"`
		} `json:"app_state"`
		Validators []struct {
			PubKey key `json:"pub_key"`
		} `json:"validators"`
		Consensus struct {
			Validators []struct {
				PubKey key `json:"pub_key"`
			} `json:"validators"`
		} `json:"consensus"`
	}
	if err := json.Unmarshal(bz, &gen); err != nil {
		return nil, err
	}
	keys := map[string]bool{}
	add := func(k key) {
		if b := append(k.Key, k.Value...); len(b) > 0 {
			keys[base64.StdEncoding.EncodeToString(b)] = true
		}
	}
	for _, tx := range gen.AppState.Genutil.GenTxs {
		for _, m := range tx.Body.Messages {
			add(m.Pubkey)
		}
	}
	for _, v := range append(gen.Validators, gen.Consensus.Validators...) {
		add(v.PubKey)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("the genesis names no validator (no gentx, no validators)")
	}
	return keys, nil
}

// checkGenesisValidators refuses a first header whose validators are not
// exactly the genesis's: a server cannot hand the auditor a chain of its own.
func checkGenesisValidators(keys map[string]bool, vals *cmttypes.ValidatorSet) error {
	if vals == nil || len(vals.Validators) != len(keys) {
		return fmt.Errorf("the first header's validator set is not the genesis's %d validators", len(keys))
	}
	for _, v := range vals.Validators {
		if !keys[base64.StdEncoding.EncodeToString(v.PubKey.Bytes())] {
			return fmt.Errorf("validator %X of the first header is not in the genesis", v.Address)
		}
	}
	return nil
}

// defaultTrustingPeriod is the trusting period for a chain whose genesis
// names no unbonding time (a CometBFT chain without x/staking).
const defaultTrustingPeriod = 14 * 24 * time.Hour

// trustingPeriod is how long the auditor trusts a verified header: asked,
// or 2/3 of the genesis's unbonding time when asked is 0. It must be below
// the unbonding time: validators that have unbonded can no longer be
// punished, so they could sign a fork of an older header unpunished.
func trustingPeriod(genesis []byte, asked time.Duration) (time.Duration, error) {
	var gen struct {
		AppState struct {
			Staking struct {
				Params struct {
					UnbondingTime string `json:"unbonding_time"`
				} `json:"params"`
			} `json:"staking"`
		} `json:"app_state"`
	}
	if err := json.Unmarshal(genesis, &gen); err != nil {
		return 0, err
	}
	raw := gen.AppState.Staking.Params.UnbondingTime
	switch {
	case raw == "" && asked == 0:
		return defaultTrustingPeriod, nil
	case raw == "":
		return asked, nil
	}
	unbonding, err := time.ParseDuration(raw)
	if err != nil || unbonding <= 0 {
		return 0, fmt.Errorf("staking unbonding_time %q is not a duration", raw)
	}
	if asked == 0 {
		return unbonding * 2 / 3, nil
	}
	if asked >= unbonding {
		return 0, fmt.Errorf("trusting period %s is not below the chain's unbonding time %s: validators that have unbonded could sign a fork unpunished", asked, unbonding)
	}
	return asked, nil
}
