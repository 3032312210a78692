package cli

import (
	"encoding/base64"
	"encoding/json"
	"fmt"

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
