package cli

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/adapters/bitcoin"
	"github.com/vinhub/vinhub/adapters/swap"
	"github.com/vinhub/vinhub/client"
	"github.com/vinhub/vinhub/relayer"
	"github.com/vinhub/vinhub/relayer/notary"
)

func validConfig() Config {
	cfg := DefaultConfig()
	cfg.Chains = []relayer.ChainConfig{relayer.DefaultChain("hub", "http://127.0.0.1:26657"), relayer.DefaultChain("dealer-a", "http://127.0.0.1:26667")}
	cfg.Paths = []relayer.PathConfig{{Name: "hub-a", IBC: relayer.IBCv2, A: relayer.PathEnd{Chain: "hub"}, B: relayer.PathEnd{Chain: "dealer-a"}}}
	return cfg
}

func withNotary(c *Config) {
	c.Notary.Hub, c.Notary.Key = "hub", "notary-operator"
	c.Notary.Ledgers = []notary.LedgerConfig{{ID: "acme-sql-1", DSN: "postgres://notary@127.0.0.1:5432/acme"}}
}

func withSwapRails(c *Config) {
	sec := client.Duration{Duration: 10 * time.Second}
	c.Swap.Hub = &swap.HubRail{Chain: "hub", Key: "seller", Finality: sec}
	c.Swap.Stellar = &swap.StellarRail{Horizon: "http://127.0.0.1:8000", Passphrase: "Test SDF Network ; September 2015", SeedKey: "seller", BaseFee: 100, Finality: sec}
	c.Swap.Bitcoin = &swap.BitcoinRail{NodeConfig: bitcoin.NodeConfig{RPC: "127.0.0.1:18556", Net: "simnet", NoTLS: true}, WIFKey: "seller",
		FeeRate: 10, Confirmations: 1, Finality: sec}
}

func v1Path(c *Config, port string) {
	p := &c.Paths[0]
	p.IBC, p.Version, p.A.PortID, p.B.PortID = relayer.IBCv1, "v", port, port
}

// TestAllowPortsDefault: a path written without allow_ports (every config
// before the setting existed) relays vehicle packets only.
func TestAllowPortsDefault(t *testing.T) {
	home := t.TempDir()
	require.NoError(t, validConfig().Save(home))
	cfg, err := LoadConfig(home)
	require.NoError(t, err)
	require.Empty(t, cfg.Paths[0].AllowPorts)
	require.Equal(t, []string{"vehicle"}, cfg.Paths[0].Ports())
	require.True(t, cfg.Paths[0].Allows("vehicle"))
	require.False(t, cfg.Paths[0].Allows("transfer"))
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name     string
		malleate func(*Config)
		err      string
	}{
		{"valid", func(*Config) {}, ""},
		{"zero poll interval", func(c *Config) { c.Global.PollInterval = client.Duration{} }, "global.poll_interval"},
		{"watchdog shorter than poll", func(c *Config) { c.Global.WatchdogTimeout = client.Duration{Duration: 100 * time.Millisecond} }, "global.watchdog_timeout"},
		{"one msg per tx", func(c *Config) { c.Global.MaxMsgsPerTx = 1 }, "global.max_msgs_per_tx must be at least 2"},
		{"no tx in flight", func(c *Config) { c.Global.MaxInflightTxs = 0 }, "global.max_inflight_txs must be between 1 and 16"},
		{"too many txs in flight", func(c *Config) { c.Global.MaxInflightTxs = 17 }, "global.max_inflight_txs"},
		{"negative clear limit", func(c *Config) { c.Global.ClearLimit = -1 }, "global.clear_limit"},
		{"refresh fraction", func(c *Config) { c.Global.RefreshFraction = 1 }, "global.refresh_fraction"},
		{"bad rpc", func(c *Config) { c.Chains[0].RPC = "127.0.0.1:26657" }, `rpc "127.0.0.1:26657"`},
		{"bad gas price", func(c *Config) { c.Chains[0].GasPrice = "cheap" }, "gas_price"},
		{"gas price cap", func(c *Config) { c.Chains[0].MaxGasPrice = "1stake" }, ""},
		{"bad gas price cap", func(c *Config) { c.Chains[0].MaxGasPrice = "lots" }, "max_gas_price"},
		{"gas price cap in another denom", func(c *Config) { c.Chains[0].MaxGasPrice = "1uatom" }, "must be in gas_price's denom"},
		{"default gas above max gas", func(c *Config) { c.Chains[0].DefaultGas = c.Chains[0].MaxGas + 1 }, "default_gas"},
		{"backup rpcs", func(c *Config) { c.Chains[0].BackupRPCs = []string{"http://10.0.0.2:26657", "tcp://10.0.0.3:26657"} }, ""},
		{"bad backup rpc", func(c *Config) { c.Chains[0].BackupRPCs = []string{"10.0.0.2:26657"} }, `backup_rpcs[0] "10.0.0.2:26657"`},
		{"min balance", func(c *Config) { c.Chains[0].MinBalance = "1000000stake" }, ""},
		{"min balance in another denom", func(c *Config) { c.Chains[0].MinBalance = "1000000uatom" }, "min_balance"},
		{"no key", func(c *Config) { c.Chains[0].Key = "" }, "key is empty"},
		{"duplicate chain", func(c *Config) { c.Chains[1].ID = "hub" }, "listed twice"},
		{"unknown chain in path", func(c *Config) { c.Paths[0].B.Chain = "dealer-z" }, `b.chain "dealer-z" is not a configured chain`},
		{"bad ibc", func(c *Config) { c.Paths[0].IBC = "v3" }, `ibc must be "v2" or "v1"`},
		{"v1 without port", func(c *Config) { c.Paths[0].IBC = relayer.IBCv1; c.Paths[0].Version = "x" }, "port_id is required"},
		{"same chain twice", func(c *Config) { c.Paths[0].B.Chain = "hub" }, "same chain"},
		{"allow ports", func(c *Config) { c.Paths[0].AllowPorts = []string{"vehicle", "transfer"} }, ""},
		{"allow port not an identifier", func(c *Config) { c.Paths[0].AllowPorts = []string{"vehicle", "x"} }, `allow_ports[1] "x"`},
		{"allow port twice", func(c *Config) { c.Paths[0].AllowPorts = []string{"vehicle", "vehicle"} }, `allow_ports lists "vehicle" twice`},
		{"v1 port allowed by default", func(c *Config) { v1Path(c, "vehicle") }, ""},
		{"v1 port not allowed", func(c *Config) { v1Path(c, "transfer") }, `.port_id "transfer" is not in allow_ports ["vehicle"]`},
		{"v1 port allowed", func(c *Config) { v1Path(c, "transfer"); c.Paths[0].AllowPorts = []string{"transfer"} }, ""},
		{"swap rails", func(c *Config) { withSwapRails(c) }, ""},
		{"swap hub on unknown chain", func(c *Config) { withSwapRails(c); c.Swap.Hub.Chain = "nope" }, `swap.hub.chain: unknown chain "nope"`},
		{"swap hub without finality", func(c *Config) { withSwapRails(c); c.Swap.Hub.Finality = client.Duration{} }, "swap.hub needs key"},
		{"swap stellar horizon", func(c *Config) { withSwapRails(c); c.Swap.Stellar.Horizon = "horizon" }, "swap.stellar.horizon"},
		{"swap stellar seed", func(c *Config) { withSwapRails(c); c.Swap.Stellar.SeedKey = "" }, "seed_key"},
		{"swap stellar seed in a plain file", func(c *Config) { withSwapRails(c); c.Swap.Stellar.SeedFile = "stellar.seed" },
			"swap.stellar.seed_file: the seed is no longer read from a plain file: import it into the keyring with `vinrelay swap import-key stellar NAME < stellar.seed`"},
		{"swap bitcoin key", func(c *Config) { withSwapRails(c); c.Swap.Bitcoin.WIFKey = "" }, "wif_key"},
		{"swap bitcoin key in a plain file", func(c *Config) { withSwapRails(c); c.Swap.Bitcoin.WIFFile = "btc.wif" },
			"swap.bitcoin.wif_file: the key is no longer read from a plain file: import it into the keyring with `vinrelay swap import-key bitcoin NAME < btc.wif`"},
		{"swap bitcoin net", func(c *Config) { withSwapRails(c); c.Swap.Bitcoin.Net = "mainnet3" }, `swap.bitcoin.net "mainnet3"`},
		{"swap bitcoin confirmations", func(c *Config) { withSwapRails(c); c.Swap.Bitcoin.Confirmations = 0 }, "confirmations >= 1"},
		{"swap negative delay", func(c *Config) { c.Swap.RelayerDelay = client.Duration{Duration: -time.Second} }, "swap.relayer_delay"},
		{"notary", func(c *Config) { withNotary(c) }, ""},
		{"notary on unknown chain", func(c *Config) { withNotary(c); c.Notary.Hub = "nope" }, `notary.hub: unknown chain "nope"`},
		{"notary without signer key", func(c *Config) { withNotary(c); c.Notary.SignerKey = "" }, "signer_key"},
		{"notary with a negative batch bound", func(c *Config) { withNotary(c); c.Notary.MaxAttestationsPerTx = -1 }, "max_attestations_per_tx"},
		{"notary ledger with a slash", func(c *Config) { withNotary(c); c.Notary.Ledgers[0].ID = "acme/1" }, "notary.ledgers[0]"},
		{"notary ledger twice", func(c *Config) { withNotary(c); c.Notary.Ledgers = append(c.Notary.Ledgers, c.Notary.Ledgers[0]) }, "listed once"},
		{"notary ledger without dsn", func(c *Config) { withNotary(c); c.Notary.Ledgers[0].DSN = "" }, "needs a dsn"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := validConfig()
			tc.malleate(&cfg)
			err := cfg.Validate()
			if tc.err == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.err)
		})
	}
}

func TestConfigRoundTripAndErrors(t *testing.T) {
	home := t.TempDir()
	_, err := LoadConfig(home)
	require.ErrorContains(t, err, "vinrelay config init")

	cfg := validConfig()
	withSwapRails(&cfg)
	require.NoError(t, cfg.Save(home))
	got, err := LoadConfig(home)
	require.NoError(t, err)
	require.Equal(t, cfg, got)

	path := filepath.Join(home, ConfigFile)
	require.NoError(t, os.WriteFile(path, []byte("[global]\npoll_interval = \"soon\"\n"), 0o600))
	_, err = LoadConfig(home)
	require.ErrorContains(t, err, `duration "soon"`)

	require.NoError(t, os.WriteFile(path, []byte("[global]\npol_interval = \"1s\"\n"), 0o600))
	_, err = LoadConfig(home)
	require.ErrorContains(t, err, "pol_interval")

	require.NoError(t, os.WriteFile(path, []byte("[[chains]]\nid = \"x\"\nrpc = \"http://127.0.0.1:1\"\n"), 0o600))
	_, err = LoadConfig(home)
	require.ErrorContains(t, err, "chains[0]")
}

// TestNotaryBitcoinConfigAsDocumented: a [[notary.bitcoin]] entry written
// as docs/notary.md shows it (node settings inline) loads as written.
func TestNotaryBitcoinConfigAsDocumented(t *testing.T) {
	home := t.TempDir()
	cfg := validConfig()
	withNotary(&cfg)
	require.NoError(t, cfg.Save(home))
	f, err := os.OpenFile(filepath.Join(home, ConfigFile), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(`
[[notary.bitcoin]]
rpc = "127.0.0.1:18556"
rpc_user = "notary"
rpc_pass = "secret"
no_tls = true
net = "simnet"
addresses = []
loans = true
confirmations = 6
start_height = 300
`)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	got, err := LoadConfig(home)
	require.NoError(t, err)
	require.Equal(t, []notary.BitcoinConfig{{NodeConfig: bitcoin.NodeConfig{RPC: "127.0.0.1:18556", RPCUser: "notary", RPCPass: "secret",
		NoTLS: true, Net: "simnet"}, Addresses: []string{}, Loans: true, Confirmations: 6, StartHeight: 300}}, got.Notary.Bitcoin)
}
