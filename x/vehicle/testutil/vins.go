// Package testutil holds test fixtures shared by the vehicle module's test packages.
package testutil

import (
	"fmt"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// VIN returns the i-th (mod one million) of a series of distinct
// North-American VINs with a correct ISO 3779 check digit.
func VIN(i int) string {
	raw := []byte(fmt.Sprintf("1HGCM82603A%06d", i%1_000_000))
	digit, err := types.CheckDigit(string(raw))
	if err != nil {
		panic(err) // the pattern above is always a well-formed VIN
	}
	raw[8] = digit
	return string(raw)
}
