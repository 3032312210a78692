package testnet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stellar/go-stellar-sdk/keypair"

	"github.com/vinhub/vinhub/client"
	"github.com/vinhub/vinhub/relayer/notary"
	"github.com/vinhub/vinhub/testnet/pgnode"
	"github.com/vinhub/vinhub/testnet/stellarsim"
	notarytypes "github.com/vinhub/vinhub/x/notary/types"
	vehicletestutil "github.com/vinhub/vinhub/x/vehicle/testutil"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// The notary demo: a garage without a blockchain keeps its records in
// PostgreSQL, and four notaries (threshold 3) attest them to the hub.
const (
	DemoLedgerDealer = "corner-garage"
	DemoLedgerID     = "corner-garage-sql"
	demoLedgerDB     = "cornergarage"
)

// DemoNotaryKey is the hub key name of demo notary i.
func DemoNotaryKey(i int) string { return fmt.Sprintf("notary-%d", i) }

// DrawNotaries draws n notary keys: by hub key name, and their public keys
// for NetworkSpec.Notaries.
func DrawNotaries(n int) (map[string]notary.Signer, map[string]string, error) {
	signers, pubkeys := map[string]notary.Signer{}, map[string]string{}
	for i := range n {
		s, err := notary.NewSigner()
		if err != nil {
			return nil, nil, err
		}
		signers[DemoNotaryKey(i)], pubkeys[DemoNotaryKey(i)] = s, s.PubKeyHex()
	}
	return signers, pubkeys, nil
}

// NotaryDemo is the garage's ledger in a real PostgreSQL and the notaries
// watching it.
type NotaryDemo struct {
	PG       *pgnode.Node
	Notaries []*Notary
	ledger   *pgx.Conn
	// stellar, when set, is the Stellar network where the notaries watch
	// stellarLender, a lender's account.
	stellar       *stellarsim.Sim
	stellarLender *keypair.Full
}

// demoLedgerVIN is the car of the garage's ledger record.
func demoLedgerVIN() string { return vehicletestutil.VIN(60) }

// StartNotaryDemo starts PostgreSQL with the garage's ledger table and one
// `vinrelay notary` per signer (homes under dir), for the hub chain. With
// a Stellar simulator the notaries also watch a lender's account there,
// funded here (RepayInLumens).
func StartNotaryDemo(ctx context.Context, hub *Chain, binary, dir string, signers map[string]notary.Signer, sim *stellarsim.Sim) (*NotaryDemo, error) {
	pg, err := pgnode.Start(ctx)
	if err != nil {
		return nil, err
	}
	d := &NotaryDemo{PG: pg}
	if d.ledger, err = pg.OpenDatabase(ctx, demoLedgerDB, notary.LedgerTable); err != nil {
		return d, err
	}
	watch := notary.Config{Ledgers: []notary.LedgerConfig{{ID: DemoLedgerID, DSN: pg.DSN(demoLedgerDB)}}}
	if sim != nil {
		d.stellar, d.stellarLender = sim, keypair.MustRandom()
		if _, err := sim.Fund(ctx, d.stellarLender.Address()); err != nil {
			return d, err
		}
		watch.Stellar = []notary.StellarConfig{{Horizon: sim.URL(), Passphrase: sim.Passphrase(), Accounts: []string{d.stellarLender.Address()}}}
	}
	for i := range len(signers) {
		key := DemoNotaryKey(i)
		n, err := NewNotary(ctx, binary, filepath.Join(dir, key), hub.Node(0), hub.Mnemonics[key], signers[key], watch)
		if err != nil {
			return d, err
		}
		if err := n.Start(); err != nil {
			return d, err
		}
		d.Notaries = append(d.Notaries, n)
	}
	return d, nil
}

// Stop stops the notaries and PostgreSQL.
func (d *NotaryDemo) Stop() error {
	var errs []error
	for _, n := range d.Notaries {
		errs = append(errs, n.Stop())
	}
	if d.ledger != nil {
		errs = append(errs, d.ledger.Close(context.Background()))
	}
	return errors.Join(append(errs, d.PG.Stop())...)
}

// PSQL is the command line to open the garage's ledger.
func (d *NotaryDemo) PSQL() string {
	return fmt.Sprintf("psql %q", d.PG.DSN(demoLedgerDB))
}

// Run has the garage commit a service record in its database and waits
// until the hub's history of the car shows it, attested by the notaries.
func (d *NotaryDemo) Run(ctx context.Context, hub *Node, out io.Writer) (vehicletypes.Record, error) {
	say := func(format string, args ...any) { fmt.Fprintf(out, "    "+format+"\n", args...) }
	vin := demoLedgerVIN()
	fmt.Fprintln(out, "==> notaries: a garage without a blockchain records a service in its PostgreSQL ledger")
	if _, err := d.ledger.Exec(ctx, `INSERT INTO vinhub_ledger (record_ref, vin, kind, odometer_km, occurred_at, location, description)
		VALUES ('invoice-1001', $1, 'service', 48200, $2, 'Corner Garage, Springfield', 'oil change and brake pads')`,
		vin, time.Now().Add(-2*time.Hour)); err != nil {
		return vehicletypes.Record{}, err
	}
	conn, err := client.NewQueryConn(hub.RPCURL())
	if err != nil {
		return vehicletypes.Record{}, err
	}
	vq, nq := vehicletypes.NewQueryClient(conn), notarytypes.NewQueryClient(conn)
	for {
		res, err := vq.History(ctx, &vehicletypes.QueryHistoryRequest{Vin: vin})
		if err == nil {
			for _, r := range res.Records {
				if r.LedgerOrigin == nil || r.LedgerOrigin.RecordRef != "invoice-1001" {
					continue
				}
				att, err := nq.Attestation(ctx, &notarytypes.QueryAttestationRequest{Id: r.LedgerOrigin.AttestationId})
				if err != nil {
					return r, err
				}
				say("hub record %d of %s: %s %d km at %s, from ledger %s row %s", r.Id, vin, r.Input.Kind, r.Input.OdometerKm,
					r.Input.Location, r.LedgerOrigin.LedgerId, r.LedgerOrigin.RecordRef)
				say("attestation %s: %s with %d signatures of notary set %d", att.Attestation.Id, att.Attestation.Status,
					len(att.Attestation.Signatures), att.Attestation.SetVersion)
				return r, nil
			}
		}
		select {
		case <-ctx.Done():
			return vehicletypes.Record{}, fmt.Errorf("the ledger's record never reached the hub (notary logs: %s): %w", d.Notaries[0].Log(), ctx.Err())
		case <-time.After(300 * time.Millisecond):
		}
	}
}
