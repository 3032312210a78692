package e2e

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"

	"github.com/vinhub/vinhub/testnet"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

const outsiderKey = "outsider"

// fixedGas skips simulation so a refused message is refused in a block, not by the CLI.
const fixedGas = "400000"

// TestHubNode builds vinhubd, starts a single-validator hub on loopback and
// checks, through the CLI, gRPC and REST, what a user of the vehicle module
// and of the alliance membership rule sees.
func TestHubNode(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: builds and starts a real node")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	spec := testnet.DemoChainSpec(binaries(t).hub, filepath.Join(t.TempDir(), "hub"))
	spec.Keys = append(append(spec.Keys, outsiderKey), testnet.FinanceDemoKeys...)
	spec.Roles = testnet.FinanceDemoRoles
	spec.VotingPeriod = 8 * time.Second
	node := startNode(ctx, t, spec)

	summary, err := testnet.RunVehicleDemo(ctx, node, testWriter{t})
	require.NoError(t, err)
	require.Equal(t, "4", summary.RecordCount)
	require.Equal(t, "31000", summary.LatestOdometerKm)
	require.Equal(t, []string{"acme", "bayside"}, summary.Dealers)

	t.Run("a car goes from application to financing, repayment and default through the CLI", func(t *testing.T) {
		out, err := testnet.RunFinanceDemo(ctx, node, testWriter{t})
		require.NoError(t, err)
		require.Equal(t, "LOAN_STATUS_REPAID", out.RepaidLoan.Status)
		require.False(t, out.RepaidLoan.Late)
		require.NotNil(t, out.RepaidLoan.Repaid)
		require.False(t, out.LienAfterRepay, "repayment released the lien")
		require.Equal(t, "LOAN_STATUS_DEFAULTED", out.DefaultedLoan.Status)
		lender, err := node.KeyAddress(ctx, testnet.DemoLender)
		require.NoError(t, err)
		require.Equal(t, lender, out.FinalOwner, "the default moved the title to the lender")
		sum := 0
		for _, c := range out.ScoreAfter.Components {
			sum += c.PointsValue()
		}
		require.Equal(t, out.ScoreAfter.Score, sum, "the breakdown sums to the score")
		require.Less(t, out.ScoreAfter.Score, 500, "a default outweighs one on-time repayment")

		// Without the examiner role, approving is refused in the block with membership's error.
		res, err := node.Tx(ctx, outsiderKey, "asset", "approve", "1", "1stake",
			"aa00000000000000000000000000000000000000000000000000000000000000", "--gas", fixedGas)
		require.NoError(t, err)
		require.Equal(t, membershiptypes.ErrMissingRole.ABCICode(), res.Code, res.RawLog)
	})

	t.Run("vinaudit proves the demo car and catches a lying RPC", func(t *testing.T) { auditDemoCar(ctx, t, node) })

	t.Run("history through the CLI is in time order with the rollback flagged", func(t *testing.T) {
		var hist vehicleHistory
		require.NoError(t, node.Query(ctx, &hist, "vehicle", "history", testnet.DemoVIN))
		// Four dealer records, then the finance demo's default: the title move is in the history.
		require.Len(t, hist.Records, 5)
		require.Equal(t, "RECORD_KIND_OWNERSHIP_TRANSFER", hist.Records[4].Input.Kind)
		require.Equal(t, "RECORD_KIND_SERVICE", hist.Records[0].Input.Kind)
		require.Equal(t, "RECORD_KIND_INSPECTION", hist.Records[1].Input.Kind)
		rollback := hist.Records[2]
		require.Equal(t, "31000", rollback.Input.OdometerKm)
		require.Len(t, rollback.Flags, 1)
		require.Equal(t, "FLAG_CODE_ODOMETER_ROLLBACK", rollback.Flags[0].Code)
		require.Equal(t, "58000", rollback.Flags[0].PreviousOdometerKm)
	})

	t.Run("history through gRPC, filtered by kind", func(t *testing.T) {
		client := vehicleQueryClient(t, node.GRPCAddr())
		all, err := client.History(ctx, &vehicletypes.QueryHistoryRequest{Vin: testnet.DemoVIN})
		require.NoError(t, err)
		require.Len(t, all.Records, 5)
		require.Equal(t, vehicletypes.TITLE_CAUSE_DEFAULT, all.Records[4].TitleOrigin.GetCause(), "the finance demo's default moved the title")
		require.NotEmpty(t, all.Liens, "the finance demo's liens are joined into the history")
		brands, err := client.History(ctx, &vehicletypes.QueryHistoryRequest{Vin: testnet.DemoVIN, Kind: vehicletypes.RECORD_KIND_TITLE_BRAND})
		require.NoError(t, err)
		require.Len(t, brands.Records, 1)
		require.Equal(t, vehicletypes.TITLE_BRAND_FLOOD, brands.Records[0].Input.TitleBrand)
	})

	t.Run("summary over REST", func(t *testing.T) {
		resp, err := http.Get(fmt.Sprintf("%s/vinhub/vehicle/v1/vehicles/%s/summary", node.APIAddr(), testnet.DemoVIN))
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		var body struct {
			Summary testnet.Summary `json:"summary"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		require.Equal(t, []string{"TITLE_BRAND_FLOOD"}, body.Summary.Brands)
	})

	t.Run("bad records are refused and change nothing", func(t *testing.T) {
		future := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
		res, err := node.Tx(ctx, testnet.DemoGenesisReporter, "vehicle", "record", testnet.DemoGenesisDealer,
			testnet.DemoVIN, "mileage", "60000", "--at", future, "--gas", fixedGas)
		require.NoError(t, err)
		require.Equal(t, vehicletypes.ErrFutureTimestamp.ABCICode(), res.Code, res.RawLog)

		res, err = node.Tx(ctx, testnet.DemoGenesisReporter, "vehicle", "record", "nobody", testnet.DemoVIN, "mileage", "60000", "--gas", fixedGas)
		require.NoError(t, err)
		require.Equal(t, vehicletypes.ErrUnknownDealer.ABCICode(), res.Code, res.RawLog)

		_, err = node.Tx(ctx, testnet.DemoGenesisReporter, "vehicle", "record", testnet.DemoGenesisDealer, "1HGCM82633A004353", "mileage", "1")
		require.ErrorContains(t, err, "check digit")

		var s struct {
			Summary testnet.Summary `json:"summary"`
		}
		require.NoError(t, node.Query(ctx, &s, "vehicle", "summary", testnet.DemoVIN))
		require.Equal(t, "5", s.Summary.RecordCount, "four dealer records and the default's title move")
	})

	t.Run("a sale with a sealed price: the regulator opens it, the buyer verifies a disclosure, an outsider sees commitments", func(t *testing.T) {
		testSealedSale(ctx, t, node)
	})

	t.Run("a revoked reporter's next record is refused", func(t *testing.T) {
		addr, err := node.KeyAddress(ctx, testnet.DemoGenesisReporter)
		require.NoError(t, err)
		_, err = node.PassProposal(ctx, "revoke acme reporter", "vehicle", "revoke-reporter", testnet.DemoGenesisDealer, addr)
		require.NoError(t, err)
		res, err := node.Tx(ctx, testnet.DemoGenesisReporter, "vehicle", "record", testnet.DemoGenesisDealer, testnet.DemoVIN, "mileage", "60000",
			"--at", "2026-03-01T00:00:00Z", "--gas", fixedGas)
		require.NoError(t, err)
		require.Equal(t, vehicletypes.ErrUnauthorizedReporter.ABCICode(), res.Code, res.RawLog)
	})

	t.Run("governance grants and revokes a role; the CLI shows it", func(t *testing.T) {
		outsider, err := node.KeyAddress(ctx, outsiderKey)
		require.NoError(t, err)
		_, err = node.PassProposal(ctx, "grant examiner", "membership", "grant-role", outsider, "examiner", "state vehicle examiner")
		require.NoError(t, err)
		var roles struct {
			Roles []struct {
				Role string `json:"role"`
				Note string `json:"note"`
			} `json:"roles"`
		}
		require.NoError(t, node.Query(ctx, &roles, "membership", "roles", outsider))
		require.Len(t, roles.Roles, 1)
		require.Equal(t, "ROLE_EXAMINER", roles.Roles[0].Role)
		_, err = node.PassProposal(ctx, "revoke examiner", "membership", "revoke-role", outsider, "examiner")
		require.NoError(t, err)
		roles.Roles = nil
		require.NoError(t, node.Query(ctx, &roles, "membership", "roles", outsider))
		require.Empty(t, roles.Roles)
		_, err = node.Exec(ctx, "query", "membership", "role-holders", "dealer", "--node", node.RPCAddr())
		require.ErrorContains(t, err, "dealer")
	})

	t.Run("an operator not admitted by governance cannot create a validator", func(t *testing.T) {
		outsider, err := node.KeyAddress(ctx, outsiderKey)
		require.NoError(t, err)
		file := validatorFile(t, node.Denom)
		res, err := node.Tx(ctx, outsiderKey, "staking", "create-validator", file, "--gas", fixedGas)
		require.NoError(t, err)
		require.NotZero(t, res.Code, "unadmitted create-validator must fail")
		require.Contains(t, res.RawLog, "not admitted")

		var vals struct {
			Validators []json.RawMessage `json:"validators"`
		}
		require.NoError(t, node.Query(ctx, &vals, "staking", "validators"))
		require.Len(t, vals.Validators, 1, "outsider %s must not have become a validator", outsider)
	})
}

type vehicleHistory struct {
	Records []struct {
		Input struct {
			Kind       string `json:"kind"`
			OdometerKm string `json:"odometer_km"`
		} `json:"input"`
		Flags []struct {
			Code               string `json:"code"`
			PreviousOdometerKm string `json:"previous_odometer_km"`
		} `json:"flags"`
	} `json:"records"`
}

func vehicleQueryClient(t *testing.T, addr string) vehicletypes.QueryClient {
	t.Helper()
	cdc := codec.NewProtoCodec(codectypes.NewInterfaceRegistry())
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(cdc.GRPCCodec())))
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return vehicletypes.NewQueryClient(conn)
}

// validatorFile writes a create-validator JSON with a fresh consensus key.
func validatorFile(t *testing.T, denom string) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	v := map[string]any{
		"pubkey":                     map[string]string{"@type": "/cosmos.crypto.ed25519.PubKey", "key": base64.StdEncoding.EncodeToString(pub)},
		"amount":                     "1000000" + denom,
		"moniker":                    "outsider",
		"commission-rate":            "0.1",
		"commission-max-rate":        "0.2",
		"commission-max-change-rate": "0.01",
		"min-self-delegation":        "1",
	}
	bz, err := json.Marshal(v)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "validator.json")
	require.NoError(t, os.WriteFile(path, bz, 0o600))
	return path
}

// testSealedSale: governance sets the regulator's encryption key, the
// dealer's reporter registers its own, records a sale with a sealed price
// through the CLI; the regulator opens it client-side, the reporter
// discloses the price to a buyer who verifies it against the chain (and a
// changed price is refused); an outsider's query shows no price.
func testSealedSale(ctx context.Context, t *testing.T, node *testnet.Node) {
	dir := t.TempDir()
	keygen := func(name string) (file, pub string) {
		file = filepath.Join(dir, name+".json")
		out, err := node.Exec(ctx, "tx", "membership", "encryption-keygen", file)
		require.NoError(t, err)
		return file, strings.TrimSpace(string(out))
	}
	regFile, regPub := keygen("regulator")
	repFile, repPub := keygen("reporter")
	regulator, err := node.KeyAddress(ctx, testnet.DemoRegulator)
	require.NoError(t, err)
	_, err = node.PassProposal(ctx, "regulator encryption key", "membership", "set-encryption-key", regulator, regPub)
	require.NoError(t, err)
	res, err := node.Tx(ctx, testnet.DemoGenesisReporter, "membership", "register-encryption-key", repPub, "--dealer-id", testnet.DemoGenesisDealer)
	require.NoError(t, err)
	require.Zero(t, res.Code, res.RawLog)

	const price = "18500 EUR"
	res, err = node.Tx(ctx, testnet.DemoGenesisReporter, "vehicle", "record", testnet.DemoGenesisDealer, testnet.DemoVIN,
		"ownership_transfer", "0", "--sealed", "sale_price="+price, "--sealed", "buyer_name=Erika Mustermann")
	require.NoError(t, err)
	require.Zero(t, res.Code, res.RawLog)
	var hist struct {
		Records []struct {
			ID    string          `json:"id"`
			Input json.RawMessage `json:"input"`
		} `json:"records"`
	}
	require.NoError(t, node.Query(ctx, &hist, "vehicle", "history", testnet.DemoVIN))
	last := hist.Records[len(hist.Records)-1]
	require.Contains(t, string(last.Input), "commitments", "outsiders see the commitments")
	require.NotContains(t, string(last.Input), "18500", "outsiders never see the price")
	require.NotContains(t, string(last.Input), "Mustermann")

	out, err := node.Exec(ctx, "query", "vehicle", "open-sealed", last.ID, "--key", regFile, "--node", node.RPCAddr())
	require.NoError(t, err)
	require.Contains(t, string(out), "sale_price="+price)
	require.Contains(t, string(out), "buyer_name=Erika Mustermann")

	disclosure, err := node.Exec(ctx, "query", "vehicle", "disclose", last.ID, "sale_price", "--key", repFile, "--node", node.RPCAddr(), "-o", "json")
	require.NoError(t, err)
	file := filepath.Join(dir, "disclosure.json")
	require.NoError(t, os.WriteFile(file, disclosure, 0o600))
	out, err = node.Exec(ctx, "query", "vehicle", "verify-disclosure", file, "--node", node.RPCAddr())
	require.NoError(t, err)
	require.Contains(t, string(out), "VERIFIED")
	require.Contains(t, string(out), price)

	var d map[string]any
	require.NoError(t, json.Unmarshal(disclosure, &d))
	d["value"] = base64.StdEncoding.EncodeToString([]byte("9500 EUR"))
	forged, err := json.Marshal(d)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file, forged, 0o600))
	_, err = node.Exec(ctx, "query", "vehicle", "verify-disclosure", file, "--node", node.RPCAddr())
	require.ErrorContains(t, err, "NOT VERIFIED")

	nodeLog, err := os.ReadFile(node.LogPath())
	require.NoError(t, err)
	require.NotContains(t, string(nodeLog), price, "the node's log never holds the price")
	require.NotContains(t, string(nodeLog), "Mustermann")
}
