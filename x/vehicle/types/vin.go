package types

import (
	"strings"

	errorsmod "cosmossdk.io/errors"
)

// VINLength is the length of every modern (1981+) VIN.
const VINLength = 17

// checkDigitPos is the zero-based position of the ISO 3779 / 49 CFR 565 check digit.
const checkDigitPos = 8

// vinWeights are the 49 CFR 565.15 position weights.
var vinWeights = [VINLength]int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}

// VIN is a parsed, upper-cased vehicle identification number.
type VIN struct {
	// Value is the normalised VIN (upper case).
	Value string
	// CheckDigitValid reports whether position 9 matches the computed check digit.
	CheckDigitValid bool
}

// NorthAmerican reports whether the WMI is North-American (first character 1-5),
// where the check digit is mandatory.
func (v VIN) NorthAmerican() bool {
	return v.Value[0] >= '1' && v.Value[0] <= '5'
}

// ParseVIN checks length and alphabet, computes the check digit and rejects a
// wrong check digit for North-American WMIs. Elsewhere the check digit is not
// mandatory: the VIN is returned with CheckDigitValid false so the caller can
// keep the record with a warning flag.
func ParseVIN(s string) (VIN, error) {
	trimmed := strings.TrimSpace(s)
	for i := 0; i < len(trimmed); i++ {
		if trimmed[i] >= 0x80 {
			return VIN{}, errorsmod.Wrapf(ErrInvalidVIN, "%q: a VIN is plain ASCII digits and letters", s)
		}
	}
	v := strings.ToUpper(trimmed)
	want, err := CheckDigit(v)
	if err != nil {
		return VIN{}, err
	}
	parsed := VIN{Value: v, CheckDigitValid: v[checkDigitPos] == want}
	if !parsed.CheckDigitValid && parsed.NorthAmerican() {
		return VIN{}, errorsmod.Wrapf(ErrInvalidVIN,
			"%q: check digit (position 9) is %c but the VIN computes to %c; re-read the VIN from the vehicle",
			v, v[checkDigitPos], want)
	}
	return parsed, nil
}

// CheckDigit returns the check digit ISO 3779 computes for the 17-character VIN
// (position 9 is ignored). It is exported for tools and tests that build VINs.
func CheckDigit(vin string) (byte, error) {
	v := strings.ToUpper(vin)
	if len(v) != VINLength {
		return 0, errorsmod.Wrapf(ErrInvalidVIN, "%q has %d characters; a VIN has exactly 17", vin, len(v))
	}
	sum := 0
	for i := 0; i < VINLength; i++ {
		val, err := vinCharValue(v[i])
		if err != nil {
			return 0, errorsmod.Wrapf(ErrInvalidVIN, "%q position %d: %s", vin, i+1, err)
		}
		sum += val * vinWeights[i]
	}
	return checkDigitChar(sum % 11), nil
}

func checkDigitChar(rem int) byte {
	if rem == 10 {
		return 'X'
	}
	return byte('0' + rem)
}

type vinCharError string

func (e vinCharError) Error() string { return string(e) }

// vinCharValue is the 49 CFR 565.15 transliteration.
func vinCharValue(c byte) (int, error) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), nil
	case c == 'I' || c == 'O' || c == 'Q':
		return 0, vinCharError("letters I, O and Q never appear in a VIN (did you mean 1 or 0?)")
	case c >= 'A' && c <= 'H':
		return int(c-'A') + 1, nil
	case c >= 'J' && c <= 'N':
		return int(c-'J') + 1, nil
	case c == 'P':
		return 7, nil
	case c == 'R':
		return 9, nil
	case c >= 'S' && c <= 'Z':
		return int(c-'S') + 2, nil
	default:
		return 0, vinCharError("only digits and letters A-Z (except I, O, Q) are allowed")
	}
}
