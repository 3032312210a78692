package cli

import (
	ucli "github.com/urfave/cli/v2"

	"github.com/vinhub/vinhub/adapters/hub"
	"github.com/vinhub/vinhub/adapters/swap"
	"github.com/vinhub/vinhub/relayer"
	htlctypes "github.com/vinhub/vinhub/x/htlc/types"
)

// openRails builds an adapter for every rail in the [swap] section.
func openRails(c *ucli.Context) (swap.Rails, error) {
	cfg, err := load(c)
	if err != nil {
		return nil, err
	}
	sc := cfg.Swap
	rails := swap.Rails{}
	if h := sc.Hub; h != nil {
		cdc := relayer.NewCodec(htlctypes.RegisterInterfaces)
		kr, err := relayer.OpenKeyring(home(c), c.String("keyring-backend"), cdc)
		if err != nil {
			return nil, err
		}
		chainCfg, err := cfg.Chain(h.Chain)
		if err != nil {
			return nil, err
		}
		chainCfg.Key = h.Key
		chain, err := relayer.NewChain(chainCfg, kr, cdc, logger(cfg), nil)
		if err != nil {
			return nil, err
		}
		rails[hub.Name] = hub.New(chain, h.Finality.Duration, sc.PollInterval.Duration)
	}
	return rails, nil
}
