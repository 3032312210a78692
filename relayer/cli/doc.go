// Package cli is vinrelay's command line (urfave/cli/v2): configuration,
// keys, chains and paths, linking, relaying, clearing and status. Each
// command parses flags and calls the relayer package.
package cli
