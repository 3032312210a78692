// Package sealcli is the client-side half of sealed envelopes that every
// module CLI shares: the --sealed/--seal-to/--keys-node flags, reading the
// recipients' keys from the hub, and opening envelopes with a key file. It
// runs on the user's machine only; nothing here is part of the state machine.
package sealcli

import (
	"bytes"
	"crypto/ecdh"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/cosmos/gogoproto/jsonpb"
	"github.com/spf13/cobra"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/client"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/sealed"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
)

// Flags of sealed fields.
const (
	FlagSealed     = "sealed"
	FlagSealedFile = "sealed-file"
	FlagSealTo     = "seal-to"
	FlagKeysNode   = "keys-node"
	FlagPinnedRegs = "regulator-keys"
	FlagKey        = "key"
)

// AddFlags adds the flags that seal fields into a message.
func AddFlags(cmd *cobra.Command) {
	cmd.Flags().StringArray(FlagSealed, nil, "a sealed field name=value (repeat); sealed to you, the hub's regulators and --seal-to parties. "+
		"The value is visible to other local users and in shell history: use --sealed-file for personal data")
	cmd.Flags().StringArray(FlagSealedFile, nil, "a sealed field name=path (repeat): the value is the file's content, never on the command line")
	cmd.Flags().StringArray(FlagSealTo, nil, "another party (hub address) to seal to, e.g. the buyer's lender (repeat)")
	cmd.Flags().String(FlagKeysNode, "", "RPC of the hub node to read encryption keys from (default: --node; give the hub's on a dealer chain). Its answers carry no proof: use a hub node you trust")
	cmd.Flags().String(FlagPinnedRegs, "", "the regulators' keys as you got them from a trusted source (`query membership regulator-keys -o json` on a node you trust): refuse to seal if the keys node answers otherwise")
}

// AddKeyFlag adds --key, the encryption key file that opens envelopes.
func AddKeyFlag(cmd *cobra.Command) {
	cmd.Flags().String(FlagKey, "", "your encryption key file (from `tx membership encryption-keygen`); it never leaves this machine")
}

// FromFlags seals the --sealed and --sealed-file fields under subject to the
// signer's own key (if registered), every regulator with a key and the
// --seal-to parties, reading the keys from the hub. No sealed field: nil.
func FromFlags(cmd *cobra.Command, clientCtx client.Context, subject string) (*sealed.Envelope, error) {
	fields, err := plainFields(cmd)
	if err != nil || len(fields) == 0 {
		return nil, err
	}
	keys, err := recipientKeys(cmd, clientCtx)
	if err != nil {
		return nil, err
	}
	return sealed.Seal(subject, fields, keys)
}

// plainFields reads the --sealed name=value and the --sealed-file name=path fields.
func plainFields(cmd *cobra.Command) ([]sealed.PlainField, error) {
	var fields []sealed.PlainField
	pairs, _ := cmd.Flags().GetStringArray(FlagSealed)
	for _, p := range pairs {
		name, value, ok := strings.Cut(p, "=")
		if !ok {
			return nil, fmt.Errorf("--%s %q: write name=value", FlagSealed, p)
		}
		fields = append(fields, sealed.PlainField{Name: name, Value: []byte(value)})
	}
	files, _ := cmd.Flags().GetStringArray(FlagSealedFile)
	for _, p := range files {
		name, path, ok := strings.Cut(p, "=")
		if !ok {
			return nil, fmt.Errorf("--%s %q: write name=path", FlagSealedFile, p)
		}
		value, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("--%s %s: %w", FlagSealedFile, name, err)
		}
		fields = append(fields, sealed.PlainField{Name: name, Value: value})
	}
	return fields, nil
}

// recipientKeys reads the current keys of the signer, the regulators and the --seal-to parties.
func recipientKeys(cmd *cobra.Command, clientCtx client.Context) ([]sealed.RecipientKey, error) {
	if node, _ := cmd.Flags().GetString(FlagKeysNode); node != "" {
		rpc, err := client.NewClientFromNode(node)
		if err != nil {
			return nil, fmt.Errorf("--%s %s: %w", FlagKeysNode, node, err)
		}
		clientCtx = clientCtx.WithClient(rpc)
	}
	q := membershiptypes.NewQueryClient(clientCtx)
	regs, err := q.RegulatorKeys(cmd.Context(), &membershiptypes.QueryRegulatorKeysRequest{})
	if err != nil {
		return nil, fmt.Errorf("regulators' keys: %w", err)
	}
	if err := checkPinnedRegulators(cmd, regs.Keys); err != nil {
		return nil, err
	}
	if len(regs.Missing) > 0 {
		cmd.PrintErrf("warning: regulators without an encryption key cannot read this: %s\n", strings.Join(regs.Missing, ", "))
	}
	keys := make([]sealed.RecipientKey, 0, len(regs.Keys)+1)
	seen := map[string]bool{}
	add := func(k membershiptypes.EncryptionKey) {
		if !seen[k.Address] {
			seen[k.Address] = true
			keys = append(keys, sealed.RecipientKey{KeyID: sealed.KeyID{Address: k.Address, Version: k.Version}, PublicKey: k.PublicKey})
		}
	}
	parties, _ := cmd.Flags().GetStringArray(FlagSealTo)
	self := clientCtx.GetFromAddress().String()
	for _, party := range append([]string{self}, parties...) {
		acc, err := sdk.AccAddressFromBech32(party)
		if err != nil {
			return nil, fmt.Errorf("--%s %q: %w", FlagSealTo, party, err)
		}
		addr := acc.String()
		res, err := q.EncryptionKey(cmd.Context(), &membershiptypes.QueryEncryptionKeyRequest{Address: addr})
		if status.Code(err) == codes.NotFound && addr == self {
			cmd.PrintErrf("warning: you (%s) have no registered encryption key: you will not be able to open this\n", self)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("encryption key of %s: %w", addr, err)
		}
		// A node answering with another account's key would have what is
		// sealed "to addr" opened by that account.
		if res.Key.Address != addr {
			return nil, fmt.Errorf("encryption key of %s: the node answered with the key of %s", addr, res.Key.Address)
		}
		add(res.Key)
	}
	for _, k := range regs.Keys {
		add(k)
	}
	return keys, nil
}

// checkPinnedRegulators compares the keys node's regulator keys with the
// --regulator-keys file, if given: a node substituting a regulator's key (to
// read what is sealed to it) or dropping a regulator is caught before
// anything is sealed.
func checkPinnedRegulators(cmd *cobra.Command, got []membershiptypes.EncryptionKey) error {
	path, _ := cmd.Flags().GetString(FlagPinnedRegs)
	if path == "" {
		return nil
	}
	bz, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("--%s: %w", FlagPinnedRegs, err)
	}
	var pinned membershiptypes.QueryRegulatorKeysResponse
	if err := jsonpb.Unmarshal(bytes.NewReader(bz), &pinned); err != nil {
		return fmt.Errorf("--%s %s: %w", FlagPinnedRegs, path, err)
	}
	want, have := keyIDs(pinned.Keys), keyIDs(got)
	if !maps.Equal(want, have) {
		return fmt.Errorf("--%s %s: the keys node answers regulator keys %v, the pinned ones are %v: refusing to seal (point --%s at a node you trust, or update the pins after a rotation)",
			FlagPinnedRegs, path, slices.Sorted(maps.Keys(have)), slices.Sorted(maps.Keys(want)), FlagKeysNode)
	}
	return nil
}

// keyIDs names each key by address, version and public key.
func keyIDs(keys []membershiptypes.EncryptionKey) map[string]bool {
	out := make(map[string]bool, len(keys))
	for _, k := range keys {
		out[fmt.Sprintf("%s/%d:%x", k.Address, k.Version, k.PublicKey)] = true
	}
	return out
}

// ReadKey loads the private key named by --key.
func ReadKey(cmd *cobra.Command) (*ecdh.PrivateKey, error) {
	path, _ := cmd.Flags().GetString(FlagKey)
	if path == "" {
		return nil, fmt.Errorf("--%s: give your encryption key file", FlagKey)
	}
	return sealed.ReadKeyFile(path)
}

// OpenWithKeyFlag opens one envelope with the --key file.
func OpenWithKeyFlag(cmd *cobra.Command, env *sealed.Envelope) ([]sealed.Field, error) {
	priv, err := ReadKey(cmd)
	if err != nil {
		return nil, err
	}
	_, fields, err := sealed.OpenAny(env, priv)
	return fields, err
}

// PrintOpen opens one envelope with the --key file and prints its fields.
func PrintOpen(cmd *cobra.Command, env *sealed.Envelope) error {
	fields, err := OpenWithKeyFlag(cmd, env)
	if err != nil {
		return err
	}
	PrintFields(cmd.OutOrStdout(), "", fields)
	return nil
}

// PrintFields prints opened fields as name=value lines, each after indent;
// a value is printed as sealed.Printable makes it.
func PrintFields(w io.Writer, indent string, fields []sealed.Field) {
	for _, f := range fields {
		fmt.Fprintf(w, "%s%s=%s\n", indent, f.Name, sealed.Printable(f.Value))
	}
}

// NodeChainID is the chain id the node reports, which a disclosure names and
// is checked against; with --chain-id, the node must report that one.
func NodeChainID(cmd *cobra.Command, clientCtx client.Context) (string, error) {
	node, err := clientCtx.GetNode()
	if err != nil {
		return "", err
	}
	st, err := node.Status(cmd.Context())
	if err != nil {
		return "", fmt.Errorf("node status: %w", err)
	}
	if clientCtx.ChainID != "" && clientCtx.ChainID != st.NodeInfo.Network {
		return "", fmt.Errorf("the node serves chain %q, not --chain-id %q", st.NodeInfo.Network, clientCtx.ChainID)
	}
	return st.NodeInfo.Network, nil
}

// NotForYou is what a bulk view prints for an envelope the key does not open.
const NotForYou = "sealed, not for this key"

// PrintOpened is one entry of a bulk view: the label, then the fields the
// key opens, or a line saying the envelope is not for this key, or why it
// was refused (a tampered envelope is shown, not hidden).
func PrintOpened(w io.Writer, label string, env *sealed.Envelope, priv *ecdh.PrivateKey) {
	_, fields, err := sealed.OpenAny(env, priv)
	switch {
	case errors.Is(err, sealed.ErrNotRecipient):
		fmt.Fprintf(w, "%s: %s\n", label, NotForYou)
	case err != nil:
		fmt.Fprintf(w, "%s: REFUSED: %v\n", label, err)
	default:
		fmt.Fprintf(w, "%s:\n", label)
		PrintFields(w, "  ", fields)
	}
}
