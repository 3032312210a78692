package cli

import (
	"encoding/hex"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vinhub/vinhub/sealed"
	"github.com/vinhub/vinhub/x/internal/modulecli"
	"github.com/vinhub/vinhub/x/membership/types"
)

// TxCmd returns the hand-written membership tx commands; autocli adds the rest.
func TxCmd() *cobra.Command {
	return modulecli.Group(types.ModuleName, "Membership transactions", EncryptionKeygenCmd())
}

// EncryptionKeygenCmd writes a new X25519 key pair to a file (offline).
func EncryptionKeygenCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "encryption-keygen [key-file]",
		Short: "Write a new X25519 encryption key pair to a file (offline) and print the public key to register",
		Long: `Writes the key pair (mode 0600, never overwritten) and prints the public key in hex: register it with
  tx membership register-encryption-key <public-key>
or, for a regulator, have governance set it (set-encryption-key). Keep the file: it opens every
sealed record addressed to this key version, also after you rotate to a new one.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			priv, err := sealed.WriteKeyFile(args[0])
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), hex.EncodeToString(priv.PublicKey().Bytes()))
			return err
		},
	}
}
