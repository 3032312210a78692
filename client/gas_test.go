package client

import (
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
)

func decCoin(t *testing.T, s string) sdk.DecCoin {
	t.Helper()
	c, err := sdk.ParseDecCoin(s)
	require.NoError(t, err)
	return c
}

// TestPickGasPrice: txs pay what the chain asks when that is above the
// configured floor, never more than max_gas_price.
func TestPickGasPrice(t *testing.T) {
	testCases := []struct {
		name       string
		configured string
		asks       []string
		max        string
		want       string
		wantCapped bool
	}{
		{"the chain asks nothing: the configured price", "0.01stake", nil, "", "0.01stake", false},
		{"node minimum above the floor", "0.01stake", []string{"0.025stake"}, "", "0.025stake", false},
		{"node minimum below the floor", "0.05stake", []string{"0.025stake"}, "", "0.05stake", false},
		{"fee market above the node minimum", "0stake", []string{"0.025stake", "0.04stake"}, "", "0.04stake", false},
		{"other denoms are ignored", "0.01stake", []string{"5uatom"}, "", "0.01stake", false},
		{"capped", "0.01stake", []string{"3stake"}, "0.1stake", "0.1stake", true},
		{"under the cap", "0.01stake", []string{"0.05stake"}, "0.1stake", "0.05stake", false},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			var asks []sdk.DecCoin
			for _, a := range tc.asks {
				asks = append(asks, decCoin(t, a))
			}
			var maxPrice *sdk.DecCoin
			if tc.max != "" {
				m := decCoin(t, tc.max)
				maxPrice = &m
			}
			got, capped := pickGasPrice(decCoin(t, tc.configured), asks, maxPrice)
			require.Equal(t, decCoin(t, tc.want).String(), got.String())
			require.Equal(t, tc.wantCapped, capped)
		})
	}
}

// TestDecodeFeeMarketPrice reads a GasPriceResponse encoded by hand.
func TestDecodeFeeMarketPrice(t *testing.T) {
	price := sdk.NewDecCoinFromDec("stake", sdkmath.LegacyMustNewDecFromStr("0.0025"))
	inner, err := price.Marshal()
	require.NoError(t, err)
	bz := protowire.AppendVarint(protowire.AppendTag(nil, 2, protowire.VarintType), 7) // an unknown field first
	bz = protowire.AppendBytes(protowire.AppendTag(bz, 1, protowire.BytesType), inner)
	got, err := decodeFeeMarketPrice(bz)
	require.NoError(t, err)
	require.Equal(t, price.String(), got.String())
	_, err = decodeFeeMarketPrice(nil)
	require.ErrorContains(t, err, "empty response")
}

// TestGasLimitFallsBackToDefaultGas: a simulation that could not run uses
// default_gas when configured; a refusal by the chain never does (the tx
// would be refused too).
func TestGasLimitFallsBackToDefaultGas(t *testing.T) {
	unreachable := errors.New("simulate: post http://127.0.0.1:26657: connection refused")
	refused := &ABCIError{Chain: "hub", Stage: "simulation", Codespace: sdkerrors.ErrInvalidRequest.Codespace(), Code: sdkerrors.ErrInvalidRequest.ABCICode()}
	testCases := []struct {
		name       string
		defaultGas uint64
		simErr     error
		want       uint64
		wantErr    error
	}{
		{"simulated gas times the adjustment", 300_000, nil, 150_000, nil},
		{"simulation unavailable, default_gas set", 300_000, unreachable, 300_000, nil},
		{"simulation unavailable, no default_gas", 0, unreachable, 0, unreachable},
		{"simulation refused by the chain", 300_000, refused, 0, sdkerrors.ErrInvalidRequest},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			c := &Chain{Config: Config{ID: "hub", DefaultGas: tc.defaultGas}, obs: noObserver{}, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
			got, err := c.gasLimit(100_000, tc.simErr, 1.5)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

// TestTxMemo: txs carry the configured memo, "vinrelay" by default.
func TestTxMemo(t *testing.T) {
	require.Equal(t, "vinrelay", Config{}.TxMemo())
	require.Equal(t, "relayed by ops@example", Config{Memo: "relayed by ops@example"}.TxMemo())
}
