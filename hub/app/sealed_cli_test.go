package app_test

import (
	"bytes"
	"crypto/ecdh"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	dbm "github.com/cosmos/cosmos-db"
	gogoproto "github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
	"github.com/cometbft/cometbft/p2p"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	rpctypes "github.com/cometbft/cometbft/rpc/jsonrpc/types"

	"cosmossdk.io/log/v2"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/hub/app"
	"github.com/vinhub/vinhub/sealed"
	"github.com/vinhub/vinhub/sealed/sealcli"
	anchorcli "github.com/vinhub/vinhub/x/anchor/client/cli"
	anchortypes "github.com/vinhub/vinhub/x/anchor/types"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// fakeHubChainID is the chain id a fakeHub reports.
const fakeHubChainID = "vinhub-test"

// fakeHub is a CometBFT RPC endpoint answering gRPC-over-ABCI queries from
// a table (path -> answer), so the CLI runs end to end without a chain.
// Any other query fails, which the tests would see.
type fakeHub map[string]func(req []byte) gogoproto.Message

func (h fakeHub) serve(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req rpctypes.RPCRequest
		body, _ := io.ReadAll(r.Body)
		require.NoError(t, json.Unmarshal(body, &req))
		if req.Method == "status" {
			status := &ctypes.ResultStatus{NodeInfo: p2p.DefaultNodeInfo{Network: fakeHubChainID}}
			require.NoError(t, json.NewEncoder(w).Encode(rpctypes.NewRPCSuccessResponse(req.ID, status)))
			return
		}
		var params struct {
			Path string            `json:"path"`
			Data cmtbytes.HexBytes `json:"data"`
		}
		require.NoError(t, json.Unmarshal(req.Params, &params))
		res := abci.ResponseQuery{Code: 1, Log: "fakeHub: no answer for " + params.Path}
		if answer, ok := h[params.Path]; ok {
			bz, err := gogoproto.Marshal(answer(params.Data))
			require.NoError(t, err)
			res = abci.ResponseQuery{Value: bz, Height: 7}
		}
		require.NoError(t, json.NewEncoder(w).Encode(rpctypes.NewRPCSuccessResponse(req.ID, &ctypes.ResultABCIQuery{Response: res})))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// party is an account with an encryption key file.
type party struct {
	addr    string
	priv    *ecdh.PrivateKey
	keyFile string
}

func newParty(t *testing.T, name string) party {
	path := filepath.Join(t.TempDir(), name+".key")
	priv, err := sealed.WriteKeyFile(path)
	require.NoError(t, err)
	return party{addr: sdk.AccAddress(bytes.Repeat([]byte(name[:1]), 20)).String(), priv: priv, keyFile: path}
}

func (p party) key() membershiptypes.EncryptionKey {
	return membershiptypes.EncryptionKey{Address: p.addr, Version: 1, PublicKey: p.priv.PublicKey().Bytes()}
}

// withKeys answers x/membership's key queries: regulator's is the only
// regulator key, parties' keys are registered.
func (h fakeHub) withKeys(regulator party, parties ...party) fakeHub {
	h["/vinhub.membership.v1.Query/RegulatorKeys"] = func([]byte) gogoproto.Message {
		return &membershiptypes.QueryRegulatorKeysResponse{Keys: []membershiptypes.EncryptionKey{regulator.key()}}
	}
	h["/vinhub.membership.v1.Query/EncryptionKey"] = func(bz []byte) gogoproto.Message {
		var req membershiptypes.QueryEncryptionKeyRequest
		if err := gogoproto.Unmarshal(bz, &req); err != nil {
			panic(err)
		}
		for _, p := range append(parties, regulator) {
			if p.addr == req.Address {
				return &membershiptypes.QueryEncryptionKeyResponse{Key: p.key()}
			}
		}
		panic("fakeHub: no key for " + req.Address)
	}
	return h
}

// runCLI runs vinhubd with args, as its main does, and returns what it printed.
func runCLI(t *testing.T, args ...string) string {
	out, err := runCLIErr(t, args...)
	require.NoError(t, err, "vinhubd %s", strings.Join(args, " "))
	return out
}

// runCLIErr is runCLI for a command that may fail: what it printed and its error.
func runCLIErr(t *testing.T, args ...string) (string, error) {
	root := app.NewRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(io.Discard)
	root.SetArgs(args)
	stdout := os.Stdout
	r, w, err := os.Pipe()
	require.NoError(t, err)
	printed := make(chan []byte)
	go func() { bz, _ := io.ReadAll(r); printed <- bz }()
	os.Stdout = w
	runErr := svrcmd.Execute(root, "", t.TempDir())
	os.Stdout = stdout
	require.NoError(t, w.Close())
	return out.String() + string(<-printed), runErr
}

// TestSealedTxGenerated: `tx asset apply`, `tx asset offer-loan`, `tx
// evidence anchor` and `tx vehicle record` seal their --sealed fields with
// the one shared helper: the generated tx carries no plaintext, the
// regulator's and the signer's keys (and the borrower's, for a loan) open
// the envelope, an outsider's does not.
func TestSealedTxGenerated(t *testing.T) {
	txConfig := app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{}).TxConfig()
	regulator, signer, borrower, outsider := newParty(t, "regulator"), newParty(t, "signer"), newParty(t, "borrower"), newParty(t, "outsider")
	node := fakeHub{}.withKeys(regulator, signer, borrower).serve(t)
	doc := filepath.Join(t.TempDir(), "invoice.pdf")
	require.NoError(t, os.WriteFile(doc, []byte("an invoice"), 0o600))
	const secret = "SECRET-PRICE-91827"
	hash := strings.Repeat("ab", 32)

	for _, tc := range []struct {
		name    string
		args    []string
		readers []party
		sealed  func(sdk.Msg) *sealed.Envelope
	}{
		{"asset apply", []string{"tx", "asset", "apply", "vehicle", "a car", hash, "--vin", "1HGCM82633A004352"},
			[]party{regulator, signer}, func(m sdk.Msg) *sealed.Envelope { return m.(*assettypes.MsgApply).Sealed }},
		{"asset offer-loan", []string{"tx", "asset", "offer-loan", "3", borrower.addr, "1000stake", "500", "720h"},
			[]party{regulator, signer, borrower}, func(m sdk.Msg) *sealed.Envelope { return m.(*assettypes.MsgOfferLoan).Sealed }},
		{"evidence anchor", []string{"tx", "evidence", "anchor", doc},
			[]party{regulator, signer}, func(m sdk.Msg) *sealed.Envelope { return m.(*anchortypes.MsgAnchorEvidence).SealedNote }},
		{"vehicle record", []string{"tx", "vehicle", "record", "dealer-1", "1HGCM82633A004352", "ownership_transfer", "42000"},
			[]party{regulator, signer}, func(m sdk.Msg) *sealed.Envelope { return m.(*vehicletypes.MsgRecordEvents).Records[0].Sealed }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := runCLI(t, append(tc.args, "--sealed", "price="+secret, "--sealed", "buyer=Jane Roe",
				"--from", signer.addr, "--generate-only", "--chain-id", "vinhub-test", "--keyring-backend", "memory", "--node", node)...)
			require.NotContains(t, out, secret)
			require.NotContains(t, out, "Jane Roe")

			tx, err := txConfig.TxJSONDecoder()([]byte(out))
			require.NoError(t, err)
			env := tc.sealed(tx.GetMsgs()[0])
			require.NotNil(t, env)
			for _, p := range tc.readers {
				_, fields, err := sealed.OpenAny(env, p.priv)
				require.NoError(t, err, p.addr)
				require.Equal(t, secret, string(fields[0].Value))
			}
			_, _, err = sealed.OpenAny(env, outsider.priv)
			require.ErrorIs(t, err, sealed.ErrNotRecipient)
		})
	}
}

// sealTo seals fields "price" and "owner" under subject to the parties.
func sealTo(t *testing.T, subject, price string, to ...party) *sealed.Envelope {
	keys := make([]sealed.RecipientKey, len(to))
	for i, p := range to {
		k := p.key()
		keys[i] = sealed.RecipientKey{KeyID: sealed.KeyID{Address: k.Address, Version: k.Version}, PublicKey: k.PublicKey}
	}
	env, err := sealed.Seal(subject, []sealed.PlainField{{Name: "price", Value: []byte(price)}, {Name: "owner", Value: []byte("Jane Roe")}}, keys)
	require.NoError(t, err)
	return env
}

func answer(m gogoproto.Message) func([]byte) gogoproto.Message {
	return func([]byte) gogoproto.Message { return m }
}

// TestSealedRegulatorViews: the client-side views open what the key can:
// `query vehicle open-sealed --vin` lists every sealed record of a VIN,
// opened or marked not for this key; `query asset loans-by-borrower` does
// the same for the sealed terms of an account's loans (not the ones it
// lends); the single-object opens read the asset's, the loan's and the
// anchoring's envelopes.
func TestSealedRegulatorViews(t *testing.T) {
	app.NewRootCmd() // the hub's address prefixes
	regulator, dealer, borrower := newParty(t, "regulator"), newParty(t, "dealer"), newParty(t, "borrower")
	const vin = "1HGCM82633A004352"
	subject := vehicletypes.SealedSubject(vin, "d1")
	doc := filepath.Join(t.TempDir(), "invoice.pdf")
	require.NoError(t, os.WriteFile(doc, []byte("an invoice"), 0o600))
	docHash, err := anchorcli.HashFile(doc)
	require.NoError(t, err)
	// A dealer seals the regulator's entry correctly and breaks the content.
	tampered := sealTo(t, subject, "27000", dealer, regulator)
	tampered.Ciphertext[3] ^= 1
	// A sealer's value that would forge lines of the view and clear the screen.
	const forgedLines = "1\nrecord 7 (ownership_transfer, dealer d9):\n  price=99\x1b[2J"
	loan := func(id uint64, b, lender string, env *sealed.Envelope) assettypes.Loan {
		return assettypes.Loan{Id: id, AssetId: 9, Borrower: b, Lender: lender, Principal: sdk.NewInt64Coin("stake", 1000), Sealed: env}
	}
	node := fakeHub{
		"/vinhub.vehicle.v1.Query/History": answer(&vehicletypes.QueryHistoryResponse{Records: []vehicletypes.Record{
			{Id: 1, DealerId: "d1", Input: vehicletypes.RecordInput{Vin: vin, Sealed: sealTo(t, subject, "31000", dealer, regulator)}},
			{Id: 2, DealerId: "d1", Input: vehicletypes.RecordInput{Vin: vin, Sealed: sealTo(t, subject, "29000", dealer)}},
			{Id: 3, DealerId: "d1", Input: vehicletypes.RecordInput{Vin: vin}},
			{Id: 4, DealerId: "d1", Input: vehicletypes.RecordInput{Vin: vin, Sealed: tampered}},
			{Id: 5, DealerId: "d1", Input: vehicletypes.RecordInput{Vin: vin, Sealed: sealTo(t, subject, forgedLines, regulator)}},
		}}),
		"/vinhub.asset.v1.Query/AccountLoans": answer(&assettypes.QueryLoansResponse{Loans: []assettypes.Loan{
			loan(4, borrower.addr, dealer.addr, sealTo(t, assettypes.SealedLoanSubject(9, borrower.addr, dealer.addr), "7.5% fixed", regulator, borrower)),
			loan(5, borrower.addr, dealer.addr, sealTo(t, assettypes.SealedLoanSubject(9, borrower.addr, dealer.addr), "9% fixed", dealer, borrower)),
			loan(6, borrower.addr, dealer.addr, nil),
			loan(7, dealer.addr, borrower.addr, sealTo(t, assettypes.SealedLoanSubject(9, dealer.addr, borrower.addr), "lent", regulator)),
		}}),
		"/vinhub.asset.v1.Query/Asset": answer(&assettypes.QueryAssetResponse{Asset: assettypes.Asset{Id: 9,
			Sealed: sealTo(t, assettypes.SealedApplicationSubject(borrower.addr), "50000", regulator)}}),
		"/vinhub.asset.v1.Query/Loan": answer(&assettypes.QueryLoanResponse{Loan: loan(4, borrower.addr, dealer.addr,
			sealTo(t, assettypes.SealedLoanSubject(9, borrower.addr, dealer.addr), "7.5% fixed", regulator, borrower))}),
		"/vinhub.anchor.v1.Query/Anchoring": answer(&anchortypes.QueryAnchoringResponse{Anchoring: anchortypes.Anchoring{Sha256: docHash, Submitter: dealer.addr,
			SealedNote: sealTo(t, anchortypes.NoteSubject(docHash, dealer.addr), "invoice 77", regulator)}}),
	}.serve(t)
	query := func(args ...string) string {
		return runCLI(t, append(append([]string{"query"}, args...), "--key", regulator.keyFile, "--node", node)...)
	}

	out := query("vehicle", "open-sealed", "--vin", vin)
	require.Contains(t, out, "record 1 (")
	require.Contains(t, out, "  price=31000\n")
	require.Regexp(t, `record 2 \(.*\): `+sealcli.NotForYou, out)
	require.NotContains(t, out, "29000")
	require.NotContains(t, out, "record 3")
	// Tampering is shown as such, never as "not for this key".
	require.Regexp(t, `record 4 \(.*\): REFUSED: .*does not authenticate`, out)
	require.NotRegexp(t, `record 4 \(.*\): `+sealcli.NotForYou, out)
	require.Contains(t, out, "  price="+strconv.Quote(forgedLines)+"\n", "a value with control characters prints escaped, on one line")
	require.NotContains(t, out, "\x1b")

	out = query("asset", "loans-by-borrower", borrower.addr)
	require.Contains(t, out, "  price=7.5% fixed\n")
	require.Regexp(t, `loan 5 \(.*\): `+sealcli.NotForYou, out)
	require.NotContains(t, out, "9% fixed")
	require.Regexp(t, `loan 6 \(.*\): no sealed terms`, out)
	require.NotContains(t, out, "loan 7", "loans the account lends are not its borrowing")

	require.Equal(t, "price=50000\nowner=Jane Roe\n", query("asset", "open-sealed", "9"))
	require.Equal(t, "price=7.5% fixed\nowner=Jane Roe\n", query("asset", "open-sealed-loan", "4"))
	require.Equal(t, "price=invoice 77\nowner=Jane Roe\n", query("evidence", "open-note", doc))
}

// TestAssetCLIArguments: the hand-written `apply` and `offer-loan` (which
// replace autocli's to seal fields) take autocli's arguments and flags as
// the demos and e2e tests write them, and without --sealed ask the node
// for nothing and carry no envelope.
func TestAssetCLIArguments(t *testing.T) {
	txConfig := app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{}).TxConfig()
	signer, borrower := newParty(t, "signer"), newParty(t, "borrower")
	node := fakeHub{}.serve(t)
	generate := func(args ...string) sdk.Msg {
		out := runCLI(t, append(append([]string{"tx", "asset"}, args...),
			"--from", signer.addr, "--generate-only", "--chain-id", "vinhub-test", "--keyring-backend", "memory", "--node", node)...)
		tx, err := txConfig.TxJSONDecoder()([]byte(out))
		require.NoError(t, err)
		return tx.GetMsgs()[0]
	}
	hash := strings.Repeat("cd", 32)
	apply := generate("apply", "warehouse-receipt", "40 t steel coil", hash, hash, "--reference", "WR-2291").(*assettypes.MsgApply)
	require.Equal(t, &assettypes.MsgApply{Owner: signer.addr, Kind: assettypes.ASSET_KIND_WAREHOUSE_RECEIPT, Description: "40 t steel coil",
		EvidenceHashes: []string{hash, hash}, Reference: "WR-2291"}, apply)

	// Each --foreign-repayments flag is one JSON term; the flag repeats for several rails.
	stellar := `{"platform":"stellar","network_id":"cee0302d59844d32bdca915c8203dd44b33fbb7edc19051ea37abedf28ecd472","asset":"native",` +
		`"account":"GBRPYHIL2CI3FNQ4BXLFMNDLFJUNPU2HY3ZMFSHONUCEOASW7QC7OX2H","rate":{"numerator":"1","denominator":"1000"}}`
	bitcoin := `{"platform":"bitcoin","network_id":"683e86bd5c6d110d91b94b97137ba6bfe02dbbdb8e3dff722a669b5d69d77af6","asset":"btc",` +
		`"account":"sb1qw508d6qejxtdg4y5r3zarvary0c5xw7kyagj9q","rate":{"numerator":"3","denominator":"2"}}`
	offer := generate("offer-loan", "1", borrower.addr, "10000stake", "1200", "720h",
		"--foreign-repayments", stellar, "--foreign-repayments", bitcoin).(*assettypes.MsgOfferLoan)
	require.Equal(t, borrower.addr, offer.Borrower)
	require.Equal(t, sdk.NewInt64Coin("stake", 10000), offer.Principal)
	require.Equal(t, uint32(1200), offer.InterestRateBps)
	require.Equal(t, 720*time.Hour, offer.Term)
	require.Len(t, offer.ForeignRepayments, 2)
	require.Equal(t, "GBRPYHIL2CI3FNQ4BXLFMNDLFJUNPU2HY3ZMFSHONUCEOASW7QC7OX2H", offer.ForeignRepayments[0].Account)
	require.Equal(t, "1000", offer.ForeignRepayments[0].Rate.Denominator.String())
	require.Equal(t, "bitcoin", offer.ForeignRepayments[1].Platform)
	require.Equal(t, "3", offer.ForeignRepayments[1].Rate.Numerator.String())
	require.NoError(t, assettypes.ValidateForeignRepayments(offer.ForeignRepayments))
	require.Nil(t, offer.Sealed)
}

// TestSealedKeysAnswerChecked: a node answering a key query with another
// account's key (so that account reads what is sealed "to" the signer) is
// refused, and no tx is produced.
func TestSealedKeysAnswerChecked(t *testing.T) {
	app.NewRootCmd()
	regulator, signer, outsider := newParty(t, "regulator"), newParty(t, "signer"), newParty(t, "outsider")
	hub := fakeHub{}.withKeys(regulator, signer)
	hub["/vinhub.membership.v1.Query/EncryptionKey"] = answer(&membershiptypes.QueryEncryptionKeyResponse{Key: outsider.key()})
	out, err := runCLIErr(t, "tx", "vehicle", "record", "dealer-1", "1HGCM82633A004352", "ownership_transfer", "42000",
		"--sealed", "price=18500", "--from", signer.addr, "--generate-only", "--chain-id", fakeHubChainID,
		"--keyring-backend", "memory", "--node", hub.serve(t))
	require.ErrorContains(t, err, "the node answered with the key of "+outsider.addr)
	require.NotContains(t, out, "body")
}

// TestSealedFromFile: --sealed-file seals a file's content, so the value is
// never on the command line.
func TestSealedFromFile(t *testing.T) {
	txConfig := app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{}).TxConfig()
	regulator, signer := newParty(t, "regulator"), newParty(t, "signer")
	const secret = "Erika Mustermann, L01X00T47"
	file := filepath.Join(t.TempDir(), "buyer.txt")
	require.NoError(t, os.WriteFile(file, []byte(secret), 0o600))
	args := []string{"tx", "vehicle", "record", "dealer-1", "1HGCM82633A004352", "ownership_transfer", "42000",
		"--sealed-file", "buyer=" + file, "--from", signer.addr, "--generate-only", "--chain-id", fakeHubChainID,
		"--keyring-backend", "memory", "--node", fakeHub{}.withKeys(regulator, signer).serve(t)}
	require.NotContains(t, strings.Join(args, " "), "Mustermann")
	out := runCLI(t, args...)
	tx, err := txConfig.TxJSONDecoder()([]byte(out))
	require.NoError(t, err)
	env := tx.GetMsgs()[0].(*vehicletypes.MsgRecordEvents).Records[0].Sealed
	require.Equal(t, vehicletypes.SealedSubject("1HGCM82633A004352", "dealer-1"), env.Subject)
	_, fields, err := sealed.OpenAny(env, regulator.priv)
	require.NoError(t, err)
	require.Equal(t, "buyer", fields[0].Name)
	require.Equal(t, secret, string(fields[0].Value))
}

// TestDisclosureNamesChain: a disclosure names the chain its record was read
// from; it verifies against that chain and prints the chain and the subject
// (VIN and dealer); against another chain (a dealer chain's record 42 is not
// the hub's) it does not verify.
func TestDisclosureNamesChain(t *testing.T) {
	app.NewRootCmd()
	regulator, dealer := newParty(t, "regulator"), newParty(t, "dealer")
	const vin = "1HGCM82633A004352"
	subject := vehicletypes.SealedSubject(vin, "d1")
	node := fakeHub{"/vinhub.vehicle.v1.Query/Record": answer(&vehicletypes.QueryRecordResponse{Record: vehicletypes.Record{
		Id: 42, DealerId: "d1", Input: vehicletypes.RecordInput{Vin: vin, Sealed: sealTo(t, subject, "18500", dealer, regulator)}}})}.serve(t)

	disclosure := runCLI(t, "query", "vehicle", "disclose", "42", "price", "--key", dealer.keyFile, "--node", node, "-o", "json")
	var d map[string]any
	require.NoError(t, json.Unmarshal([]byte(disclosure), &d))
	require.Equal(t, fakeHubChainID, d["chain_id"])
	file := filepath.Join(t.TempDir(), "d.json")
	require.NoError(t, os.WriteFile(file, []byte(disclosure), 0o600))
	out := runCLI(t, "query", "vehicle", "verify-disclosure", file, "--node", node)
	require.Equal(t, "VERIFIED: chain "+fakeHubChainID+" vehicle/record/42 subject "+subject+": price = 18500\n", out)

	d["chain_id"] = "dealer-1"
	bz, err := json.Marshal(d)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file, bz, 0o600))
	_, err = runCLIErr(t, "query", "vehicle", "verify-disclosure", file, "--node", node)
	require.ErrorContains(t, err, "NOT VERIFIED")
	require.ErrorContains(t, err, `on chain "dealer-1", checked against chain "`+fakeHubChainID+`"`)
}

// TestPinnedRegulatorKeys: a sender pins the regulators' keys it got from
// a trusted node (`query membership regulator-keys -o json`); a keys node
// answering with a substituted regulator key is refused before anything is
// sealed; the true node's answer seals.
func TestPinnedRegulatorKeys(t *testing.T) {
	app.NewRootCmd()
	regulator, signer := newParty(t, "regulator"), newParty(t, "signer")
	trusted := fakeHub{}.withKeys(regulator, signer).serve(t)
	pins := filepath.Join(t.TempDir(), "regulators.json")
	require.NoError(t, os.WriteFile(pins, []byte(runCLI(t, "query", "membership", "regulator-keys", "-o", "json", "--node", trusted)), 0o600))

	liar := regulator
	var err error
	liar.priv, err = sealed.GenerateKey() // the node's own key under the regulator's key id
	require.NoError(t, err)
	lying := fakeHub{}.withKeys(liar, signer).serve(t)
	record := func(node string) (string, error) {
		return runCLIErr(t, "tx", "vehicle", "record", "dealer-1", "1HGCM82633A004352", "ownership_transfer", "42000",
			"--sealed", "price=18500", "--regulator-keys", pins, "--from", signer.addr, "--generate-only",
			"--chain-id", fakeHubChainID, "--keyring-backend", "memory", "--node", node)
	}
	out, err := record(lying)
	require.ErrorContains(t, err, "refusing to seal")
	require.NotContains(t, out, "body", "no transaction")

	out, err = record(trusted)
	require.NoError(t, err)
	txConfig := app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{}).TxConfig()
	tx, err := txConfig.TxJSONDecoder()([]byte(out))
	require.NoError(t, err)
	_, fields, err := sealed.OpenAny(tx.GetMsgs()[0].(*vehicletypes.MsgRecordEvents).Records[0].Sealed, regulator.priv)
	require.NoError(t, err)
	require.Equal(t, "18500", string(fields[0].Value))
}
