package indexer

// OpenStoreAt is OpenStore migrating only up to version: a warehouse as an
// older vinindex left it.
var OpenStoreAt = openStoreAt

// ReadChunked joins genesis chunks as RPCSource.Genesis does.
var ReadChunked = readChunked
