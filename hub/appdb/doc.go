// Package appdb opens a node's application database (the IAVL trees of
// every module). With pebble, vinhub's default backend, it sizes pebble's
// block cache from app.toml instead of leaving it at pebble's 8 MiB, which
// is what cosmos-db's own opener fixes it to: a record inserts and rewrites
// leaves at random places of a tree that outgrows IAVL's node cache, and
// every tree node read past that cache then costs a file read, a checksum
// and a decompression unless pebble's cache holds its block
// (docs/benchmarks.md, "Hub ingestion"). The files are pebble's as
// cosmos-db writes them, so a home opens with either.
package appdb
