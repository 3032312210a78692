package testnet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"github.com/stellar/go-stellar-sdk/clients/horizonclient"
	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/txnbuild"

	"github.com/vinhub/vinhub/client"
	"github.com/vinhub/vinhub/relayer/notary"
	"github.com/vinhub/vinhub/testnet/stellarsim"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	notarytypes "github.com/vinhub/vinhub/x/notary/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// StellarNetworkID is the notary network id of a Stellar passphrase: its hex SHA-256.
func StellarNetworkID(passphrase string) string { return documentHash(passphrase) }

// documentHash is the hex SHA-256 of doc: what the demos give as a
// document's evidence hash.
func documentHash(doc string) string {
	sum := sha256.Sum256([]byte(doc))
	return hex.EncodeToString(sum[:])
}

// AcceptPaymentSources is a hub GenesisEdit accepting a Stellar and a
// Bitcoin network (either may be "") as notary payment sources: lumens
// limited to 100,000 XLM and bitcoin to 1,000 BTC per governor window.
func AcceptPaymentSources(stellarNet, bitcoinNet string) func(map[string]any) error {
	return func(appState map[string]any) error {
		nt, ok := appState["notary"].(map[string]any)
		if !ok {
			return fmt.Errorf("genesis has no notary state")
		}
		sources, _ := nt["sources"].([]any)
		if stellarNet != "" {
			sources = append(sources, map[string]any{"platform": "PLATFORM_STELLAR", "network_id": stellarNet,
				"limits": []any{map[string]any{"asset": "native", "limit": "1000000000000"}}})
		}
		if bitcoinNet != "" {
			sources = append(sources, map[string]any{"platform": "PLATFORM_BITCOIN", "network_id": bitcoinNet,
				"limits": []any{map[string]any{"asset": notary.BitcoinAsset, "limit": "100000000000"}}})
		}
		nt["sources"] = sources
		return nil
	}
}

// PayLumens pays lumens (a decimal XLM amount) from payer to account on
// the simulator with a text memo and returns the transaction hash once its
// ledger closed.
func PayLumens(sim *stellarsim.Sim, payer *keypair.Full, to, lumens, memo string) (string, error) {
	hc := &horizonclient.Client{HorizonURL: sim.URL()}
	acc, err := hc.AccountDetail(horizonclient.AccountRequest{AccountID: payer.Address()})
	if err != nil {
		return "", fmt.Errorf("stellar account %s: %w", payer.Address(), err)
	}
	tx, err := txnbuild.NewTransaction(txnbuild.TransactionParams{SourceAccount: &acc, IncrementSequenceNum: true,
		Operations: []txnbuild.Operation{&txnbuild.Payment{Destination: to, Amount: lumens, Asset: txnbuild.NativeAsset{}}},
		BaseFee:    txnbuild.MinBaseFee, Memo: txnbuild.MemoText(memo),
		Preconditions: txnbuild.Preconditions{TimeBounds: txnbuild.NewInfiniteTimeout()}})
	if err != nil {
		return "", err
	}
	if tx, err = tx.Sign(sim.Passphrase(), payer); err != nil {
		return "", err
	}
	res, err := hc.SubmitTransaction(tx)
	if err != nil {
		return "", fmt.Errorf("submit stellar payment: %w", err)
	}
	return res.Hash, nil
}

// RepayInLumens finances the garage's car on the hub with a loan that
// takes repayment in lumens to the lender's Stellar account, has a payer
// pay it on Stellar with the loan's memo, and waits until the notaries'
// attestation repaid it: title back, lien released.
func (d *NotaryDemo) RepayInLumens(ctx context.Context, hub *Node, out io.Writer) (assettypes.Loan, error) {
	say := func(format string, args ...any) { fmt.Fprintf(out, "    "+format+"\n", args...) }
	if d.stellar == nil {
		return assettypes.Loan{}, fmt.Errorf("the notary demo watches no Stellar account")
	}
	fmt.Fprintln(out, "==> notaries: a hub loan repaid in lumens")
	conn, err := client.NewQueryConn(hub.RPCURL())
	if err != nil {
		return assettypes.Loan{}, err
	}
	aq, vq := assettypes.NewQueryClient(conn), vehicletypes.NewQueryClient(conn)
	owner, err := hub.KeyAddress(ctx, DemoGarageCustomer)
	if err != nil {
		return assettypes.Loan{}, err
	}
	vin := demoLedgerVIN()
	loan, err := d.financeInLumens(ctx, hub, aq, owner, vin)
	if err != nil {
		return loan, err
	}
	say("%s offers loan %d on the garage's car (%s): %s, repayable in lumens to %s at 1 stroop = 1/1000 stake; %s pledges the car",
		DemoLender, loan.Id, vin, loan.Principal, d.stellarLender.Address(), DemoGarageCustomer)
	payer := keypair.MustRandom()
	if _, err := d.stellar.Fund(ctx, payer.Address()); err != nil {
		return loan, err
	}
	hash, err := PayLumens(d.stellar, payer, d.stellarLender.Address(), "3", notarytypes.LoanMemo(loan.Id))
	if err != nil {
		return loan, err
	}
	say("a payer sends 3 XLM to the lender's Stellar account with memo %q (Stellar tx %s)", notarytypes.LoanMemo(loan.Id), hash)
	for loan.Status != assettypes.LOAN_STATUS_REPAID {
		if err := sleep(ctx, 300*time.Millisecond); err != nil {
			return loan, fmt.Errorf("loan %d never repaid (notary logs: %s): %w", loan.Id, d.Notaries[0].Log(), err)
		}
		if res, err := aq.Loan(ctx, &assettypes.QueryLoanRequest{Id: loan.Id}); err == nil {
			loan = res.Loan
		}
	}
	lien, err := vq.LienByVIN(ctx, &vehicletypes.QueryLienByVINRequest{Vin: vin})
	if err != nil {
		return loan, err
	}
	asset, err := aq.Asset(ctx, &assettypes.QueryAssetRequest{Id: loan.AssetId})
	if err != nil {
		return loan, err
	}
	say("the notaries attested the payment: loan %d %s (%s counted across rails), title with %s (the owner: %v), active lien: %v",
		loan.Id, loan.Status, loan.RepaidAcrossRails, asset.Asset.Owner, asset.Asset.Owner == owner, lien.Active != nil)
	return loan, nil
}

// financeInLumens registers the car as the owner's asset, has it
// approved, offered a loan with a Stellar repayment term and pledged; it
// returns the active loan.
func (d *NotaryDemo) financeInLumens(ctx context.Context, hub *Node, aq assettypes.QueryClient, owner, vin string) (assettypes.Loan, error) {
	if err := hub.mustTx(ctx, DemoGarageCustomer, "asset", "apply", "vehicle", "the garage's customer's car", documentHash("registration "+vin), "--vin", vin); err != nil {
		return assettypes.Loan{}, err
	}
	assets, err := aq.Assets(ctx, &assettypes.QueryAssetsRequest{Owner: owner})
	if err != nil {
		return assettypes.Loan{}, err
	}
	var assetID uint64
	for _, a := range assets.Assets {
		if a.Vin == vin {
			assetID = max(assetID, a.Id)
		}
	}
	id := fmt.Sprint(assetID)
	if err := hub.mustTx(ctx, DemoExaminer, "asset", "approve", id, "20000stake", documentHash("inspection "+vin)); err != nil {
		return assettypes.Loan{}, err
	}
	term := fmt.Sprintf(`{"platform":"stellar","network_id":%q,"asset":"native","account":%q,"rate":{"numerator":"1","denominator":"1000"}}`,
		StellarNetworkID(d.stellar.Passphrase()), d.stellarLender.Address())
	if err := hub.mustTx(ctx, DemoLender, "asset", "offer-loan", id, owner, "10000stake", "1200", "720h", "--foreign-repayments", term); err != nil {
		return assettypes.Loan{}, err
	}
	loans, err := aq.AccountLoans(ctx, &assettypes.QueryAccountLoansRequest{Address: owner})
	if err != nil {
		return assettypes.Loan{}, err
	}
	var loan assettypes.Loan
	for _, l := range loans.Loans {
		if l.AssetId == assetID && l.Id > loan.Id {
			loan = l
		}
	}
	if err := hub.mustTx(ctx, DemoGarageCustomer, "asset", "pledge", fmt.Sprint(loan.Id)); err != nil {
		return loan, err
	}
	res, err := aq.Loan(ctx, &assettypes.QueryLoanRequest{Id: loan.Id})
	if err != nil {
		return loan, err
	}
	return res.Loan, nil
}
