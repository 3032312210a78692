// Package indexer is the regulator's warehouse: it follows the hub's blocks
// over a node's RPC and writes their facts into PostgreSQL, one SQL
// transaction per block together with the last applied height, so a crash
// of the indexer, the database or the node loses nothing and applies
// nothing twice. Map turns a block into rows (pure but for the record
// queries at the block's height), Store holds the schema, its migrations
// and the cursor, and Indexer drives both. See docs/warehouse.md.
package indexer
