package appdb

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cast"

	servertypes "github.com/cosmos/cosmos-sdk/server/types"
)

// DefaultPebbleCacheMiB is the block cache a node gets when app.toml does
// not say: the application database of a hub holding 1,000,000 records
// over 100,000 cars is ~880 MiB.
const DefaultPebbleCacheMiB = 1024

// MaxPebbleCacheMiB bounds the setting at 1 TiB: a larger value is more
// likely a size in bytes than memory a node has.
const MaxPebbleCacheMiB = 1 << 20

// pebbleCacheKey is the setting's app.toml key, as the node's options
// (viper) name it.
const pebbleCacheKey = "app-db.pebble-cache-mib"

// prefetchRecordsKey is the record prefetch setting's app.toml key.
const prefetchRecordsKey = "app-db.prefetch-records"

// fastNodesOffKey is the SDK's app.toml key (server.FlagDisableIAVLFastNode)
// that turns IAVL's fast index off; the record prefetch needs it off, as
// new homes have it: with the index on, IAVL's iterators read the index,
// not the tree, and the prefetch's walks would load nothing a write uses.
const fastNodesOffKey = "iavl-disable-fastnode"

// Settings are the application database's settings in app.toml.
type Settings struct {
	// PebbleCacheMiB is pebble's block cache, in MiB.
	PebbleCacheMiB int64 `mapstructure:"pebble-cache-mib"`
	// PrefetchRecords has the node read, while a record transaction waits in
	// its mempool, the tree nodes the record's block will write. Off by
	// default: on a two-core node the reads cost more CPU than they save the
	// block (docs/benchmarks.md, twenty-first run).
	PrefetchRecords bool `mapstructure:"prefetch-records"`
}

// DefaultSettings are the settings a new home's app.toml gets.
func DefaultSettings() Settings {
	return Settings{PebbleCacheMiB: DefaultPebbleCacheMiB}
}

// ConfigTemplate is the app.toml section of Settings, rendered with them
// as the field AppDB of the config (text/template, as the SDK renders
// app.toml).
const ConfigTemplate = `
###############################################################################
###                        Application database                             ###
###############################################################################

[app-db]

# pebble-cache-mib is the block cache, in MiB, of the application database when
# app-db-backend is "pebbledb". Tree nodes past IAVL's node cache (iavl-cache-size)
# are read from it instead of from the files, where each read is a file read, a
# checksum and a decompression. Size it near data/application.db's size where
# memory allows (it is filled only as blocks are read); pebble's own default is 8.
pebble-cache-mib = {{ .AppDB.PebbleCacheMiB }}

# prefetch-records has the node read, while a record transaction waits in its
# mempool, the tree nodes its block will write (the car's summary and history),
# on a goroutine beside block execution instead of inside it. It changes no state.
# Block execution then writes records faster, but the reads cost more CPU than
# they save it: leave it off unless the node has cores to spare. It needs
# iavl-disable-fastnode = true (the node refuses to start otherwise).
prefetch-records = {{ .AppDB.PrefetchRecords }}
`

// SettingsFrom reads the settings from a node's options (app.toml, flags,
// environment); a home whose app.toml predates the section gets the
// defaults.
func SettingsFrom(opts servertypes.AppOptions) (Settings, error) {
	s := DefaultSettings()
	if raw := opts.Get(pebbleCacheKey); raw != nil {
		mib, ok := wholeNumber(raw)
		if !ok || mib < 1 || mib > MaxPebbleCacheMiB {
			return Settings{}, fmt.Errorf("app.toml [app-db] pebble-cache-mib = %v: want a whole number of MiB from 1 to %d (a size in bytes?)", raw, MaxPebbleCacheMiB)
		}
		s.PebbleCacheMiB = mib
	}
	if raw := opts.Get(prefetchRecordsKey); raw != nil {
		on, ok := boolean(raw)
		if !ok {
			return Settings{}, fmt.Errorf("app.toml [app-db] prefetch-records = %v: want true or false", raw)
		}
		s.PrefetchRecords = on
	}
	// Read as the SDK reads it (cast.ToBool), so what it takes for true is true here.
	if fastOff, _ := cast.ToBoolE(opts.Get(fastNodesOffKey)); s.PrefetchRecords && !fastOff {
		return Settings{}, fmt.Errorf("app.toml [app-db] prefetch-records = true needs %s = true (IAVL's fast index makes the prefetch read nothing a block writes): set it, or turn the prefetch off", fastNodesOffKey)
	}
	return s, nil
}

// wholeNumber reads an integer as app.toml (an integer), the environment
// or a flag (decimal text) give it; a fraction is not one.
func wholeNumber(raw any) (int64, bool) {
	switch v := raw.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		n, err := cast.ToInt64E(v)
		return n, err == nil
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		return n, err == nil
	default:
		return 0, false
	}
}

// boolean reads a switch as app.toml (a boolean), the environment or a flag
// (text) give it; a number is not one.
func boolean(raw any) (bool, bool) {
	switch v := raw.(type) {
	case bool:
		return v, true
	case string:
		on, err := strconv.ParseBool(strings.TrimSpace(v))
		return on, err == nil
	default:
		return false, false
	}
}
