package testnet

import (
	"context"
	"time"

	"github.com/vinhub/vinhub/client"
	vrcli "github.com/vinhub/vinhub/relayer/cli"
	"github.com/vinhub/vinhub/relayer/notary"
)

// notaryKeyName is the BIP-340 key name every harness notary uses.
const notaryKeyName = "notary"

// Notary is one `vinrelay notary` instance with its own home.
type Notary struct {
	*Vinrelay
	// Signer is its BIP-340 key (also in its keyring).
	Signer notary.Signer
}

// NewNotary creates a notary home: the hub with the operator's key
// restored from mnemonic, the BIP-340 key imported into the keyring, and a
// [notary] section watching the sources of watch (its ledgers, Stellar
// and Bitcoin networks; its other settings are the harness's).
func NewNotary(ctx context.Context, binary, home string, hub *Node, mnemonic string, signer notary.Signer, watch notary.Config) (*Notary, error) {
	v, err := NewVinrelay(ctx, binary, home, nil)
	if err != nil {
		return nil, err
	}
	if err := v.AddChain(ctx, hub, mnemonic); err != nil {
		return nil, err
	}
	if _, err := v.ExecInput(ctx, signer.String()+"\n", "notary", "keys", "import", notaryKeyName); err != nil {
		return nil, err
	}
	cfg, err := vrcli.LoadConfig(home)
	if err != nil {
		return nil, err
	}
	cfg.Notary = notary.Config{Hub: hub.ChainID, Key: vinrelayKey, SignerKey: notaryKeyName,
		PollInterval: client.Duration{Duration: 300 * time.Millisecond}, Ledgers: watch.Ledgers, Stellar: watch.Stellar, Bitcoin: watch.Bitcoin}
	return &Notary{Vinrelay: v, Signer: signer}, cfg.Save(home)
}

// Start runs `vinrelay notary start` in the background.
func (n *Notary) Start() error {
	return n.run(func(cfg *vrcli.Config, addr string) { cfg.Notary.MetricsAddr = addr }, "notary", "start")
}
