package testnet

import (
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
)

// nodeKeyring opens the test keyring the daemon's CLI uses in the node home.
func nodeKeyring(n *Node, cdc codec.Codec) (keyring.Keyring, error) {
	return keyring.New("vinhub", keyringBackend, n.Home, nil, cdc)
}
