package appdb_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/hub/appdb"
)

// options is a node's options as the SDK's viper serves them.
type options map[string]any

func (o options) Get(key string) any { return o[key] }

// TestSettingsFrom: app.toml's value, the default where a home predates the
// section, and a clear refusal of what is not a cache size.
func TestSettingsFrom(t *testing.T) {
	tests := []struct {
		name    string
		opts    options
		want    int64
		wantErr string
	}{
		{"absent: default", options{}, appdb.DefaultPebbleCacheMiB, ""},
		{"set", options{"app-db.pebble-cache-mib": int64(256)}, 256, ""},
		{"set as text (environment, flag)", options{"app-db.pebble-cache-mib": "4096"}, 4096, ""},
		{"zero", options{"app-db.pebble-cache-mib": 0}, 0, "from 1 to"},
		{"negative", options{"app-db.pebble-cache-mib": -5}, 0, "from 1 to"},
		{"not a number", options{"app-db.pebble-cache-mib": "1GiB"}, 0, "whole number of MiB"},
		{"a fraction", options{"app-db.pebble-cache-mib": 1.5}, 0, "whole number of MiB"},
		{"octal-looking text is decimal", options{"app-db.pebble-cache-mib": "010"}, 10, ""},
		{"the largest", options{"app-db.pebble-cache-mib": int64(appdb.MaxPebbleCacheMiB)}, appdb.MaxPebbleCacheMiB, ""},
		{"bytes by mistake", options{"app-db.pebble-cache-mib": int64(1 << 30)}, 0, "a size in bytes?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := appdb.SettingsFrom(tc.opts)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				require.ErrorContains(t, err, "[app-db] pebble-cache-mib")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, s.PebbleCacheMiB)
		})
	}
}

// TestPrefetchRecordsSetting: off unless app.toml turns it on; a switch is
// true or false, not a number; on only with IAVL's fast index off, as new
// homes have it.
func TestPrefetchRecordsSetting(t *testing.T) {
	tests := []struct {
		name    string
		opts    options
		want    bool
		wantErr string
	}{
		{"absent: off", options{}, false, ""},
		{"off", options{"app-db.prefetch-records": false}, false, ""},
		{"on", options{"app-db.prefetch-records": true, "iavl-disable-fastnode": true}, true, ""},
		{"on as text (environment, flag)", options{"app-db.prefetch-records": "true", "iavl-disable-fastnode": "true"}, true, ""},
		{"off as text", options{"app-db.prefetch-records": "false"}, false, ""},
		{"off, fast index on", options{"app-db.prefetch-records": false, "iavl-disable-fastnode": false}, false, ""},
		{"a number", options{"app-db.prefetch-records": 0}, false, "want true or false"},
		{"a word", options{"app-db.prefetch-records": "off"}, false, "want true or false"},
		{"on, fast index on", options{"app-db.prefetch-records": true, "iavl-disable-fastnode": false}, false, "needs iavl-disable-fastnode = true"},
		{"on, fast index unset (the SDK's default: on)", options{"app-db.prefetch-records": true}, false, "needs iavl-disable-fastnode = true"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := appdb.SettingsFrom(tc.opts)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, "[app-db] prefetch-records")
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, s.PrefetchRecords)
		})
	}
}
