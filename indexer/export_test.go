package indexer

// OpenStoreAt is OpenStore migrating only up to version: a warehouse as an
// older vinindex left it.
var OpenStoreAt = openStoreAt

// ReadChunked joins genesis chunks as RPCSource.Genesis does.
var ReadChunked = readChunked

// GenesisMappedFields are, per module, the genesis fields indexed as facts.
func GenesisMappedFields() map[string][]string {
	out := map[string][]string{}
	for _, m := range genesisModules {
		out[m.name] = m.mapped
	}
	return out
}
