package types_test

import (
	"math"
	"reflect"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// TestRecordAppendedEventMatchesTypedEvent holds the hand-built event to
// what EmitTypedEvent emits, attribute for attribute, and checks that it
// parses back to the same typed event.
func TestRecordAppendedEventMatchesTypedEvent(t *testing.T) {
	cases := []struct {
		name string
		ev   types.EventRecordAppended
	}{
		{"zero values", types.EventRecordAppended{}},
		{"typical", types.EventRecordAppended{Id: 42, Vin: "1HGCM82633A004352", DealerId: "dealer-b", Kind: types.RECORD_KIND_SERVICE, OdometerKm: 120_500}},
		{"empty flags slice", types.EventRecordAppended{Id: 1, Vin: "1HGCM82633A004352", DealerId: "d", Kind: types.RECORD_KIND_MILEAGE, Flags: []types.FlagCode{}}},
		{"one flag", types.EventRecordAppended{Id: 7, Vin: "1HGCM82633A004352", DealerId: "d.e_f", Kind: types.RECORD_KIND_MILEAGE, OdometerKm: 10,
			Flags: []types.FlagCode{types.FLAG_CODE_ODOMETER_ROLLBACK}}},
		{"every flag", types.EventRecordAppended{Id: 8, Vin: "1HGCM82633A004352", DealerId: "d", Kind: types.RECORD_KIND_TITLE_BRAND,
			Flags: []types.FlagCode{types.FLAG_CODE_UNSPECIFIED, types.FLAG_CODE_ODOMETER_ROLLBACK, types.FLAG_CODE_VIN_CHECK_DIGIT, types.FLAG_CODE_ODOMETER_OUT_OF_ORDER, types.FLAG_CODE_ODOMETER_IMPLAUSIBLE}}},
		{"largest numbers", types.EventRecordAppended{Id: math.MaxUint64, OdometerKm: math.MaxUint64, Kind: types.RECORD_KIND_OWNERSHIP_TRANSFER}},
		{"enum values no name covers", types.EventRecordAppended{Kind: 99, Flags: []types.FlagCode{42, types.FLAG_CODE_VIN_CHECK_DIGIT, -3}}},
		{"strings JSON must escape", types.EventRecordAppended{Vin: `<a href="x">&'\` + "\n\x00é\xff", DealerId: "\u2028 \u2029 \t"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want, err := sdk.TypedEventToEvent(&tc.ev)
			require.NoError(t, err)
			got := tc.ev.Event()
			require.Equal(t, want, got)

			parsed, err := sdk.ParseTypedEvent(abci.Event(got))
			require.NoError(t, err)
			back, ok := parsed.(*types.EventRecordAppended)
			require.True(t, ok, "parsed %T", parsed)
			if len(tc.ev.Flags) == 0 {
				back.Flags, tc.ev.Flags = nil, nil
			}
			if tc.name != "strings JSON must escape" { // invalid UTF-8 comes back as U+FFFD
				require.Equal(t, tc.ev, *back)
			}
		})
	}
}

// TestRecordAppendedEventCoversEveryField: Event() writes six attributes
// by hand; a field added to the proto (a oneof, say, that jsonpb leaves out
// when unset) must be added there too.
func TestRecordAppendedEventCoversEveryField(t *testing.T) {
	var tagged []string
	typ := reflect.TypeFor[types.EventRecordAppended]()
	for i := range typ.NumField() {
		if f := typ.Field(i); f.Tag.Get("protobuf") != "" || f.Tag.Get("protobuf_oneof") != "" {
			tagged = append(tagged, f.Name)
		}
	}
	require.Equal(t, []string{"Id", "Vin", "DealerId", "Kind", "OdometerKm", "Flags"}, tagged,
		"EventRecordAppended's fields changed: build the new ones in types.EventRecordAppended.Event")
}

// BenchmarkRecordAppendedEvent compares the hand-built event with
// sdk.TypedEventToEvent's, for one record's event.
func BenchmarkRecordAppendedEvent(b *testing.B) {
	ev := types.EventRecordAppended{Id: 1_234_567, Vin: "1HGCM82633A004352", DealerId: "dealer-b", Kind: types.RECORD_KIND_SERVICE, OdometerKm: 120_500,
		Flags: []types.FlagCode{types.FLAG_CODE_ODOMETER_ROLLBACK}}
	b.Run("hand-built", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = ev.Event()
		}
	})
	b.Run("TypedEventToEvent", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := sdk.TypedEventToEvent(&ev); err != nil {
				b.Fatal(err)
			}
		}
	})
}
