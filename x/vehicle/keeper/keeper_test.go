package keeper_test

import (
	"bytes"
	"testing"
	"time"

	"cosmossdk.io/collections"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	"github.com/cosmos/cosmos-sdk/types/query"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/vinhub/vinhub/x/vehicle/keeper"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

var (
	blockTime = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	// day returns a time n days before the block time.
	day = func(n int) time.Time { return blockTime.AddDate(0, 0, -n) }

	reporterA = sdk.AccAddress(bytes.Repeat([]byte{0xa1}, 20))
	reporterB = sdk.AccAddress(bytes.Repeat([]byte{0xb2}, 20))
	stranger  = sdk.AccAddress(bytes.Repeat([]byte{0xcc}, 20))
)

const (
	dealerA = "alpha-motors"
	dealerB = "beta-cars"

	accord = "1HGCM82633A004352" // valid, USA
	golf   = "WVWZZZ1JZXW000001" // Germany, position 9 does not match
)

type fixture struct {
	ctx       sdk.Context
	storeKey  *storetypes.KVStoreKey
	k         keeper.Keeper
	msgs      types.MsgServer
	queries   types.QueryServer
	authority string
}

// newFixture builds the keeper over an in-memory store with no genesis loaded.
func newFixture(tb testing.TB) fixture { return newFixtureWith(tb, nil) }

// newFixtureWith is newFixture with the keeper adapted (say, made a dealer chain's) before use.
func newFixtureWith(tb testing.TB, adapt func(keeper.Keeper) keeper.Keeper) fixture {
	tb.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	testCtx := testutil.DefaultContextWithDB(tb, key, storetypes.NewTransientStoreKey("transient_test"))
	ctx := testCtx.Ctx.WithBlockTime(blockTime).WithBlockHeight(100)
	encCfg := moduletestutil.MakeTestEncodingConfig()
	authority := authtypes.NewModuleAddress("gov").String()
	k := keeper.NewKeeper(encCfg.Codec, runtime.NewKVStoreService(key), addresscodec.NewBech32Codec("cosmos"), authority)
	if adapt != nil {
		k = adapt(k)
	}
	return fixture{ctx: ctx, storeKey: key, k: k, msgs: keeper.NewMsgServerImpl(k), queries: keeper.NewQueryServerImpl(k), authority: authority}
}

// setup loads the default genesis and registers dealer A (reporter A) and
// dealer B (reporter B).
func setup(tb testing.TB) fixture {
	tb.Helper()
	f := newFixture(tb)
	require.NoError(tb, f.k.InitGenesis(f.ctx, *types.DefaultGenesis()))
	f.addDealer(tb, dealerA, reporterA)
	f.addDealer(tb, dealerB, reporterB)
	return f
}

func (f fixture) addDealer(tb testing.TB, id string, reporter sdk.AccAddress) {
	tb.Helper()
	_, err := f.msgs.RegisterDealer(f.ctx, &types.MsgRegisterDealer{Authority: f.authority, DealerId: id, Name: "Dealer " + id})
	require.NoError(tb, err)
	_, err = f.msgs.AdmitReporter(f.ctx, &types.MsgAdmitReporter{Authority: f.authority, DealerId: id, Reporter: reporter.String()})
	require.NoError(tb, err)
}

// send submits a batch as a reporter would, through the Msg service.
func (f fixture) send(dealer string, reporter sdk.AccAddress, records ...types.RecordInput) ([]types.RecordResult, error) {
	resp, err := f.msgs.RecordEvents(f.ctx, &types.MsgRecordEvents{Reporter: reporter.String(), DealerId: dealer, Records: records})
	if err != nil {
		return nil, err
	}
	return resp.Results, nil
}

func (f fixture) mustSend(t *testing.T, dealer string, reporter sdk.AccAddress, records ...types.RecordInput) []types.RecordResult {
	t.Helper()
	res, err := f.send(dealer, reporter, records...)
	require.NoError(t, err)
	require.Len(t, res, len(records))
	return res
}

func (f fixture) history(t *testing.T, vin string) []types.Record {
	t.Helper()
	resp, err := f.queries.History(f.ctx, &types.QueryHistoryRequest{Vin: vin})
	require.NoError(t, err)
	return resp.Records
}

func (f fixture) summary(t *testing.T, vin string) types.VehicleSummary {
	t.Helper()
	resp, err := f.queries.Summary(f.ctx, &types.QuerySummaryRequest{Vin: vin})
	require.NoError(t, err)
	return resp.Summary
}

func mileage(vin string, km uint64, at time.Time) types.RecordInput {
	return types.RecordInput{Vin: vin, Kind: types.RECORD_KIND_MILEAGE, OdometerKm: km, OccurredAt: at}
}

func titleBrand(vin string, brand types.TitleBrand, at time.Time) types.RecordInput {
	return types.RecordInput{Vin: vin, Kind: types.RECORD_KIND_TITLE_BRAND, TitleBrand: brand, OccurredAt: at}
}

func flagCodes(flags []types.RecordFlag) []types.FlagCode {
	codes := []types.FlagCode{}
	for _, fl := range flags {
		codes = append(codes, fl.Code)
	}
	return codes
}

func readings(recs []types.Record) []uint64 {
	out := make([]uint64, len(recs))
	for i, r := range recs {
		out[i] = r.Input.OdometerKm
	}
	return out
}

func TestRecordBatchAppendsInTimeOrder(t *testing.T) {
	f := setup(t)
	res := f.mustSend(t, dealerA, reporterA,
		mileage(accord, 10_000, day(300)),
		mileage(accord, 20_000, day(200)),
		mileage(accord, 30_000, day(100)),
	)
	require.Equal(t, []uint64{1, 2, 3}, []uint64{res[0].Id, res[1].Id, res[2].Id})
	for _, r := range res {
		require.Empty(t, r.Flags)
	}
	next, err := f.k.NextRecordID.Peek(f.ctx)
	require.NoError(t, err)
	require.Equal(t, uint64(4), next)

	rec, err := f.k.Records.Get(f.ctx, 2)
	require.NoError(t, err)
	require.Equal(t, dealerA, rec.DealerId)
	require.Equal(t, reporterA.String(), rec.Reporter)
	require.Equal(t, int64(100), rec.RecordedHeight)
	require.True(t, blockTime.Equal(rec.RecordedAt))

	require.Equal(t, []uint64{10_000, 20_000, 30_000}, readings(f.history(t, accord)))
	s := f.summary(t, accord)
	require.Equal(t, uint64(3), s.RecordCount)
	require.Equal(t, uint64(30_000), s.LatestOdometerKm)
	require.Equal(t, uint64(30_000), s.MaxOdometerKm)
	require.True(t, day(300).Equal(s.FirstSeen))
	require.True(t, day(100).Equal(s.LastSeen))
	require.Empty(t, s.Flags)

	var appended int
	for _, ev := range f.ctx.EventManager().Events() {
		if ev.Type == "vinhub.vehicle.v1.EventRecordAppended" {
			appended++
		}
	}
	require.Equal(t, 3, appended)
}

func TestOdometerRollbackKeptAndFlagged(t *testing.T) {
	f := setup(t)
	f.mustSend(t, dealerA, reporterA, mileage(accord, 120_000, day(30)))
	res := f.mustSend(t, dealerB, reporterB, mileage(accord, 45_000, day(10)))

	require.Len(t, res[0].Flags, 1)
	flag := res[0].Flags[0]
	require.Equal(t, types.FLAG_CODE_ODOMETER_ROLLBACK, flag.Code)
	require.Equal(t, uint64(120_000), flag.PreviousOdometerKm)
	require.Contains(t, flag.Detail, "45000 km is below 120000 km")

	hist := f.history(t, accord)
	require.Equal(t, []uint64{120_000, 45_000}, readings(hist))
	require.True(t, hist[1].HasFlag(types.FLAG_CODE_ODOMETER_ROLLBACK))
	require.False(t, hist[0].HasFlag(types.FLAG_CODE_ODOMETER_ROLLBACK))

	s := f.summary(t, accord)
	require.Equal(t, []types.FlagCode{types.FLAG_CODE_ODOMETER_ROLLBACK}, s.Flags)
	require.Equal(t, uint64(120_000), s.MaxOdometerKm)
	require.Equal(t, uint64(45_000), s.LatestOdometerKm)
	require.Equal(t, []string{dealerA, dealerB}, s.Dealers)

	// A later reading still below the maximum is flagged again; one above it is not.
	res = f.mustSend(t, dealerA, reporterA, mileage(accord, 50_000, day(5)), mileage(accord, 121_000, day(1)))
	require.Equal(t, []types.FlagCode{types.FLAG_CODE_ODOMETER_ROLLBACK}, flagCodes(res[0].Flags))
	require.Empty(t, res[1].Flags)
}

func TestBackdatedOdometer(t *testing.T) {
	tests := []struct {
		name     string
		existing []types.RecordInput
		late     types.RecordInput
		wantFlag types.FlagCode // FLAG_CODE_UNSPECIFIED: no flag
		wantPrev uint64
	}{
		{
			name:     "lower reading dated earlier",
			existing: []types.RecordInput{mileage(accord, 50_000, day(10))},
			late:     mileage(accord, 30_000, day(20)),
		},
		{
			name:     "higher reading dated earlier",
			existing: []types.RecordInput{mileage(accord, 50_000, day(10))},
			late:     mileage(accord, 70_000, day(20)),
			wantFlag: types.FLAG_CODE_ODOMETER_OUT_OF_ORDER,
			wantPrev: 50_000,
		},
		{
			name:     "fits between two readings",
			existing: []types.RecordInput{mileage(accord, 10_000, day(30)), mileage(accord, 50_000, day(10))},
			late:     mileage(accord, 30_000, day(20)),
		},
		{
			name:     "below the reading before it",
			existing: []types.RecordInput{mileage(accord, 10_000, day(30)), mileage(accord, 50_000, day(10))},
			late:     mileage(accord, 5_000, day(20)),
			wantFlag: types.FLAG_CODE_ODOMETER_ROLLBACK,
			wantPrev: 10_000,
		},
		{
			name:     "above the lowest later reading",
			existing: []types.RecordInput{mileage(accord, 10_000, day(30)), mileage(accord, 50_000, day(10)), mileage(accord, 60_000, day(5))},
			late:     mileage(accord, 55_000, day(20)),
			wantFlag: types.FLAG_CODE_ODOMETER_OUT_OF_ORDER,
			wantPrev: 50_000,
		},
		{
			// The car stood still between two equal readings; a higher reading
			// dated between them means the odometer went back.
			name:     "above equal readings on both sides",
			existing: []types.RecordInput{mileage(accord, 50_000, day(30)), mileage(accord, 50_000, day(10))},
			late:     mileage(accord, 60_000, day(20)),
			wantFlag: types.FLAG_CODE_ODOMETER_OUT_OF_ORDER,
			wantPrev: 50_000,
		},
		{
			name:     "after the maximum but before a lower later reading",
			existing: []types.RecordInput{mileage(accord, 100_000, day(30)), mileage(accord, 90_000, day(10))},
			late:     mileage(accord, 110_000, day(20)),
			wantFlag: types.FLAG_CODE_ODOMETER_OUT_OF_ORDER,
			wantPrev: 90_000,
		},
		{
			name:     "after the maximum, below it, before a later reading",
			existing: []types.RecordInput{mileage(accord, 100_000, day(30)), mileage(accord, 90_000, day(10))},
			late:     mileage(accord, 95_000, day(20)),
			wantFlag: types.FLAG_CODE_ODOMETER_ROLLBACK,
			wantPrev: 100_000,
		},
		{
			name:     "no reading is never flagged",
			existing: []types.RecordInput{mileage(accord, 50_000, day(10))},
			late:     types.RecordInput{Vin: accord, Kind: types.RECORD_KIND_REPAIR, OccurredAt: day(20)},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			for _, in := range tc.existing {
				f.mustSend(t, dealerA, reporterA, in)
			}
			res := f.mustSend(t, dealerA, reporterA, tc.late)
			if tc.wantFlag == types.FLAG_CODE_UNSPECIFIED {
				require.Empty(t, res[0].Flags)
				require.Empty(t, f.summary(t, accord).Flags)
				return
			}
			require.Len(t, res[0].Flags, 1)
			require.Equal(t, tc.wantFlag, res[0].Flags[0].Code)
			require.Equal(t, tc.wantPrev, res[0].Flags[0].PreviousOdometerKm)
			require.Contains(t, f.summary(t, accord).Flags, tc.wantFlag)

			// The back-dated record is kept and sorted into place by time.
			hist := f.history(t, accord)
			require.Len(t, hist, len(tc.existing)+1)
			for i := 1; i < len(hist); i++ {
				require.False(t, hist[i].Input.OccurredAt.Before(hist[i-1].Input.OccurredAt))
			}
		})
	}
}

func TestCheckDigitWarning(t *testing.T) {
	f := setup(t)
	res := f.mustSend(t, dealerA, reporterA, mileage("wvwzzz1jzxw000001", 1_000, day(1)))
	require.Equal(t, []types.FlagCode{types.FLAG_CODE_VIN_CHECK_DIGIT}, flagCodes(res[0].Flags))
	require.Contains(t, res[0].Flags[0].Detail, "position 9 is Z, ISO 3779 computes 0")

	rec, err := f.k.Records.Get(f.ctx, res[0].Id)
	require.NoError(t, err)
	require.Equal(t, golf, rec.Input.Vin, "the stored VIN is normalised")
	require.Equal(t, []types.FlagCode{types.FLAG_CODE_VIN_CHECK_DIGIT}, f.summary(t, golf).Flags)

	// A wrong check digit in a North-American VIN is refused outright.
	_, err = f.send(dealerA, reporterA, mileage("1HGCM82643A004352", 1_000, day(1)))
	require.ErrorIs(t, err, types.ErrInvalidVIN)
	_, err = f.k.Records.Get(f.ctx, res[0].Id+1)
	require.ErrorIs(t, err, collections.ErrNotFound)
}

func TestSummaryBrandsAndDealers(t *testing.T) {
	f := setup(t)
	f.mustSend(t, dealerB, reporterB, titleBrand(accord, types.TITLE_BRAND_REBUILT, day(50)))
	f.mustSend(t, dealerA, reporterA,
		titleBrand(accord, types.TITLE_BRAND_FLOOD, day(60)),
		titleBrand(accord, types.TITLE_BRAND_SALVAGE, day(40)),
		titleBrand(accord, types.TITLE_BRAND_FLOOD, day(30)),
		types.RecordInput{Vin: accord, Kind: types.RECORD_KIND_SERVICE, OccurredAt: day(1), Description: "all fixed"},
	)
	s := f.summary(t, accord)
	// Brands are never cleared by later records, listed once, in enum order.
	require.Equal(t, []types.TitleBrand{types.TITLE_BRAND_SALVAGE, types.TITLE_BRAND_FLOOD, types.TITLE_BRAND_REBUILT}, s.Brands)
	require.Equal(t, []string{dealerA, dealerB}, s.Dealers)
	require.Equal(t, uint64(5), s.RecordCount)
	require.True(t, day(60).Equal(s.FirstSeen))
	require.True(t, day(1).Equal(s.LastSeen))
	require.Zero(t, s.MaxOdometerKm)
}

func TestAuthority(t *testing.T) {
	notGov := stranger.String()
	tests := []struct {
		name string
		call func(f fixture, signer string) error
	}{
		{"RegisterDealer", func(f fixture, signer string) error {
			_, err := f.msgs.RegisterDealer(f.ctx, &types.MsgRegisterDealer{Authority: signer, DealerId: "gamma", Name: "Gamma"})
			return err
		}},
		{"RevokeDealer", func(f fixture, signer string) error {
			_, err := f.msgs.RevokeDealer(f.ctx, &types.MsgRevokeDealer{Authority: signer, DealerId: dealerA})
			return err
		}},
		{"AdmitReporter", func(f fixture, signer string) error {
			_, err := f.msgs.AdmitReporter(f.ctx, &types.MsgAdmitReporter{Authority: signer, DealerId: dealerA, Reporter: stranger.String()})
			return err
		}},
		{"RevokeReporter", func(f fixture, signer string) error {
			_, err := f.msgs.RevokeReporter(f.ctx, &types.MsgRevokeReporter{Authority: signer, DealerId: dealerA, Reporter: reporterA.String()})
			return err
		}},
		{"UpdateParams", func(f fixture, signer string) error {
			_, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: signer, Params: types.Params{MaxRecordsPerBatch: 7, PacketTimeout: time.Minute, MaxOdometerKmPerDay: types.DefaultMaxOdometerKmPerDay}})
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			before, err := f.k.ExportGenesis(f.ctx)
			require.NoError(t, err)

			require.ErrorIs(t, tc.call(f, notGov), types.ErrInvalidAuthority)
			require.ErrorIs(t, tc.call(f, ""), types.ErrInvalidAuthority)
			after, err := f.k.ExportGenesis(f.ctx)
			require.NoError(t, err)
			require.Equal(t, before, after, "a refused message changes nothing")

			require.NoError(t, tc.call(f, f.authority))
			after, err = f.k.ExportGenesis(f.ctx)
			require.NoError(t, err)
			require.NotEqual(t, before, after)
		})
	}
}

func TestRegistryLifecycle(t *testing.T) {
	f := setup(t)
	ctx := f.ctx.WithBlockHeight(200)

	// Re-registering renames and re-activates but keeps the first height.
	require.NoError(t, f.k.RevokeDealer(ctx, dealerA))
	require.NoError(t, f.k.RegisterDealer(ctx, dealerA, "Alpha Motors GmbH"))
	d, err := f.k.Dealers.Get(ctx, dealerA)
	require.NoError(t, err)
	require.Equal(t, types.Dealer{Id: dealerA, Name: "Alpha Motors GmbH", Active: true, RegisteredHeight: 100}, d)

	require.NoError(t, f.k.RevokeReporter(ctx, dealerA, reporterA))
	rep, err := f.k.Reporters.Get(ctx, collections.Join(dealerA, reporterA))
	require.NoError(t, err)
	require.False(t, rep.Active)
	require.Equal(t, int64(200), rep.RevokedHeight)

	require.ErrorIs(t, f.k.RevokeDealer(ctx, "ghost"), types.ErrUnknownDealer)
	require.ErrorIs(t, f.k.AdmitReporter(ctx, "ghost", stranger), types.ErrUnknownDealer)
	require.ErrorIs(t, f.k.RevokeReporter(ctx, dealerA, stranger), types.ErrReporterNotFound)
}

func TestRecordEventsRefused(t *testing.T) {
	tests := []struct {
		name     string
		malleate func(t *testing.T, f fixture)
		dealer   string
		reporter sdk.AccAddress
		records  []types.RecordInput
		wantErr  error
	}{
		{
			name:     "unknown dealer",
			dealer:   "ghost-motors",
			reporter: reporterA,
			wantErr:  types.ErrUnknownDealer,
		},
		{
			name:     "reporter never admitted",
			dealer:   dealerA,
			reporter: stranger,
			wantErr:  types.ErrUnauthorizedReporter,
		},
		{
			name:     "foreign reporter",
			dealer:   dealerB,
			reporter: reporterA,
			wantErr:  types.ErrUnauthorizedReporter,
		},
		{
			name: "revoked reporter",
			malleate: func(t *testing.T, f fixture) {
				f.mustSend(t, dealerA, reporterA, mileage(accord, 1, day(2)))
				_, err := f.msgs.RevokeReporter(f.ctx, &types.MsgRevokeReporter{Authority: f.authority, DealerId: dealerA, Reporter: reporterA.String()})
				require.NoError(t, err)
			},
			dealer:   dealerA,
			reporter: reporterA,
			wantErr:  types.ErrUnauthorizedReporter,
		},
		{
			name: "revoked dealer",
			malleate: func(t *testing.T, f fixture) {
				_, err := f.msgs.RevokeDealer(f.ctx, &types.MsgRevokeDealer{Authority: f.authority, DealerId: dealerA})
				require.NoError(t, err)
			},
			dealer:   dealerA,
			reporter: reporterA,
			wantErr:  types.ErrDealerRevoked,
		},
		{
			name: "batch over the limit",
			malleate: func(t *testing.T, f fixture) {
				_, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: types.Params{MaxRecordsPerBatch: 2, MaxClockSkew: time.Minute, PacketTimeout: time.Minute, MaxOdometerKmPerDay: types.DefaultMaxOdometerKmPerDay}})
				require.NoError(t, err)
			},
			dealer:   dealerA,
			reporter: reporterA,
			records:  []types.RecordInput{mileage(accord, 1, day(3)), mileage(accord, 2, day(2)), mileage(accord, 3, day(1))},
			wantErr:  types.ErrBatchTooLarge,
		},
		{
			name:     "empty batch",
			dealer:   dealerA,
			reporter: reporterA,
			records:  []types.RecordInput{},
			wantErr:  types.ErrEmptyBatch,
		},
		{
			name:     "dated past the clock skew",
			dealer:   dealerA,
			reporter: reporterA,
			records:  []types.RecordInput{mileage(accord, 1, blockTime.Add(types.DefaultMaxClockSkew+time.Second))},
			wantErr:  types.ErrFutureTimestamp,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			if tc.malleate != nil {
				tc.malleate(t, f)
			}
			if tc.records == nil {
				tc.records = []types.RecordInput{mileage(accord, 5_000, day(1))}
			}
			before, err := f.k.NextRecordID.Peek(f.ctx)
			require.NoError(t, err)

			_, err = f.send(tc.dealer, tc.reporter, tc.records...)
			require.ErrorIs(t, err, tc.wantErr)

			after, err := f.k.NextRecordID.Peek(f.ctx)
			require.NoError(t, err)
			require.Equal(t, before, after)
		})
	}
}

func TestRevokedDealerMayReturn(t *testing.T) {
	f := setup(t)
	require.NoError(t, f.k.RevokeDealer(f.ctx, dealerA))
	_, err := f.send(dealerA, reporterA, mileage(accord, 1_000, day(1)))
	require.ErrorIs(t, err, types.ErrDealerRevoked)

	// Re-registration restores the dealer with its reporters.
	require.NoError(t, f.k.RegisterDealer(f.ctx, dealerA, "Alpha again"))
	f.mustSend(t, dealerA, reporterA, mileage(accord, 1_000, day(1)))
}

// snapshot is every piece of record state a failed batch must leave alone.
type snapshot struct {
	next      uint64
	records   []collections.KeyValue[uint64, types.Record]
	history   []collections.KeyValue[collections.Pair[string, []byte], uint64]
	summaries []collections.KeyValue[string, types.VehicleSummary]
}

func takeSnapshot(t *testing.T, f fixture) snapshot {
	t.Helper()
	var (
		s   snapshot
		err error
	)
	s.next, err = f.k.NextRecordID.Peek(f.ctx)
	require.NoError(t, err)
	s.records = all(t, f.ctx, f.k.Records)
	s.history = all(t, f.ctx, f.k.History)
	s.summaries = all(t, f.ctx, f.k.Summaries)
	return s
}

func all[K, V any](t *testing.T, ctx sdk.Context, m collections.Map[K, V]) []collections.KeyValue[K, V] {
	t.Helper()
	iter, err := m.Iterate(ctx, nil)
	require.NoError(t, err)
	kvs, err := iter.KeyValues()
	require.NoError(t, err)
	return kvs
}

func TestRecordBatchAllOrNothing(t *testing.T) {
	tests := []struct {
		name    string
		bad     types.RecordInput
		wantErr error
	}{
		{"future timestamp", mileage(golf, 9_000, blockTime.Add(time.Hour)), types.ErrFutureTimestamp},
		{"NA check digit", mileage("1HGCM82643A004352", 9_000, day(1)), types.ErrInvalidVIN},
		{"brand on mileage", types.RecordInput{Vin: golf, Kind: types.RECORD_KIND_MILEAGE, TitleBrand: types.TITLE_BRAND_JUNK, OccurredAt: day(1)}, types.ErrInvalidRecord},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			f.mustSend(t, dealerA, reporterA, mileage(accord, 10_000, day(20)))
			before := takeSnapshot(t, f)

			// Straight into the keeper: the Msg service's ValidateBasic would
			// catch the stateless cases before RecordBatch runs.
			_, err := f.k.RecordBatch(f.ctx, dealerA, reporterA, []types.RecordInput{
				mileage(accord, 11_000, day(10)),
				mileage(golf, 500, day(10)),
				tc.bad,
			})
			require.ErrorIs(t, err, tc.wantErr)
			require.ErrorContains(t, err, "record 2")
			require.Equal(t, before, takeSnapshot(t, f))
		})
	}
}

func TestQueries(t *testing.T) {
	f := setup(t)
	f.mustSend(t, dealerA, reporterA,
		mileage(accord, 10_000, day(50)),
		types.RecordInput{Vin: accord, Kind: types.RECORD_KIND_SERVICE, OdometerKm: 15_000, OccurredAt: day(40)},
		mileage(accord, 20_000, day(30)),
		types.RecordInput{Vin: accord, Kind: types.RECORD_KIND_REPAIR, OccurredAt: day(20)},
		mileage(accord, 30_000, day(10)),
		mileage(golf, 700, day(5)),
	)
	ctx := f.ctx

	t.Run("history filtered by kind, two per page", func(t *testing.T) {
		req := &types.QueryHistoryRequest{Vin: accord, Kind: types.RECORD_KIND_MILEAGE, Pagination: &query.PageRequest{Limit: 2}}
		page1, err := f.queries.History(ctx, req)
		require.NoError(t, err)
		require.Equal(t, []uint64{10_000, 20_000}, readings(page1.Records))
		require.NotEmpty(t, page1.Pagination.NextKey)

		req.Pagination = &query.PageRequest{Key: page1.Pagination.NextKey, Limit: 2}
		page2, err := f.queries.History(ctx, req)
		require.NoError(t, err)
		require.Equal(t, []uint64{30_000}, readings(page2.Records))
		require.Empty(t, page2.Pagination.NextKey)
	})

	t.Run("history unfiltered, lower-case VIN", func(t *testing.T) {
		resp, err := f.queries.History(ctx, &types.QueryHistoryRequest{Vin: "1hgcm82633a004352"})
		require.NoError(t, err)
		require.Len(t, resp.Records, 5)
		for _, r := range resp.Records {
			require.Equal(t, accord, r.Input.Vin)
		}
	})

	t.Run("history of an unknown VIN is empty", func(t *testing.T) {
		resp, err := f.queries.History(ctx, &types.QueryHistoryRequest{Vin: "11111111111111111"})
		require.NoError(t, err)
		require.Empty(t, resp.Records)
	})

	t.Run("history bad requests", func(t *testing.T) {
		_, err := f.queries.History(ctx, &types.QueryHistoryRequest{Vin: "short"})
		require.Equal(t, codes.InvalidArgument, status.Code(err))
		_, err = f.queries.History(ctx, &types.QueryHistoryRequest{Vin: accord, Kind: 99})
		require.Equal(t, codes.InvalidArgument, status.Code(err))
		_, err = f.queries.History(ctx, nil)
		require.Equal(t, codes.InvalidArgument, status.Code(err))
	})

	t.Run("record", func(t *testing.T) {
		resp, err := f.queries.Record(ctx, &types.QueryRecordRequest{Id: 4})
		require.NoError(t, err)
		require.Equal(t, types.RECORD_KIND_REPAIR, resp.Record.Input.Kind)

		_, err = f.queries.Record(ctx, &types.QueryRecordRequest{Id: 999})
		require.Equal(t, codes.NotFound, status.Code(err))
		require.ErrorContains(t, err, "no record with id 999")
	})

	t.Run("summary", func(t *testing.T) {
		s := f.summary(t, accord)
		require.Equal(t, uint64(5), s.RecordCount)
		require.Equal(t, uint64(30_000), s.LatestOdometerKm)
		require.True(t, day(10).Equal(s.LatestOdometerAt))
		require.Equal(t, []string{dealerA}, s.Dealers)

		require.Equal(t, []types.FlagCode{types.FLAG_CODE_VIN_CHECK_DIGIT}, f.summary(t, golf).Flags)

		_, err := f.queries.Summary(ctx, &types.QuerySummaryRequest{Vin: "11111111111111111"})
		require.Equal(t, codes.NotFound, status.Code(err))
	})

	t.Run("dealer with reporters", func(t *testing.T) {
		require.NoError(t, f.k.AdmitReporter(ctx, dealerA, stranger))
		require.NoError(t, f.k.RevokeReporter(ctx, dealerA, stranger))
		resp, err := f.queries.Dealer(ctx, &types.QueryDealerRequest{DealerId: dealerA})
		require.NoError(t, err)
		require.Equal(t, dealerA, resp.Dealer.Id)
		require.True(t, resp.Dealer.Active)
		require.Len(t, resp.Reporters, 2)
		active := map[string]bool{}
		for _, r := range resp.Reporters {
			active[r.Address] = r.Active
		}
		require.Equal(t, map[string]bool{reporterA.String(): true, stranger.String(): false}, active)

		_, err = f.queries.Dealer(ctx, &types.QueryDealerRequest{DealerId: "ghost"})
		require.Equal(t, codes.NotFound, status.Code(err))
	})

	t.Run("dealers", func(t *testing.T) {
		resp, err := f.queries.Dealers(ctx, &types.QueryDealersRequest{})
		require.NoError(t, err)
		require.Len(t, resp.Dealers, 2)
		require.Equal(t, dealerA, resp.Dealers[0].Id)
		require.Equal(t, dealerB, resp.Dealers[1].Id)

		resp, err = f.queries.Dealers(ctx, &types.QueryDealersRequest{Pagination: &query.PageRequest{Limit: 1, CountTotal: true}})
		require.NoError(t, err)
		require.Equal(t, []string{dealerA}, []string{resp.Dealers[0].Id})
		require.Equal(t, uint64(2), resp.Pagination.Total)
	})

	t.Run("params", func(t *testing.T) {
		resp, err := f.queries.Params(ctx, &types.QueryParamsRequest{})
		require.NoError(t, err)
		require.Equal(t, types.DefaultParams(), resp.Params)
	})
}

func TestGenesisRoundTrip(t *testing.T) {
	f := setup(t)
	require.NoError(t, f.k.Params.Set(f.ctx, types.Params{MaxRecordsPerBatch: 50, MaxClockSkew: time.Hour, PacketTimeout: time.Minute, MaxOdometerKmPerDay: types.DefaultMaxOdometerKmPerDay}))
	f.mustSend(t, dealerA, reporterA,
		mileage(accord, 40_000, day(100)),
		mileage(accord, 30_000, day(90)), // rollback
		mileage(golf, 5_000, day(80)),    // check digit warning
		titleBrand(golf, types.TITLE_BRAND_FIRE, day(70)),
	)
	f.mustSend(t, dealerB, reporterB, mileage(accord, 45_000, day(110))) // back-dated, out of order: disputed with A's
	_, err := f.k.GrantLien(f.ctx, accord, types.LienHolder{ChainId: "dealer-b", DealerId: dealerB, Lender: reporterA.String()})
	require.NoError(t, err)
	require.NoError(t, f.k.RevokeReporter(f.ctx, dealerB, reporterB))
	require.NoError(t, f.k.RevokeDealer(f.ctx, dealerB))

	exported, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, exported.Validate())
	require.Len(t, exported.Records, 5)
	require.Equal(t, uint64(6), exported.NextRecordId)
	require.Len(t, exported.Liens, 1)
	require.Equal(t, uint64(2), exported.NextLienId)
	require.Len(t, exported.Disputes, 1)

	fresh := newFixture(t)
	require.NoError(t, fresh.k.InitGenesis(fresh.ctx, *exported))
	reexported, err := fresh.k.ExportGenesis(fresh.ctx)
	require.NoError(t, err)
	require.Equal(t, exported, reexported)

	require.Equal(t, all(t, f.ctx, f.k.Summaries), all(t, fresh.ctx, fresh.k.Summaries))
	require.Equal(t, all(t, f.ctx, f.k.History), all(t, fresh.ctx, fresh.k.History))
	require.Equal(t, []types.FlagCode{types.FLAG_CODE_ODOMETER_ROLLBACK, types.FLAG_CODE_ODOMETER_OUT_OF_ORDER},
		fresh.summary(t, accord).Flags)

	// The imported chain goes on numbering where the old one stopped.
	require.NoError(t, fresh.k.RegisterDealer(fresh.ctx, dealerB, "back"))
	require.NoError(t, fresh.k.AdmitReporter(fresh.ctx, dealerB, reporterB))
	res := fresh.mustSend(t, dealerB, reporterB, mileage(accord, 46_000, day(1)))
	require.Equal(t, uint64(6), res[0].Id)
}

func TestInitGenesisRejectsInvalid(t *testing.T) {
	f := newFixture(t)
	gs := types.DefaultGenesis()
	gs.Reporters = []types.Reporter{{DealerId: "ghost", Address: reporterA.String(), Active: true}}
	require.ErrorIs(t, f.k.InitGenesis(f.ctx, *gs), types.ErrInvalidGenesis)
	has, err := f.k.Params.Has(f.ctx)
	require.NoError(t, err)
	require.False(t, has)
}

// TestGenesisRoundTripIBCState: bindings, the hub route, record origins and
// sync states survive export and import, and the indexes derived from them
// (origins for dedupe, pending and in-flight) are rebuilt.
func TestGenesisRoundTripIBCState(t *testing.T) {
	f := setup(t)
	f.mustSend(t, dealerA, reporterA, mileage(accord, 40_000, day(100)), mileage(accord, 41_000, day(90)), mileage(golf, 5_000, day(80)))
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	route := types.NewChannelRoute("channel-3")
	gs.Records[0].Origin = &types.Origin{ChainId: "dealer-1", Route: route, Sequence: 4, DealerRecordId: 17, Reporter: "cosmos1dealerside"}
	gs.Bindings = []types.DealerBinding{{DealerId: dealerA, Route: route, ChainId: "dealer-1", BoundHeight: 2}}
	gs.HubRoute = types.NewClientRoute("07-tendermint-0")
	gs.SyncStates = []types.SyncState{
		{RecordId: 1, Vin: accord, Status: types.SYNC_STATUS_SYNCED, HubRecordId: 9},
		{RecordId: 2, Vin: accord, Status: types.SYNC_STATUS_PENDING, Attempts: 2, Reason: "packet 5 timed out"},
		{RecordId: 3, Vin: golf, Status: types.SYNC_STATUS_IN_FLIGHT, Route: gs.HubRoute, Sequence: 6, Attempts: 1},
	}
	require.NoError(t, gs.Validate())

	fresh := newFixture(t)
	require.NoError(t, fresh.k.InitGenesis(fresh.ctx, *gs))
	reexported, err := fresh.k.ExportGenesis(fresh.ctx)
	require.NoError(t, err)
	require.Equal(t, gs, reexported)

	hubID, err := fresh.k.Origins.Get(fresh.ctx, collections.Join("dealer-1", uint64(17)))
	require.NoError(t, err)
	require.Equal(t, uint64(1), hubID)
	pending, err := fresh.k.Pending.Has(fresh.ctx, collections.Join(uint32(2), uint64(2)))
	require.NoError(t, err)
	require.True(t, pending)
	inFlight, err := fresh.k.InFlight.Has(fresh.ctx, 3)
	require.NoError(t, err)
	require.True(t, inFlight)
	count, err := fresh.queries.PendingCount(fresh.ctx, &types.QueryPendingCountRequest{})
	require.NoError(t, err)
	require.Equal(t, &types.QueryPendingCountResponse{Pending: 1, InFlight: 1}, count)

	bad := *gs
	bad.SyncStates = []types.SyncState{{RecordId: 99, Status: types.SYNC_STATUS_PENDING}}
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis)
	bad = *gs
	bad.Bindings = []types.DealerBinding{{DealerId: "ghost", Route: route, ChainId: "dealer-1"}}
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis)
	bad = *gs
	bad.Bindings = []types.DealerBinding{{DealerId: dealerA, Route: route}}
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis, "a binding must name its chain")
	bad = *gs
	bad.Records = append([]types.Record(nil), gs.Records...)
	bad.Records[1].Origin = gs.Records[0].Origin
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis, "two records from one dealer record")
	bad = *gs
	bad.SyncStates = []types.SyncState{{RecordId: 3, Status: types.SYNC_STATUS_IN_FLIGHT}}
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis, "in flight in no packet")
}
