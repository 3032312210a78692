package types

import (
	"math/bits"
	"time"
)

// DecayScale is the fixed-point scale of the decay factors: 1e9 means 1.
const DecayScale = 1_000_000_000

// decaySteps is how many table steps one half-life is split into.
const decaySteps = 16

// decayTable[i] is 2^(-i/16) scaled by DecayScale, rounded to the nearest
// integer. It is part of consensus: never change a value.
var decayTable = [decaySteps + 1]uint64{
	1_000_000_000, 957_603_281, 917_004_043, 878_126_080,
	840_896_415, 805_245_166, 771_105_413, 738_413_073,
	707_106_781, 677_127_773, 648_419_777, 620_928_906,
	594_603_558, 569_394_317, 545_253_866, 522_136_891,
	500_000_000,
}

// DecayFactor splits 2^(-elapsed/halfLife) into whole halvings and a fraction
// scaled by DecayScale (in (DecayScale/2, DecayScale]). Both durations are
// taken in whole seconds (elapsed is truncated); with dt = elapsed and
// H = halfLife in seconds, q = dt / H, r = dt mod H, j = 16r / H,
// s = 16r mod H, and
//
//	fraction = T[j] - (T[j] - T[j+1]) * s / H   (integer division)
//
// i.e. the table value linearly interpolated between 2^(-j/16) and
// 2^(-(j+1)/16). elapsed <= 0 or halfLife < 1s means no decay.
func DecayFactor(elapsed, halfLife time.Duration) (halvings uint64, fraction uint64) {
	dt, h := uint64(max(elapsed/time.Second, 0)), uint64(max(halfLife/time.Second, 0))
	if dt == 0 || h == 0 {
		return 0, DecayScale
	}
	// 16*r < 16*h <= 16*(2^63/1e9) and (T[j]-T[j+1])*s < 4.3e7*h: no overflow.
	q, r := dt/h, dt%h
	j, s := decaySteps*r/h, decaySteps*r%h
	return q, decayTable[j] - (decayTable[j]-decayTable[j+1])*s/h
}

// Decay returns v * 2^(-elapsed/halfLife) rounded down, computed as
// floor(v * fraction / (DecayScale * 2^halvings)) with DecayFactor's parts
// and 128-bit intermediate products, so no input overflows.
func Decay(v uint64, elapsed, halfLife time.Duration) uint64 {
	q, f := DecayFactor(elapsed, halfLife)
	if q >= 64 || v == 0 {
		return 0
	}
	hi, lo := bits.Mul64(v, f)
	// f <= DecayScale, so v*f / DecayScale <= v fits and hi < DecayScale.
	quo, _ := bits.Div64(hi, lo, DecayScale)
	return quo >> q
}

// DecayTo returns the profile with its event accumulators decayed from
// updated_at to now. updated_at advances by the whole seconds applied, so
// the sub-second rest is carried to the next decay. A now at or before
// updated_at leaves the profile as it is.
func (p CreditProfile) DecayTo(now time.Time, halfLife time.Duration) CreditProfile {
	elapsed := now.Sub(p.UpdatedAt).Truncate(time.Second)
	if elapsed <= 0 {
		return p
	}
	for _, acc := range []*uint64{&p.OnTimeMilli, &p.LateMilli, &p.DefaultsMilli, &p.FraudMilli, &p.RejectionsMilli} {
		*acc = Decay(*acc, elapsed, halfLife)
	}
	p.UpdatedAt = p.UpdatedAt.Add(elapsed)
	return p
}
