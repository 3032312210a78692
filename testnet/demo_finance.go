package testnet

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Finance demo key names: an owner, an examiner and a lender with their
// roles granted in genesis (FinanceDemoRoles), and a regulator.
const (
	DemoOwner     = "car-owner"
	DemoExaminer  = "examiner"
	DemoLender    = "lender"
	DemoRegulator = "regulator"
	// DemoGarageCustomer owns the garage's car and borrows in lumens in the
	// notary demo (its own account: the finance demo's owner has defaulted
	// and its credit score no longer allows a pledge).
	DemoGarageCustomer = "garage-customer"
)

// FinanceDemoRoles are the genesis role grants RunFinanceDemo needs.
var FinanceDemoRoles = map[string]string{DemoExaminer: "examiner", DemoLender: "lender", DemoRegulator: "regulator"}

// FinanceDemoKeys are the funded keys RunFinanceDemo needs.
var FinanceDemoKeys = []string{DemoOwner, DemoExaminer, DemoLender, DemoRegulator, DemoGarageCustomer}

// FinanceOutcome is what the finance demo reads back from the chain.
type FinanceOutcome struct {
	// RepaidLoan and DefaultedLoan are the two loans' final states.
	RepaidLoan, DefaultedLoan Loan
	// FinalOwner is who holds the car's title at the end (the lender, after the default).
	FinalOwner string
	// ScoreAfter is the owner's credit score with its breakdown at the end.
	ScoreAfter CreditScore
	// LienAfterRepay is whether the VIN had an active lien right after the repayment.
	LienAfterRepay bool
}

// Loan is the part of an x/asset loan the demo reads.
type Loan struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	LienID   string `json:"lien_id"`
	Borrower string `json:"borrower"`
	Late     bool   `json:"late"`
	// Repaid is what the borrower paid back (repaid loans).
	Repaid *struct{ Amount, Denom string } `json:"repaid"`
}

// CreditScore is an x/credit score with its breakdown.
type CreditScore struct {
	Score      int              `json:"score"`
	Components []ScoreComponent `json:"components"`
}

// ScoreComponent is one term of a credit score's breakdown.
type ScoreComponent struct {
	Name string `json:"name"`
	// Points is an int64 in proto JSON: a string, omitted when zero.
	Points string `json:"points"`
	Detail string `json:"detail"`
}

// PointsValue is Points as a number (0 when omitted).
func (c ScoreComponent) PointsValue() int {
	p, _ := strconv.Atoi(c.Points)
	return p
}

// RunFinanceDemo takes DemoVIN (which must have a history on the hub) from
// application to financing: an owner applies, the examiner values it, a
// lender's loan is pledged and repaid (the lien comes and goes), then a
// second loan is pledged, left unpaid past maturity and declared in default,
// which moves the title to the lender. It prints what a user would see.
func RunFinanceDemo(ctx context.Context, n *Node, out io.Writer) (FinanceOutcome, error) {
	say := func(format string, args ...any) { fmt.Fprintf(out, "==> "+format+"\n", args...) }
	var res FinanceOutcome
	addr := map[string]string{}
	for _, k := range FinanceDemoKeys {
		a, err := n.KeyAddress(ctx, k)
		if err != nil {
			return res, err
		}
		addr[k] = a
	}
	if err := RegisterDemoCar(ctx, n, DemoOwner, say); err != nil {
		return res, err
	}

	say("the lender offers 10000stake at 12%%/year for 30 days (escrowed); the owner pledges the car and receives it")
	if err := n.financeOnce(ctx, addr[DemoOwner], "1", "720h"); err != nil {
		return res, err
	}
	var lien struct {
		Active *struct {
			ID     string `json:"id"`
			Holder struct {
				Module    string `json:"module"`
				Reference string `json:"reference"`
			} `json:"holder"`
		} `json:"active"`
	}
	if err := n.Query(ctx, &lien, "vehicle", "lien-by-vin", DemoVIN); err != nil {
		return res, err
	}
	if lien.Active == nil {
		return res, fmt.Errorf("demo: no active lien on %s after the pledge", DemoVIN)
	}
	say("the hub's lien registry now shows lien %s on %s held by module %s for %s: no one else can pledge this car",
		lien.Active.ID, DemoVIN, lien.Active.Holder.Module, lien.Active.Holder.Reference)

	var due struct {
		AmountDue struct{ Amount, Denom string } `json:"amount_due"`
	}
	if err := n.Query(ctx, &due, "asset", "loan", "1"); err != nil {
		return res, err
	}
	say("loan 1 costs %s%s to repay now; the owner repays it", due.AmountDue.Amount, due.AmountDue.Denom)
	if err := n.mustTx(ctx, DemoOwner, "asset", "repay", "1"); err != nil {
		return res, err
	}
	lien.Active = nil // the answer omits the field when the VIN is free
	if err := n.Query(ctx, &lien, "vehicle", "lien-by-vin", DemoVIN); err != nil {
		return res, err
	}
	res.LienAfterRepay = lien.Active != nil
	say("repaid: title back with the owner, lien released (active lien now: %v)", res.LienAfterRepay)

	say("a second loan, for 5 seconds, is pledged and not repaid")
	if err := n.financeOnce(ctx, addr[DemoOwner], "1", "5s"); err != nil {
		return res, err
	}
	select {
	case <-ctx.Done():
		return res, ctx.Err()
	case <-time.After(7 * time.Second):
	}
	say("after maturity the lender declares loan 2 in default: the title moves to the lender")
	if err := n.mustTx(ctx, DemoLender, "asset", "declare-default", "2"); err != nil {
		return res, err
	}
	return n.readFinanceOutcome(ctx, addr[DemoOwner], say)
}

// RegisterDemoCar has owner apply to register DemoVIN (recorded on the hub
// by RunVehicleDemo) as a vehicle asset, and the examiner approve it at
// 20000stake. It must be the hub's first asset (id 1).
func RegisterDemoCar(ctx context.Context, n *Node, owner string, say func(string, ...any)) error {
	evidence := documentHash
	say("%s applies to register %s as a vehicle asset (evidence: hash of the title deed scan)", owner, DemoVIN)
	if err := n.mustTx(ctx, owner, "asset", "apply", "vehicle", "2003 Honda Accord, silver", evidence("title deed scan"), "--vin", DemoVIN); err != nil {
		return err
	}
	say("the examiner inspects it and approves it at 20000stake")
	return n.mustTx(ctx, DemoExaminer, "asset", "approve", "1", "20000stake", evidence("examiner report 1"))
}

// financeOnce has the lender offer a loan of 10000stake at 12% on asset to
// owner for term, and the owner pledge the asset for it; the loan id is the next one.
func (n *Node) financeOnce(ctx context.Context, owner, asset, term string) error {
	if err := n.mustTx(ctx, DemoLender, "asset", "offer-loan", asset, owner, "10000stake", "1200", term); err != nil {
		return err
	}
	var offered struct{ Loans []Loan }
	if err := n.Query(ctx, &offered, "asset", "loans", "offered"); err != nil {
		return err
	}
	if len(offered.Loans) != 1 {
		return fmt.Errorf("demo: expected one open loan offer, got %d", len(offered.Loans))
	}
	return n.mustTx(ctx, DemoOwner, "asset", "pledge", offered.Loans[0].ID)
}

func (n *Node) readFinanceOutcome(ctx context.Context, owner string, say func(string, ...any)) (FinanceOutcome, error) {
	var res FinanceOutcome
	for id, dst := range map[string]*Loan{"1": &res.RepaidLoan, "2": &res.DefaultedLoan} {
		var l struct{ Loan Loan }
		if err := n.Query(ctx, &l, "asset", "loan", id); err != nil {
			return res, err
		}
		*dst = l.Loan
	}
	var a struct {
		Asset struct{ Owner string } `json:"asset"`
	}
	if err := n.Query(ctx, &a, "asset", "asset", "1"); err != nil {
		return res, err
	}
	res.FinalOwner = a.Asset.Owner
	var s struct{ Score CreditScore }
	if err := n.Query(ctx, &s, "credit", "score", owner); err != nil {
		return res, err
	}
	res.ScoreAfter = s.Score
	say("loan 1 %s, loan 2 %s; the car's title is now held by %s", res.RepaidLoan.Status, res.DefaultedLoan.Status, res.FinalOwner)
	say("the owner's credit score is %d:", res.ScoreAfter.Score)
	for _, c := range res.ScoreAfter.Components {
		say("    %-20s %6d  %s", c.Name, c.PointsValue(), c.Detail)
	}
	var defaults struct{ Loans []Loan }
	if err := n.Query(ctx, &defaults, "asset", "defaults"); err != nil {
		return res, err
	}
	say("the regulator's view of defaults lists %d loan(s)", len(defaults.Loans))
	return res, nil
}
