// Package e2e holds the end-to-end tests: they build the real daemons, start
// real CometBFT nodes on 127.0.0.1 and drive them through the CLI and gRPC.
package e2e
