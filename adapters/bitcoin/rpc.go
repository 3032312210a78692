package bitcoin

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/btcsuite/btcd/btcjson"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// errUnseen is wrapped when the node knows no transaction by that id. It
// is htlc.ErrNotFound, but not final: a transaction broadcast elsewhere
// may not have reached this node yet, and btcd forgets its mempool when
// it restarts.
var errUnseen = fmt.Errorf("%w: transaction not known to the node", htlc.ErrNotFound)

// call runs one node call and returns when it answers or ctx ends. The
// rpcclient takes no context and retries a refused connection for about
// 20 seconds (a hung node, forever), so without this a restarting node
// would hold the caller past its deadline. An abandoned call finishes in
// the background (unless Close stops the client mid-retry: rpcclient then
// never answers it, and its goroutine stays blocked).
func call[T any](ctx context.Context, rpc func() (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	type answer struct {
		v   T
		err error
	}
	done := make(chan answer, 1)
	go func() {
		v, err := rpc()
		done <- answer{v, err}
	}()
	select {
	case a := <-done:
		return a.v, a.err
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// withLast adds the last node error seen to err, the end of a wait.
func withLast(err, last error) error {
	if last == nil {
		return err
	}
	return fmt.Errorf("%w (last node error: %v)", err, last)
}

// isNoTxInfo reports btcd's "no information" answer (unknown tx or an
// address never used).
func isNoTxInfo(err error) bool {
	var rpcErr *btcjson.RPCError
	return errors.As(err, &rpcErr) && rpcErr.Code == btcjson.ErrRPCNoTxInfo
}

// isRefusal reports a node that answered and refused a transaction, as
// opposed to a call that failed on the way (the node may then have it).
func isRefusal(err error) bool {
	var rpcErr *btcjson.RPCError
	return errors.As(err, &rpcErr)
}

// isDuplicate reports a node refusing a transaction it already has: what
// rpcclient's own retry of a sendrawtransaction whose reply was lost
// gets back.
func isDuplicate(err error) bool {
	var rpcErr *btcjson.RPCError
	if !errors.As(err, &rpcErr) {
		return false
	}
	return rpcErr.Code == btcjson.ErrRPCTxAlreadyInChain || strings.Contains(rpcErr.Message, "already have transaction")
}

// isFinal reports an error waiting cannot cure: the contract's terms or
// script are wrong, its funding transaction has no such output, or the
// spend found is not one the script takes. Node and network errors and a
// funding transaction the node has not seen (errUnseen) are not final.
func isFinal(err error) bool {
	switch {
	case err == nil, errors.Is(err, errUnseen):
		return false
	case errors.Is(err, htlc.ErrNotFound), errors.Is(err, htlc.ErrTermsMismatch), errors.Is(err, htlc.ErrInvalidTerms),
		errors.Is(err, errWitness), errors.Is(err, hashlock.ErrSecretLength), errors.Is(err, hashlock.ErrWrongSecret):
		return true
	}
	return false
}
