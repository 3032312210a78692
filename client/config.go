package client

import (
	"fmt"
	"time"
)

// Config is what the client needs to know of one chain.
type Config struct {
	ID  string `toml:"id"`
	RPC string `toml:"rpc"`
	// BackupRPCs are tried in order when RPC does not answer; RPC is tried
	// again every 30 s and used again once it answers.
	BackupRPCs    []string `toml:"backup_rpcs,omitempty"`
	AccountPrefix string   `toml:"account_prefix"`
	Key           string   `toml:"key"`
	GasPrice      string   `toml:"gas_price"`
	GasAdjustment float64  `toml:"gas_adjustment"`
	MaxGas        uint64   `toml:"max_gas"`
	// MaxGasPrice caps the gas price read from the chain (its node's minimum
	// gas price, its fee market's price), e.g. "0.1stake"; empty: no cap.
	// GasPrice is the floor.
	MaxGasPrice string `toml:"max_gas_price,omitempty"`
	// DefaultGas is the gas limit of a tx whose simulation could not be run
	// (RPC error, unreadable answer); 0: no fallback, the tx waits.
	DefaultGas uint64 `toml:"default_gas,omitempty"`
	// Memo is written into every tx; empty: DefaultMemo.
	Memo string `toml:"memo,omitempty"`
	// MinBalance, e.g. "1000000stake": below it the relayer's wallet is
	// reported low (metric and log); empty: no alert.
	MinBalance string `toml:"min_balance,omitempty"`
}

// DefaultMemo is the memo of txs when none is configured.
const DefaultMemo = "vinrelay"

// TxMemo is the memo written into every tx.
func (c Config) TxMemo() string {
	if c.Memo == "" {
		return DefaultMemo
	}
	return c.Memo
}

// Duration is a time.Duration written as "500ms", "1m" in TOML.
type Duration struct{ time.Duration }

// MarshalText writes the duration in Go syntax.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses Go duration syntax.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("duration %q: %w (use e.g. \"500ms\", \"30s\")", b, err)
	}
	d.Duration = v
	return nil
}

// Observer hears what a Chain's transactions do, e.g. to count them in
// metrics. Both methods must be safe for concurrent use.
type Observer interface {
	// TxError counts a failure of kind (sequence_mismatch, broadcast,
	// not_committed, out_of_gas, tx_failed).
	TxError(chain, kind string)
	// TxCommitted reports a transaction committed latency after its broadcast.
	TxCommitted(chain string, latency time.Duration)
}

type noObserver struct{}

func (noObserver) TxError(string, string)            {}
func (noObserver) TxCommitted(string, time.Duration) {}
