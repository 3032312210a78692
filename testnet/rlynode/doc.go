// Package rlynode builds the Go IBC relayer rly (github.com/cosmos/relayer,
// v2.6.0) for tests and benchmarks, the peer vinrelay is measured against.
//
// The Go module proxy here refuses github.com/cosmos/relayer/v2, but its
// dependencies resolve, so Binary builds it from the source archive
// rly-v2.6.0.tar.gz (../shared/peers/ next to the repository, or the path in
// VINHUB_RLY_ARCHIVE) against rly's own go.mod, outside this module. The
// binary is kept in the user cache directory
// (os.UserCacheDir()/vinhub/rly-v2.6.0/) and reused; set VINHUB_RLY to the
// path of an existing rly to skip the build. A cold build takes 4-5 minutes
// on two cores, under one with a warm module cache.
package rlynode
