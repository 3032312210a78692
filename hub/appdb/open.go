package appdb

import (
	"path/filepath"

	dbm "github.com/cosmos/cosmos-db"
)

// name is the application database's name under a home's data directory,
// as the SDK's own opener names it.
const name = "application"

// Open opens the application database of the node home rootDir with
// backend: pebble with s's block cache, any other backend as the SDK opens
// it. It has the signature of server.StartCmdOptions.DBOpener once s is
// bound.
func Open(rootDir string, backend dbm.BackendType, s Settings) (dbm.DB, error) {
	dataDir := filepath.Join(rootDir, "data")
	if backend != dbm.PebbleDBBackend {
		return dbm.NewDB(name, backend, dataDir)
	}
	return OpenPebble(filepath.Join(dataDir, name+dbm.DBFileSuffix), s.PebbleCacheMiB<<20)
}
