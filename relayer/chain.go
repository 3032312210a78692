package relayer

import (
	"log/slog"
	"time"

	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"

	"github.com/vinhub/vinhub/client"
)

// Chain is a chain the relayer works on: the chain client, the chain's
// relayer settings, and the relayer's metrics and logger.
type Chain struct {
	*client.Chain
	cfg ChainConfig
	m   *Metrics
	log *slog.Logger
}

// NewChain connects to a configured chain with its key from vinrelay's
// keyring. m may be nil.
func NewChain(cfg ChainConfig, kr keyring.Keyring, cdc *codec.ProtoCodec, log *slog.Logger, m *Metrics) (*Chain, error) {
	if m == nil {
		m = NewMetrics()
	}
	c, err := client.NewChain(cfg.Config, kr, cdc, log, m)
	if err != nil {
		return nil, err
	}
	return &Chain{Chain: c, cfg: cfg, m: m, log: log.With("chain", cfg.ID)}, nil
}

// TxError counts a relay transaction's failure by kind.
func (m *Metrics) TxError(chain, kind string) { m.Errors.WithLabelValues(chain, kind).Inc() }

// TxCommitted records a relay transaction's broadcast-to-commit latency.
func (m *Metrics) TxCommitted(chain string, d time.Duration) {
	m.TxLatency.WithLabelValues(chain).Observe(d.Seconds())
}
