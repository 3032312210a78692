package types

import (
	"fmt"
	"math/bits"
	"time"
)

// The score formula's constants (docs/spec/credit.md). Points are per event
// (before decay) and caps bound a component's absolute value. The positive
// caps sum to 1050 and the negative ones to -1600, so both ends of the
// 0..1000 scale are reachable and clamping can happen at either end.
const (
	MinScore   = 0
	MaxScore   = 1000
	BasePoints = 500

	PointsPerOnTime    = 25
	CapOnTime          = 350
	PointsPerLate      = 40
	CapLate            = 300
	PointsPerDefault   = 150
	CapDefaults        = 500
	PointsPerFraudFlag = 60
	CapFraud           = 500
	// PointsPerRejection: an asset application an examiner rejected. Five
	// undecayed rejections take a new account (500) below the default
	// apply gate (300), so flooding examiners or squatting VINs stops itself.
	PointsPerRejection = 50
	CapRejections      = 300

	// PointsPerVolumeBit: volume points are min(CapVolume, 12 * bits.Len64(n)).
	PointsPerVolumeBit = 12
	CapVolume          = 100
	// DaysPerTenurePoint: tenure points are min(CapTenure, whole days / 7).
	DaysPerTenurePoint = 7
	CapTenure          = 100

	// MilliPerEvent is what one event adds to a decayed accumulator.
	MilliPerEvent = 1000
)

// Component names, in the order they appear in a Score.
const (
	ComponentBase     = "base"
	ComponentOnTime   = "on_time_repayments"
	ComponentLate     = "late_repayments"
	ComponentDefaults = "defaults"
	ComponentFraud    = "fraud_flags"
	ComponentRejected = "rejected_applications"
	ComponentVolume   = "volume"
	ComponentTenure   = "tenure"
	ComponentClamp    = "clamp"
)

// eventTerm is one decayed event count's contribution: +/- per point each,
// capped at cap.
type eventTerm struct {
	name, what  string
	milli, life uint64
	per, cap    uint64
	negative    bool
}

func (t eventTerm) component() ScoreComponent {
	pts := eventPoints(t.milli, t.per, t.cap)
	sign := "+"
	if t.negative {
		pts, sign = -pts, "-"
	}
	return ScoreComponent{
		Name:   t.name,
		Points: pts,
		Detail: fmt.Sprintf("%s decayed %s (%d lifetime) x %s%d, cap %s%d", milliString(t.milli), t.what, t.life, sign, t.per, sign, t.cap),
	}
}

// ComputeScore returns the score of profile p at block time now: each
// component rounded to whole points, their sum clamped to 0..1000, and a
// clamp component when clamping changed the sum, so the components always
// sum to the score. p is decayed to now first; it is not modified.
func ComputeScore(p CreditProfile, halfLife time.Duration, now time.Time) Score {
	d := p.DecayTo(now, halfLife)
	comps := []ScoreComponent{
		{Name: ComponentBase, Points: BasePoints, Detail: "every account starts here"},
		eventTerm{ComponentOnTime, "on-time repayments", d.OnTimeMilli, d.OnTimeCount, PointsPerOnTime, CapOnTime, false}.component(),
		eventTerm{ComponentLate, "late repayments", d.LateMilli, d.LateCount, PointsPerLate, CapLate, true}.component(),
		eventTerm{ComponentDefaults, "defaults", d.DefaultsMilli, d.DefaultCount, PointsPerDefault, CapDefaults, true}.component(),
		eventTerm{ComponentFraud, "fraud flags", d.FraudMilli, d.FraudCount, PointsPerFraudFlag, CapFraud, true}.component(),
		eventTerm{ComponentRejected, "rejected applications", d.RejectionsMilli, d.RejectionCount, PointsPerRejection, CapRejections, true}.component(),
		volumeComponent(d),
		tenureComponent(d.FirstSeen, now),
	}
	var sum int64
	for _, c := range comps {
		sum += c.Points
	}
	score := min(max(sum, MinScore), MaxScore)
	if score != sum {
		comps = append(comps, ScoreComponent{
			Name: ComponentClamp, Points: score - sum,
			Detail: fmt.Sprintf("sum %d clamped to %d..%d", sum, MinScore, MaxScore),
		})
	}
	return Score{Address: p.Address, Score: uint32(score), Components: comps, AsOf: now}
}

// Volume is n, the lifetime count of completed trades and repayments (on
// time or late) the volume component is computed from.
func (p CreditProfile) Volume() uint64 {
	return satAdd(satAdd(p.TradeCount, p.OnTimeCount), p.LateCount)
}

func volumeComponent(p CreditProfile) ScoreComponent {
	n := p.Volume()
	bitLen := uint64(bits.Len64(n))
	return ScoreComponent{
		Name:   ComponentVolume,
		Points: int64(min(PointsPerVolumeBit*bitLen, CapVolume)),
		Detail: fmt.Sprintf("n=%d trades and repayments: %d x bits.Len64(n)=%d, cap %d", n, PointsPerVolumeBit, bitLen, CapVolume),
	}
}

func tenureComponent(firstSeen, now time.Time) ScoreComponent {
	days := uint64(max(now.Sub(firstSeen)/(24*time.Hour), 0))
	return ScoreComponent{
		Name:   ComponentTenure,
		Points: int64(min(days/DaysPerTenurePoint, CapTenure)),
		Detail: fmt.Sprintf("%d whole days since first seen / %d, cap %d", days, DaysPerTenurePoint, CapTenure),
	}
}

// eventPoints is round_half_up(milli * per / 1000), capped at cap; a product
// beyond 64 bits is over any cap.
func eventPoints(milli, per, cap uint64) int64 {
	hi, lo := bits.Mul64(milli, per)
	if hi != 0 {
		return int64(cap)
	}
	pts := lo / MilliPerEvent
	if lo%MilliPerEvent >= MilliPerEvent/2 {
		pts++
	}
	return int64(min(pts, cap))
}

// AddEvent adds one event (MilliPerEvent) to a decayed accumulator.
func AddEvent(acc uint64) uint64 { return satAdd(acc, MilliPerEvent) }

func satAdd(a, b uint64) uint64 {
	s, carry := bits.Add64(a, b, 0)
	if carry != 0 {
		return ^uint64(0)
	}
	return s
}

func milliString(m uint64) string { return fmt.Sprintf("%d.%03d", m/MilliPerEvent, m%MilliPerEvent) }
