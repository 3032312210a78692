package accaddr_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/internal/accaddr"
)

func TestOneSpellingPerAccount(t *testing.T) {
	a := sdk.AccAddress(bytes.Repeat([]byte{0x01}, 20))
	b := sdk.AccAddress(bytes.Repeat([]byte{0x02}, 20))
	up := strings.ToUpper(a.String())

	got, err := accaddr.Canonical(up)
	require.NoError(t, err)
	require.Equal(t, a.String(), got)
	require.True(t, accaddr.Same(a.String(), up))
	require.False(t, accaddr.Same(a.String(), b.String()))
	require.False(t, accaddr.Same("", ""), "no address names no account")
	require.False(t, accaddr.Same("cosmos1bad", "cosmos1bad"))

	for _, bad := range []string{"", "cosmos1bad", a.String()[:10] + strings.ToUpper(a.String()[10:])} {
		_, err := accaddr.Canonical(bad)
		require.Error(t, err, bad)
	}

	foreign := sdk.MustBech32ifyAddressBytes("dealer", a)
	got, err = accaddr.CanonicalBech32(strings.ToUpper(foreign))
	require.NoError(t, err)
	require.Equal(t, foreign, got, "another chain's prefix keeps its prefix, in lower case")
	_, err = accaddr.CanonicalBech32("dealer1bad")
	require.Error(t, err)
}
