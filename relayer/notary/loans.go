package notary

import (
	"context"
	"fmt"

	"github.com/cosmos/cosmos-sdk/types/query"

	assettypes "github.com/vinhub/vinhub/x/asset/types"
	"github.com/vinhub/vinhub/x/notary/types"
)

// loansPage is how many active loans one query asks for.
const loansPage = 100

// LoanAccounts lists, from the hub, the lenders' accounts on a platform's
// network named in the foreign repayment terms of active loans: the
// accounts a notary configured to follow loans watches besides its own list.
func LoanAccounts(q assettypes.QueryClient, platform types.Platform, networkID string) func(context.Context) ([]string, error) {
	return func(ctx context.Context) ([]string, error) {
		var out []string
		page := &query.PageRequest{Limit: loansPage}
		for {
			res, err := q.OpenLoans(ctx, &assettypes.QueryOpenLoansRequest{Pagination: page})
			if err != nil {
				return nil, fmt.Errorf("active loans: %w", err)
			}
			for _, l := range res.Loans {
				for _, t := range l.ForeignRepayments {
					if t.Platform == platform.Name() && t.NetworkId == networkID {
						out = append(out, t.Account)
					}
				}
			}
			if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
				return out, nil
			}
			page = &query.PageRequest{Key: res.Pagination.NextKey, Limit: loansPage}
		}
	}
}
