package testnet

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/vinhub/vinhub/client"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/relayer"
	"github.com/vinhub/vinhub/x/vehicle/testutil"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// RecordLoad sends vehicle records from a dealer chain's reporter, many
// MsgRecordEvents per transaction: each message sends one packet to the hub,
// so one transaction can put dozens of packets in flight.
type RecordLoad struct {
	Chain    *client.Chain
	DealerID string
	// Sent counts records sent so far; record i is about VIN i mod VINs.
	Sent int
	// VINs is how many distinct cars the records are about, from the
	// FirstVIN-th of testutil.VIN on (give each load its own range).
	VINs, FirstVIN int
}

// loadStart is the time of the first generated record; each record is one
// minute after the previous one, and odometers only go up: no flags.
var loadStart = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// NewRecordLoad signs as reporterKey from the node's own test keyring.
func NewRecordLoad(n *Node, reporterKey, dealerID string) (*RecordLoad, error) {
	cdc := client.NewCodec(vehicletypes.RegisterInterfaces)
	kr, err := nodeKeyring(n, cdc)
	if err != nil {
		return nil, err
	}
	cfg := relayer.DefaultChain(n.ChainID, n.RPCURL())
	cfg.GasPrice = "0" + n.Denom
	cfg.MaxGas = 1 << 40
	c, err := client.NewChainSigner(cfg.Config, kr, reporterKey, cdc, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		return nil, err
	}
	return &RecordLoad{Chain: c, DealerID: dealerID, VINs: 10}, nil
}

// VINList is every VIN the load writes about.
func (l *RecordLoad) VINList() []string {
	out := make([]string, l.VINs)
	for i := range out {
		out[i] = testutil.VIN(l.FirstVIN + i)
	}
	return out
}

// Send commits one transaction of `packets` messages of perPacket records each.
func (l *RecordLoad) Send(ctx context.Context, packets, perPacket int) (client.TxResult, error) {
	res, err := l.Chain.Submit(ctx, l.messages(packets, perPacket)...)
	if err != nil {
		return res, fmt.Errorf("%s: record load: %w", l.Chain.ID(), err)
	}
	l.Sent += packets * perPacket
	return res, nil
}

// Backlog commits `packets` one-record packets, perTx messages per
// transaction, broadcasting every transaction before waiting for any, so a
// backlog of small transactions takes a few blocks rather than one block
// per transaction. The records keep their order: one sender, sequential
// broadcasts.
func (l *RecordLoad) Backlog(ctx context.Context, packets, perTx int) error {
	var hashes [][]byte
	for sent := 0; sent < packets; sent += perTx {
		n := min(perTx, packets-sent)
		hash, err := l.Chain.Broadcast(ctx, l.messages(n, 1)...)
		if err != nil {
			return fmt.Errorf("%s: record load: %w", l.Chain.ID(), err)
		}
		l.Sent += n
		hashes = append(hashes, hash)
	}
	for _, h := range hashes {
		if _, err := l.Chain.WaitCommitted(ctx, h); err != nil {
			return fmt.Errorf("%s: record load: %w", l.Chain.ID(), err)
		}
	}
	return nil
}

// messages are `packets` MsgRecordEvents of perPacket records each,
// numbered on from the records sent so far.
func (l *RecordLoad) messages(packets, perPacket int) []sdk.Msg {
	msgs := make([]sdk.Msg, packets)
	for i := range msgs {
		recs := make([]vehicletypes.RecordInput, perPacket)
		for j := range recs {
			n := l.Sent + i*perPacket + j
			recs[j] = vehicletypes.RecordInput{
				Vin: testutil.VIN(l.FirstVIN + n%l.VINs), Kind: vehicletypes.RECORD_KIND_SERVICE,
				OdometerKm: uint64(1000 + n), OccurredAt: loadStart.Add(time.Duration(n) * time.Minute),
				Location: "load test bay", Description: fmt.Sprintf("service %d", n),
			}
		}
		msgs[i] = &vehicletypes.MsgRecordEvents{Reporter: l.Chain.Signer(), DealerId: l.DealerID, Records: recs}
	}
	return msgs
}
