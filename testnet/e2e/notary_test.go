package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	gogogrpc "github.com/cosmos/gogoproto/grpc"
	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/adapters/stellar"
	"github.com/vinhub/vinhub/audit"
	"github.com/vinhub/vinhub/client"
	"github.com/vinhub/vinhub/hashlock"
	"github.com/vinhub/vinhub/relayer/notary"
	"github.com/vinhub/vinhub/testnet"
	"github.com/vinhub/vinhub/testnet/pgnode"
	"github.com/vinhub/vinhub/testnet/stellarsim"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	htlctypes "github.com/vinhub/vinhub/x/htlc/types"
	notarytypes "github.com/vinhub/vinhub/x/notary/types"
	vehicletestutil "github.com/vinhub/vinhub/x/vehicle/testutil"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

const ledgerID = "acme-sql-1"

// TestNotaries runs a hub, a dealer's ledger in a real PostgreSQL, a
// Stellar network (stellarsim, Horizon's API) and four `vinrelay notary`
// processes (threshold 3): rows the dealer commits enter the VIN's history
// through attestations every node can re-verify; with one notary SIGKILLed
// the others still make them final; the killed one, restarted, learns from
// the hub what it signed and posts nothing twice; a hub loan repaid by a
// Stellar payment to the lender's account (memo loan:<id>) is REPAID, its
// title back with the owner and its lien released; so is one repaid by a
// Bitcoin payment on a real btcd (OP_RETURN loan:<id>), exactly once.
func TestNotaries(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: real nodes, PostgreSQL and notary processes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	bins := binaries(t)
	dir := t.TempDir()

	pg, err := pgnode.Start(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = pg.Stop() })
	dealerDB, err := pg.OpenDatabase(ctx, "acme", notary.LedgerTable)
	require.NoError(t, err)
	defer dealerDB.Close(ctx)

	// The Stellar rail: the lender's account there is watched by every notary.
	sim, err := stellarsim.New(stellarsim.Config{})
	require.NoError(t, err)
	_, err = sim.Start("")
	require.NoError(t, err)
	t.Cleanup(func() { _ = sim.Close() })
	lenderStellar, payerStellar := keypair.MustRandom(), keypair.MustRandom()
	for _, kp := range []*keypair.Full{lenderStellar, payerStellar} {
		_, err := sim.Fund(ctx, kp.Address())
		require.NoError(t, err)
	}
	stellarNet := testnet.StellarNetworkID(sim.Passphrase())

	// The Bitcoin rail: a real btcd on simnet whose coinbases pay the
	// payer; the lender's address is watched by every notary.
	btc := startBitcoin(ctx, t, filepath.Join(dir, "btcd"))

	spec := testnet.DemoChainSpec(bins.hub, filepath.Join(dir, "hub"))
	spec.Roles, spec.Notaries = maps.Clone(testnet.FinanceDemoRoles), map[string]string{}
	spec.Keys = append(spec.Keys, testnet.FinanceDemoKeys...)
	spec.GenesisEdit = testnet.AcceptPaymentSources(stellarNet, btc.network)
	spec.Ledgers = map[string]string{ledgerID: testnet.DemoGenesisDealer}
	signers := make([]notary.Signer, 4)
	for i := range signers {
		key := fmt.Sprintf("notary-%d", i)
		signers[i], err = notary.NewSigner()
		require.NoError(t, err)
		spec.Keys = append(spec.Keys, key)
		spec.Roles[key] = "notary"
		spec.Notaries[key] = signers[i].PubKeyHex()
	}
	chain, err := testnet.InitChain(ctx, spec)
	require.NoError(t, err)
	hub := chain.Node(0)
	require.NoError(t, hub.Start())
	t.Cleanup(func() {
		hub.Stop()
		if t.Failed() {
			logTail(t, hub.LogPath())
		}
	})
	require.NoError(t, hub.WaitHeight(ctx, 2))

	notaries := make([]*testnet.Notary, 4)
	for i := range notaries {
		n, err := testnet.NewNotary(ctx, bins.relayer, filepath.Join(dir, fmt.Sprintf("notary-%d", i)), hub,
			chain.Mnemonics[fmt.Sprintf("notary-%d", i)], signers[i], notary.Config{
				Ledgers: []notary.LedgerConfig{{ID: ledgerID, DSN: pg.DSN("acme")}},
				Stellar: []notary.StellarConfig{{Horizon: sim.URL(), Passphrase: sim.Passphrase(), Accounts: []string{lenderStellar.Address()}}},
				// Two notaries are told the lender's address, two learn it
				// from the loan's terms: a payment needs both kinds.
				Bitcoin: []notary.BitcoinConfig{btc.watch(i >= 2)},
			})
		require.NoError(t, err)
		require.NoError(t, n.Start())
		notaries[i] = n
		t.Cleanup(func() {
			_ = n.Stop()
			if t.Failed() {
				logTail(t, n.Log())
			}
		})
	}
	conn, err := client.NewQueryConn(hub.RPCURL())
	require.NoError(t, err)
	nq, vq := notarytypes.NewQueryClient(conn), vehicletypes.NewQueryClient(conn)
	vin := vehicletestutil.VIN(40)
	commit := func(ref string, km int64) {
		_, err := dealerDB.Exec(ctx, `INSERT INTO vinhub_ledger (record_ref, vin, kind, odometer_km, occurred_at, location, description)
			VALUES ($1, $2, 'mileage', $3, $4, 'Springfield', 'reading at the workshop')`, ref, vin, km, time.Now().Add(-time.Hour))
		require.NoError(t, err)
	}
	// inHistory waits until the ledger row ref is a record of the VIN on the hub.
	inHistory := func(ref string) vehicletypes.Record {
		var found *vehicletypes.Record
		require.Eventually(t, func() bool {
			res, err := vq.History(ctx, &vehicletypes.QueryHistoryRequest{Vin: vin})
			if err != nil {
				return false
			}
			for _, r := range res.Records {
				if r.LedgerOrigin != nil && r.LedgerOrigin.RecordRef == ref {
					found = &r
					return true
				}
			}
			return false
		}, 90*time.Second, 300*time.Millisecond, "ledger row %s never reached the VIN's history", ref)
		return *found
	}

	t.Run("a committed ledger row enters the VIN's history, attested by a threshold", func(t *testing.T) {
		commit("row-1", 12_000)
		rec := inHistory("row-1")
		require.Equal(t, testnet.DemoGenesisDealer, rec.DealerId)
		require.EqualValues(t, 12_000, rec.Input.OdometerKm)
		require.Equal(t, ledgerID, rec.LedgerOrigin.LedgerId)

		att, err := nq.Attestation(ctx, &notarytypes.QueryAttestationRequest{Id: rec.LedgerOrigin.AttestationId})
		require.NoError(t, err)
		a := att.Attestation
		require.Equal(t, notarytypes.ATTESTATION_STATUS_EXECUTED, a.Status)
		set, err := nq.Set(ctx, &notarytypes.QuerySetRequest{Version: a.SetVersion})
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(a.Signatures), int(set.Set.Threshold))
		// Anyone re-verifies every kept signature against the set.
		digest, err := notarytypes.Digest(a.Observation, a.SetVersion)
		require.NoError(t, err)
		for _, s := range a.Signatures {
			var pk []byte
			for _, m := range set.Set.Members {
				if m.Operator == s.Operator {
					pk = m.Pubkey
				}
			}
			require.NoError(t, notarytypes.VerifySignature(pk, digest, s.Sig), "signature of %s", s.Operator)
		}
	})

	t.Run("one notary SIGKILLed: the other three still make a row final", func(t *testing.T) {
		require.NoError(t, notaries[3].Kill())
		commit("row-2", 12_500)
		inHistory("row-2")
	})

	t.Run("the killed notary, restarted, posts nothing it signed or that was decided", func(t *testing.T) {
		addr, err := hub.KeyAddress(ctx, "notary-3")
		require.NoError(t, err)
		before := sequence(ctx, t, conn, addr)
		require.NoError(t, notaries[3].Start())
		// It reads the ledger up to row-2 again (its cursor file says how far).
		require.Eventually(t, func() bool { return cursorAt(notaries[3].Home) >= 2 }, 60*time.Second, 200*time.Millisecond)
		require.Equal(t, before, sequence(ctx, t, conn, addr), "no transaction for rows already signed or decided")

		commit("row-3", 13_000)
		inHistory("row-3")
		out, err := notaries[3].Exec(ctx, "notary", "status")
		require.NoError(t, err)
		require.Contains(t, string(out), "is a member")
		require.Contains(t, string(out), "ledger/"+ledgerID)
		require.Contains(t, string(out), "stellar/"+stellarNet+"/"+lenderStellar.Address())
	})

	t.Run("vinaudit re-verifies every attested record's notary signatures against the proven set", func(t *testing.T) {
		// A state is proven by the next block's header: wait until row-3's block has one.
		now, err := hub.Height(ctx)
		require.NoError(t, err)
		require.NoError(t, hub.WaitHeight(ctx, now+2))
		rpc := hub.RPCURL()
		home := t.TempDir()
		code, _ := runAudit(t, "--home", home, "init", "--genesis", filepath.Join(hub.Home, "config", "genesis.json"), "--primary", rpc, "--witness", rpc)
		require.Zero(t, code)
		code, out := runAudit(t, "--home", home, "vin", "--json", vin)
		require.Zero(t, code)
		var r audit.Report
		require.NoError(t, json.Unmarshal([]byte(out), &r))
		attested := 0
		for _, f := range r.Findings.Facts {
			require.Equal(t, audit.Proven, f.Status, "%s: %s (%s)", f.Subject, f.Statement, f.Reason)
			if strings.Contains(f.Statement, "signatures verified") {
				attested++
			}
		}
		require.Equal(t, 3, attested, "rows 1 to 3")
	})

	t.Run("a lying notary's payment is never final; a real Stellar payment repays a hub loan: REPAID, title back, lien released", func(t *testing.T) {
		owner, err := hub.KeyAddress(ctx, testnet.DemoOwner)
		require.NoError(t, err)
		evidence := stellarNet // any 32-byte hash
		term := fmt.Sprintf(`{"platform":"stellar","network_id":%q,"asset":"native","account":%q,"rate":{"numerator":"1","denominator":"1000"}}`,
			stellarNet, lenderStellar.Address())
		for _, tx := range []struct {
			from string
			args []string
		}{
			{testnet.DemoOwner, []string{"asset", "apply", "vehicle", "the car the ledger rows are about", evidence, "--vin", vin}},
			{testnet.DemoExaminer, []string{"asset", "approve", "1", "20000stake", evidence}},
			{testnet.DemoLender, []string{"asset", "offer-loan", "1", owner, "10000stake", "1200", "720h", "--foreign-repayments", term}},
			{testnet.DemoOwner, []string{"asset", "pledge", "1"}},
		} {
			res, err := hub.Tx(ctx, tx.from, tx.args...)
			require.NoError(t, err)
			require.Zero(t, res.Code, "%v: %s", tx.args, res.RawLog)
		}
		aq := assettypes.NewQueryClient(conn)
		loan, err := aq.Loan(ctx, &assettypes.QueryLoanRequest{Id: 1})
		require.NoError(t, err)
		require.Equal(t, assettypes.LOAN_STATUS_ACTIVE, loan.Loan.Status)
		lien, err := vq.LienByVIN(ctx, &vehicletypes.QueryLienByVINRequest{Vin: vin})
		require.NoError(t, err)
		require.NotNil(t, lien.Active, "the pledge holds a lien on the VIN")

		// A lying notary signs a payment that never happened: the others
		// never saw it, so it is never final and the loan stays open.
		fake := notarytypes.Observation{Platform: notarytypes.PLATFORM_STELLAR, NetworkId: stellarNet,
			TxRef: hex.EncodeToString(evidence32("a payment that never happened")), Height: 1, Time: time.Now().UTC().Truncate(time.Second),
			Payload: &notarytypes.Observation_Payment{Payment: &notarytypes.Payment{Asset: "native", Amount: sdkmath.NewInt(30_000_000),
				From: payerStellar.Address(), To: lenderStellar.Address(), Memo: notarytypes.LoanMemo(1)}}}
		liar := operatorChain(t, notaries[0].Home, hub)
		sig, err := signers[0].Sign(fake, 1)
		require.NoError(t, err)
		_, err = liar.Submit(ctx, &notarytypes.MsgAttest{Notary: liar.Signer(), Observation: fake, SetVersion: 1, Signature: sig})
		require.NoError(t, err)
		h, err := hub.Height(ctx)
		require.NoError(t, err)
		require.NoError(t, hub.WaitHeight(ctx, h+5))
		lies, err := nq.AttestationsBySource(ctx, &notarytypes.QueryAttestationsBySourceRequest{Platform: notarytypes.PLATFORM_STELLAR,
			NetworkId: stellarNet, TxRef: fake.TxRef})
		require.NoError(t, err)
		require.Len(t, lies.Attestations, 1)
		require.Equal(t, notarytypes.ATTESTATION_STATUS_PENDING, lies.Attestations[0].Status)
		require.Len(t, lies.Attestations[0].Signatures, 1, "no honest notary signs what it did not see")
		loan, err = aq.Loan(ctx, &assettypes.QueryLoanRequest{Id: 1})
		require.NoError(t, err)
		require.Equal(t, assettypes.LOAN_STATUS_ACTIVE, loan.Loan.Status, "the lie executed nothing")

		// 30,000,000 stroops at 1/1000 are worth 30,000stake: more than due.
		paid, err := testnet.PayLumens(sim, payerStellar, lenderStellar.Address(), "3", notarytypes.LoanMemo(1))
		require.NoError(t, err)
		require.Eventually(t, func() bool {
			res, err := aq.Loan(ctx, &assettypes.QueryLoanRequest{Id: 1})
			return err == nil && res.Loan.Status == assettypes.LOAN_STATUS_REPAID
		}, 90*time.Second, 300*time.Millisecond, "loan 1 never became REPAID")

		asset, err := aq.Asset(ctx, &assettypes.QueryAssetRequest{Id: 1})
		require.NoError(t, err)
		require.Equal(t, owner, asset.Asset.Owner, "the title is back with the owner")
		lien, err = vq.LienByVIN(ctx, &vehicletypes.QueryLienByVINRequest{Vin: vin})
		require.NoError(t, err)
		require.Nil(t, lien.Active, "the lien is released")
		atts, err := nq.AttestationsBySource(ctx, &notarytypes.QueryAttestationsBySourceRequest{Platform: notarytypes.PLATFORM_STELLAR,
			NetworkId: stellarNet, TxRef: paid, Index: 0})
		require.NoError(t, err)
		require.Len(t, atts.Attestations, 1)
		a := atts.Attestations[0]
		require.Equal(t, notarytypes.ATTESTATION_STATUS_EXECUTED, a.Status, a.Result)
		require.Equal(t, &notarytypes.Payment{Asset: "native", Amount: sdkmath.NewInt(30_000_000), From: payerStellar.Address(),
			To: lenderStellar.Address(), Memo: "loan:1"}, a.Observation.GetPayment())
	})

	t.Run("a Bitcoin payment (btcd, OP_RETURN loan:2) repays a hub loan exactly once", func(t *testing.T) {
		owner, err := hub.KeyAddress(ctx, testnet.DemoOwner)
		require.NoError(t, err)
		aq := assettypes.NewQueryClient(conn)
		term := fmt.Sprintf(`{"platform":"bitcoin","network_id":%q,"asset":"btc","account":%q,"rate":{"numerator":"1","denominator":"10"}}`,
			btc.network, btc.lender)
		for _, tx := range []struct {
			from string
			args []string
		}{
			{testnet.DemoLender, []string{"asset", "offer-loan", "1", owner, "10000stake", "1200", "720h", "--foreign-repayments", term}},
			{testnet.DemoOwner, []string{"asset", "pledge", "2"}},
		} {
			res, err := hub.Tx(ctx, tx.from, tx.args...)
			require.NoError(t, err)
			require.Zero(t, res.Code, "%v: %s", tx.args, res.RawLog)
		}
		loan, err := aq.Loan(ctx, &assettypes.QueryLoanRequest{Id: 2})
		require.NoError(t, err)
		require.Equal(t, assettypes.LOAN_STATUS_ACTIVE, loan.Loan.Status)
		stopMining := btc.node.AutoMine(300 * time.Millisecond)
		defer func() { require.NoError(t, stopMining()) }()

		// byTx waits until the output's attestation is decided and returns it.
		byTx := func(txid string) notarytypes.Attestation {
			var got notarytypes.Attestation
			require.Eventually(t, func() bool {
				res, err := nq.AttestationsBySource(ctx, &notarytypes.QueryAttestationsBySourceRequest{Platform: notarytypes.PLATFORM_BITCOIN,
					NetworkId: btc.network, TxRef: txid, Index: 0})
				if err != nil || len(res.Attestations) != 1 || res.Attestations[0].Status == notarytypes.ATTESTATION_STATUS_PENDING {
					return false
				}
				got = res.Attestations[0]
				return true
			}, 90*time.Second, 300*time.Millisecond, "bitcoin payment %s never decided", txid)
			return got
		}

		// A payment naming a loan that does not exist is attested and
		// FAILED on the hub: nothing else moves.
		stray := byTx(btc.pay(ctx, t, 50_000, notarytypes.LoanMemo(99)))
		require.Equal(t, notarytypes.ATTESTATION_STATUS_FAILED, stray.Status)
		require.Contains(t, stray.Result, "loan")

		// 200,000 sats at 1/10 are worth 20,000stake: more than due.
		txid := btc.pay(ctx, t, 200_000, notarytypes.LoanMemo(2))
		a := byTx(txid)
		require.Equal(t, notarytypes.ATTESTATION_STATUS_EXECUTED, a.Status, a.Result)
		require.Equal(t, &notarytypes.Payment{Asset: "btc", Amount: sdkmath.NewInt(200_000), To: btc.lender, Memo: "loan:2"},
			a.Observation.GetPayment())
		require.GreaterOrEqual(t, a.Observation.Height, uint64(btc.start))
		loan, err = aq.Loan(ctx, &assettypes.QueryLoanRequest{Id: 2})
		require.NoError(t, err)
		require.Equal(t, assettypes.LOAN_STATUS_REPAID, loan.Loan.Status)
		require.Equal(t, "20000stake", loan.Loan.RepaidAcrossRails.String(), "counted once")
		asset, err := aq.Asset(ctx, &assettypes.QueryAssetRequest{Id: 1})
		require.NoError(t, err)
		require.Equal(t, owner, asset.Asset.Owner, "the title is back with the owner")
		lien, err := vq.LienByVIN(ctx, &vehicletypes.QueryLienByVINRequest{Vin: vin})
		require.NoError(t, err)
		require.Nil(t, lien.Active, "the lien is released")

		// Seen again: re-posted by a member it is a replay; a notary that
		// lost its Bitcoin cursor and block hashes reads every block again
		// and posts nothing.
		for i := range notaries {
			again := operatorChain(t, notaries[i].Home, hub)
			sig, err := signers[i].Sign(a.Observation, a.SetVersion)
			require.NoError(t, err)
			_, err = again.Submit(ctx, &notarytypes.MsgAttest{Notary: again.Signer(), Observation: a.Observation, SetVersion: a.SetVersion, Signature: sig})
			if slices.ContainsFunc(a.Signatures, func(s notarytypes.Signature) bool { return s.Operator == again.Signer() }) {
				require.ErrorIs(t, err, notarytypes.ErrDuplicateSigner)
			} else {
				require.ErrorIs(t, err, notarytypes.ErrAlreadyFinal, "a replay by a member that had not signed")
			}
		}
		require.NoError(t, notaries[1].Stop())
		source := "bitcoin/" + btc.network
		for _, ext := range []string{"cursor", "blocks"} {
			require.NoError(t, os.Remove(notary.StatePath(notaries[1].Home, source, ext)))
		}
		addr, err := hub.KeyAddress(ctx, "notary-1")
		require.NoError(t, err)
		before := sequence(ctx, t, conn, addr)
		require.NoError(t, notaries[1].Start())
		require.Eventually(t, func() bool {
			b, err := os.ReadFile(notary.StatePath(notaries[1].Home, source, "cursor"))
			v, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
			return err == nil && v>>34 > int64(a.Observation.Height)
		}, 60*time.Second, 200*time.Millisecond, "the restarted notary reads past the payment's block")
		require.Equal(t, before, sequence(ctx, t, conn, addr), "nothing posted for payments already decided")
		loan, err = aq.Loan(ctx, &assettypes.QueryLoanRequest{Id: 2})
		require.NoError(t, err)
		require.Equal(t, "20000stake", loan.Loan.RepaidAcrossRails.String())
	})

	t.Run("an HTLC claimed on btcd publishes its secret on the hub", func(t *testing.T) {
		stopMining := btc.node.AutoMine(300 * time.Millisecond)
		defer func() { require.NoError(t, stopMining()) }()
		secret, err := hashlock.NewSecret()
		require.NoError(t, err)
		c, err := btc.payer.Lock(ctx, htlc.Terms{Hash: secret.Hash(), Sender: btc.payer.Account(), Recipient: btc.recipient.Account(),
			Amount: "150000", Expiry: time.Now().Add(time.Hour)})
		require.NoError(t, err)
		claim, err := btc.recipient.Claim(ctx, c, secret)
		require.NoError(t, err)

		hq := htlctypes.NewQueryClient(conn)
		var pub *htlctypes.QueryPublishedSecretResponse
		require.Eventually(t, func() bool {
			pub, err = hq.PublishedSecret(ctx, &htlctypes.QueryPublishedSecretRequest{HashLock: secret.Hash().String()})
			return err == nil
		}, 90*time.Second, 300*time.Millisecond, "the secret of the claim %s never reached the hub", claim)
		require.Equal(t, secret.String(), pub.PublishedSecret.Secret)
		att, err := nq.Attestation(ctx, &notarytypes.QueryAttestationRequest{Id: pub.PublishedSecret.Evidence})
		require.NoError(t, err)
		require.Equal(t, notarytypes.ATTESTATION_STATUS_EXECUTED, att.Attestation.Status, att.Attestation.Result)
		obs := att.Attestation.Observation
		require.Equal(t, claim, obs.TxRef)
		require.Equal(t, notarytypes.BitcoinInputIndex(0), obs.Index)
		require.Equal(t, &notarytypes.HtlcSpend{HashLock: secret.Hash().String(), Secret: secret.String(), Contract: c.Ref}, obs.GetHtlcSpend())
	})

	t.Run("a Stellar escrow claimed into the watched account publishes its secret on the hub", func(t *testing.T) {
		rail := func(kp *keypair.Full) *stellar.Rail {
			r, err := stellar.New(stellar.Config{HorizonURL: sim.URL(), Passphrase: sim.Passphrase(), Seed: kp.Seed(),
				Finality: time.Second, PollInterval: 200 * time.Millisecond})
			require.NoError(t, err)
			return r
		}
		secret, err := hashlock.NewSecret()
		require.NoError(t, err)
		c, err := rail(payerStellar).Lock(ctx, htlc.Terms{Hash: secret.Hash(), Sender: payerStellar.Address(), Recipient: lenderStellar.Address(),
			Amount: "10.0000000", Expiry: time.Now().Add(time.Hour).Truncate(time.Second)})
		require.NoError(t, err)
		claim, err := rail(lenderStellar).Claim(ctx, c, secret)
		require.NoError(t, err)

		hq := htlctypes.NewQueryClient(conn)
		var pub *htlctypes.QueryPublishedSecretResponse
		require.Eventually(t, func() bool {
			pub, err = hq.PublishedSecret(ctx, &htlctypes.QueryPublishedSecretRequest{HashLock: secret.Hash().String()})
			return err == nil
		}, 90*time.Second, 300*time.Millisecond, "the secret of the Stellar claim %s never reached the hub", claim)
		require.Equal(t, secret.String(), pub.PublishedSecret.Secret)
		att, err := nq.Attestation(ctx, &notarytypes.QueryAttestationRequest{Id: pub.PublishedSecret.Evidence})
		require.NoError(t, err)
		require.Equal(t, notarytypes.ATTESTATION_STATUS_EXECUTED, att.Attestation.Status, att.Attestation.Result)
		require.Equal(t, notarytypes.PLATFORM_STELLAR, att.Attestation.Observation.Platform)
		require.Equal(t, claim, att.Attestation.Observation.TxRef)
		require.Equal(t, secret.String(), att.Attestation.Observation.GetHtlcSpend().Secret)
	})
}

// sequence is an account's sequence: the number of transactions it signed.
func sequence(ctx context.Context, t *testing.T, conn gogogrpc.ClientConn, addr string) uint64 {
	t.Helper()
	res, err := authtypes.NewQueryClient(conn).Account(ctx, &authtypes.QueryAccountRequest{Address: addr})
	require.NoError(t, err)
	var acc sdk.AccountI
	require.NoError(t, client.NewCodec().UnpackAny(res.Account, &acc))
	return acc.GetSequence()
}

// cursorAt reads how far a notary home's ledger cursor got.
func cursorAt(home string) int64 {
	b, err := os.ReadFile(filepath.Join(home, "notary", "ledger_"+ledgerID+".cursor"))
	if err != nil {
		return 0
	}
	v, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return v
}

func evidence32(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }

// operatorChain signs as the notary operator of a notary home (its hub key).
func operatorChain(t *testing.T, home string, hub *testnet.Node) *client.Chain {
	t.Helper()
	kr, err := client.OpenKeyring(home, "test", nil, client.NewCodec())
	require.NoError(t, err)
	cfg := client.Config{ID: hub.ChainID, RPC: hub.RPCURL(), AccountPrefix: "cosmos",
		Key: "relayer", GasPrice: "0" + hub.Denom, GasAdjustment: 1.5, MaxGas: 10_000_000}
	c, err := client.NewChain(cfg, kr, client.NewCodec(notarytypes.RegisterInterfaces), slog.New(slog.DiscardHandler), nil)
	require.NoError(t, err)
	return c
}
