// Package cli holds the `evidence` commands that work on a file: they hash
// it locally, so the document itself never leaves the machine.
package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"

	commitmenttypes "github.com/cosmos/ibc-go/v11/modules/core/23-commitment/types"

	"github.com/vinhub/vinhub/sealed/sealcli"
	"github.com/vinhub/vinhub/x/anchor/types"
	"github.com/vinhub/vinhub/x/internal/modulecli"
)

// GroupName is the CLI group of the anchor module: what users look for is
// "evidence", even though the module is not the SDK's x/evidence.
const GroupName = "evidence"

// Flags of the anchor command.
const (
	FlagKind = "kind"
	FlagVIN  = "vin"
)

// TxCmd returns the `tx evidence` group.
func TxCmd() *cobra.Command {
	return modulecli.Group(GroupName, "Anchor evidence hashes (module anchor)", AnchorCmd())
}

// QueryCmd returns the `query evidence` group.
func QueryCmd() *cobra.Command {
	return modulecli.Group(GroupName, "Query evidence anchorings (module anchor)", ProofCmd(), OpenNoteCmd())
}

// AnchorCmd anchors a file's SHA-256; the file is not uploaded.
func AnchorCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "anchor [file]",
		Short: "Anchor a document's SHA-256 on the hub (the file is hashed locally, never uploaded)",
		Long: `Anchor a document's SHA-256. If the hash was anchored before, nothing is written and
the response carries the first anchoring with already_anchored: true.
--sealed name=value (repeatable) attaches a sealed note (e.g. what the document is, whose it is) for you,
the hub's regulators and --seal-to parties; only the first anchoring keeps its note.
Kinds: EVIDENCE_KIND_DOCUMENT (default), _INVOICE, _CONTRACT, _INSPECTION_REPORT, _IDENTITY_DOCUMENT, _PHOTO.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			hash, err := HashFile(args[0])
			if err != nil {
				return err
			}
			kindName, _ := cmd.Flags().GetString(FlagKind)
			kind, ok := types.EvidenceKind_value[kindName]
			if !ok {
				return fmt.Errorf("kind %q: %w", kindName, types.ErrInvalidKind)
			}
			vin, _ := cmd.Flags().GetString(FlagVIN)
			msg := &types.MsgAnchorEvidence{Submitter: clientCtx.GetFromAddress().String(), Sha256: hash, Kind: types.EvidenceKind(kind), Vin: vin}
			if msg.SealedNote, err = sealcli.FromFlags(cmd, clientCtx, types.NoteSubject(hash, msg.Submitter)); err != nil {
				return err
			}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().String(FlagKind, types.EVIDENCE_KIND_DOCUMENT.String(), "what the document is")
	cmd.Flags().String(FlagVIN, "", "the vehicle the document is about (optional)")
	sealcli.AddFlags(cmd)
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// Proof is what `query evidence proof` prints: the file's hash, its first
// anchoring, and the ICS-23 proof of the store entry, to be checked against
// the app hash in the header of Height+1.
type Proof struct {
	File      string          `json:"file"`
	SHA256    string          `json:"sha256"`
	Anchoring types.Anchoring `json:"anchoring"`
	// StoreKey is the entry's key in the "anchor" store (hex).
	StoreKey string `json:"store_key"`
	// Height is the state the proof is of; its app hash is in the header of Height+1.
	Height int64 `json:"height"`
	// MerkleProof is the ibc-go MerkleProof (protobuf, hex) of the entry.
	MerkleProof string `json:"merkle_proof"`
}

// ProofCmd proves a file's anchoring from the store.
func ProofCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "proof [file]",
		Short: "Hash a file locally and print its first anchoring with a Merkle proof of it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			hash, err := HashFile(args[0])
			if err != nil {
				return err
			}
			p, err := prove(clientCtx, hash)
			if err != nil {
				return err
			}
			p.File = args[0]
			return clientCtx.PrintObjectLegacy(p)
		},
	}
	flags.AddQueryFlagsToCmd(cmd)
	return cmd
}

func prove(clientCtx client.Context, hash []byte) (Proof, error) {
	key := append(append([]byte{}, types.AnchoringsKey...), hash...)
	res, err := clientCtx.QueryABCI(abci.RequestQuery{Path: "/store/" + types.StoreKey + "/key", Data: key, Height: clientCtx.Height, Prove: true})
	if err != nil {
		return Proof{}, fmt.Errorf("query anchoring %x: %w", hash, err)
	}
	if len(res.Value) == 0 {
		return Proof{}, fmt.Errorf("%x: %w", hash, types.ErrNotAnchored)
	}
	var a types.Anchoring
	if err := clientCtx.Codec.Unmarshal(res.Value, &a); err != nil {
		return Proof{}, fmt.Errorf("decode anchoring %x: %w", hash, err)
	}
	merkle, err := commitmenttypes.ConvertProofs(res.ProofOps)
	if err != nil {
		return Proof{}, fmt.Errorf("proof of %x: %w", hash, err)
	}
	bz, err := clientCtx.Codec.Marshal(&merkle)
	if err != nil {
		return Proof{}, err
	}
	return Proof{SHA256: hex.EncodeToString(hash), Anchoring: a, StoreKey: hex.EncodeToString(key),
		Height: res.Height, MerkleProof: hex.EncodeToString(bz)}, nil
}

// OpenNoteCmd decrypts the sealed note of a file's anchoring on this machine.
func OpenNoteCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "open-note [file]",
		Short: "Hash a file locally and decrypt its anchoring's sealed note with your encryption key file (client-side; nothing is sent)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			hash, err := HashFile(args[0])
			if err != nil {
				return err
			}
			res, err := types.NewQueryClient(clientCtx).Anchoring(cmd.Context(), &types.QueryAnchoringRequest{Sha256: hex.EncodeToString(hash)})
			if err != nil {
				return fmt.Errorf("anchoring of %s: %w", args[0], err)
			}
			if res.Anchoring.SealedNote == nil {
				return fmt.Errorf("the anchoring of %s carries no sealed note", args[0])
			}
			return sealcli.PrintOpen(cmd, res.Anchoring.SealedNote)
		},
	}
	sealcli.AddKeyFlag(cmd)
	flags.AddQueryFlagsToCmd(cmd)
	return cmd
}

// HashFile returns the SHA-256 of a file's contents ("-" reads stdin).
func HashFile(path string) ([]byte, error) {
	var r io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("open evidence: %w", err)
		}
		defer f.Close()
		r = f
	}
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return nil, fmt.Errorf("hash %s: %w", path, err)
	}
	return h.Sum(nil), nil
}
