// Package chaincmd builds the cobra root command shared by vinhubd and
// dealerd: init, genesis, start, keys, config-free client commands, and
// autocli-generated tx and query commands for every module.
package chaincmd
