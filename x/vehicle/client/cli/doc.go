// Package cli holds the vehicle commands autocli cannot generate well: a
// record batch read from a JSON file, and a one-record shortcut.
package cli
