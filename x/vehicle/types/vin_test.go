package types_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// Every VIN below was checked by computing its ISO 3779 check digit.
func TestCheckDigit(t *testing.T) {
	tests := []struct {
		vin  string
		want byte
	}{
		{"1HGCM82633A004352", '3'}, // Honda Accord, USA
		{"1M8GDM9AXKP042788", 'X'}, // 49 CFR 565 worked example: remainder 10
		{"11111111111111111", '1'},
		{"1GNEK13ZX3R298984", 'X'}, // Chevrolet, USA
		{"3VWFE21C04M000001", '0'}, // VW, Mexico
		{"JHMCM56557C404453", '5'}, // Honda, Japan
		{"JT2AE09W4P0038539", '4'}, // Toyota, Japan
		{"JH4KA7561PC008269", '1'}, // Acura, Japan
		{"WVWZZZ1JZXW000001", '0'}, // VW, Germany: position 9 is a filler
		{"1hgcm82633a004352", '3'}, // lower case computes like upper case
		{"1HGCM82603A004352", '3'}, // position 9 is ignored (weight 0)
	}
	for _, tc := range tests {
		t.Run(tc.vin, func(t *testing.T) {
			got, err := types.CheckDigit(tc.vin)
			require.NoError(t, err)
			require.Equal(t, string(tc.want), string(got))
		})
	}
}

func TestCheckDigitRejectsMalformed(t *testing.T) {
	for _, vin := range []string{
		"",
		"1HGCM82633A00435",   // 16
		"1HGCM82633A0043521", // 18
		"1HGCM82633A0O4352",  // letter O
		"IHGCM82633A004352",  // letter I
		"1HGCM82633A00435Q",  // letter Q
		"1HGCM-2633A004352",  // punctuation
		"1HGCM 2633A004352",  // inner space
	} {
		_, err := types.CheckDigit(vin)
		require.ErrorIs(t, err, types.ErrInvalidVIN, "%q", vin)
	}
}

func TestParseVIN(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		wantValue  string
		wantValid  bool
		wantNA     bool
		wantErr    error
		errContain string
	}{
		{name: "honda accord", in: "1HGCM82633A004352", wantValue: "1HGCM82633A004352", wantValid: true, wantNA: true},
		{name: "check digit X", in: "1M8GDM9AXKP042788", wantValue: "1M8GDM9AXKP042788", wantValid: true, wantNA: true},
		{name: "all ones", in: "11111111111111111", wantValue: "11111111111111111", wantValid: true, wantNA: true},
		{name: "mexico", in: "3VWFE21C04M000001", wantValue: "3VWFE21C04M000001", wantValid: true, wantNA: true},
		{name: "japan valid", in: "JHMCM56557C404453", wantValue: "JHMCM56557C404453", wantValid: true},
		{name: "lower case is normalised", in: "1hgcm82633a004352", wantValue: "1HGCM82633A004352", wantValid: true, wantNA: true},
		{name: "mixed case and spaces", in: "  1m8gdm9axKP042788\t", wantValue: "1M8GDM9AXKP042788", wantValid: true, wantNA: true},

		// A wrong check digit is fatal for WMIs 1-5 ...
		{name: "NA wrong check digit", in: "1HGCM82643A004352", wantErr: types.ErrInvalidVIN, errContain: "check digit (position 9) is 4 but the VIN computes to 3"},
		{name: "NA X expected", in: "1M8GDM9A1KP042788", wantErr: types.ErrInvalidVIN, errContain: "computes to X"},
		{name: "WMI 5 wrong", in: "5YJSA1E14HF000001", wantErr: types.ErrInvalidVIN},
		{name: "WMI 2 wrong", in: "2T1BURHE0JC000000", wantErr: types.ErrInvalidVIN},
		{name: "lower case NA wrong", in: "1hgcm82643a004352", wantErr: types.ErrInvalidVIN},
		// ... and only a warning elsewhere.
		{name: "germany filler Z", in: "WVWZZZ1JZXW000001", wantValue: "WVWZZZ1JZXW000001"},
		{name: "japan wrong digit", in: "JT2AE09W5P0038539", wantValue: "JT2AE09W5P0038539"},
		{name: "WMI 6 is not NA", in: "6FPAAAJGSW1234567", wantValue: "6FPAAAJGSW1234567"},
		{name: "lower case europe", in: "wvwzzz1jzxw000001", wantValue: "WVWZZZ1JZXW000001"},

		{name: "empty", in: "", wantErr: types.ErrInvalidVIN, errContain: "exactly 17"},
		{name: "16 chars", in: "1HGCM82633A00435", wantErr: types.ErrInvalidVIN, errContain: "has 16 characters"},
		{name: "18 chars", in: "1HGCM82633A0043521", wantErr: types.ErrInvalidVIN, errContain: "has 18 characters"},
		{name: "letter I", in: "1HGCM82633AI04352", wantErr: types.ErrInvalidVIN, errContain: "I, O and Q"},
		{name: "letter O", in: "1HGCM82633AO04352", wantErr: types.ErrInvalidVIN, errContain: "position 12"},
		{name: "letter q lower", in: "1hgcm82633a00435q", wantErr: types.ErrInvalidVIN, errContain: "I, O and Q"},
		{name: "non-ASCII letter that upper-cases to ASCII", in: "\u017fVWZZZ1JZXW000001", wantErr: types.ErrInvalidVIN, errContain: "plain ASCII"},
		{name: "dash", in: "1HGCM-2633A004352", wantErr: types.ErrInvalidVIN, errContain: "only digits and letters"},
		{name: "dot", in: "1HGCM82633A.04352", wantErr: types.ErrInvalidVIN},
		{name: "non-ASCII", in: "1HGCM82633A00435é", wantErr: types.ErrInvalidVIN},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := types.ParseVIN(tc.in)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				require.ErrorContains(t, err, tc.errContain)
				require.Equal(t, types.VIN{}, got)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.wantValue, got.Value)
			require.Equal(t, tc.wantValid, got.CheckDigitValid)
			require.Equal(t, tc.wantNA, got.NorthAmerican())
		})
	}
}

func FuzzParseVIN(f *testing.F) {
	for _, seed := range []string{
		"1HGCM82633A004352", "1M8GDM9AXKP042788", "WVWZZZ1JZXW000001",
		"1HGCM82643A004352", "jt2ae09w5p0038539", "", "1HGCM82633AO04352",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		vin, err := types.ParseVIN(s)
		if err != nil {
			require.ErrorIs(t, err, types.ErrInvalidVIN)
			return
		}
		require.Len(t, vin.Value, types.VINLength)
		require.Equal(t, strings.ToUpper(vin.Value), vin.Value)
		if vin.NorthAmerican() {
			require.True(t, vin.CheckDigitValid, "NA VIN %q accepted with a wrong check digit", vin.Value)
		}
		want, err := types.CheckDigit(vin.Value)
		require.NoError(t, err)
		require.Equal(t, vin.Value[8] == want, vin.CheckDigitValid)
	})
}

func BenchmarkParseVIN(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := types.ParseVIN("1HGCM82633A004352"); err != nil {
			b.Fatal(err)
		}
	}
}
