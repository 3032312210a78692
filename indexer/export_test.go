package indexer

// OpenStoreAt is OpenStore migrating only up to version: a warehouse as an
// older vinindex left it.
var OpenStoreAt = openStoreAt
