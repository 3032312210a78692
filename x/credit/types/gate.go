package types

import (
	errorsmod "cosmossdk.io/errors"
)

// gateInfo says what a gate allows and which param sets its minimum.
type gateInfo struct {
	gate   Gate
	action string
	param  string
	min    func(Params) uint32
}

var gates = []gateInfo{
	{GATE_APPLY, "apply for an asset", "min_score_apply", func(p Params) uint32 { return p.MinScoreApply }},
	{GATE_PLEDGE, "pledge", "min_score_pledge", func(p Params) uint32 { return p.MinScorePledge }},
	{GATE_BUY_ON_CREDIT, "buy on credit", "min_score_buy_on_credit", func(p Params) uint32 { return p.MinScoreBuyOnCredit }},
}

func lookupGate(g Gate) (gateInfo, error) {
	for _, info := range gates {
		if info.gate == g {
			return info, nil
		}
	}
	return gateInfo{}, errorsmod.Wrapf(ErrInvalidGate, "%s: use GATE_APPLY, GATE_PLEDGE or GATE_BUY_ON_CREDIT", g)
}

// Validate accepts the defined gates other than GATE_UNSPECIFIED.
func (g Gate) Validate() error {
	_, err := lookupGate(g)
	return err
}

// GateMinimum is what a gate requires: the minimum score, the param that
// sets it and the action it allows (for error messages).
type GateMinimum struct {
	Min    uint32
	Param  string
	Action string
}

// Minimum returns the minimum score gate g requires under these params.
func (p Params) Minimum(g Gate) (GateMinimum, error) {
	info, err := lookupGate(g)
	if err != nil {
		return GateMinimum{}, err
	}
	return GateMinimum{Min: info.min(p), Param: info.param, Action: info.action}, nil
}
