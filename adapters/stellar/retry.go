package stellar

import (
	"errors"
	"net/http"

	"github.com/stellar/go-stellar-sdk/clients/horizonclient"
)

// transientError is a question to Horizon that got no definite answer: no
// response, a timeout, a 5xx or 429, a body that was not Horizon's, or
// a read that raced a settlement. Asking again may answer it, so Status
// and WatchSecret do until their context ends.
type transientError struct{ err error }

func (e *transientError) Error() string { return e.err.Error() }
func (e *transientError) Unwrap() error { return e.err }

// horizonError marks err transient unless Horizon answered definitely: a
// problem with a 4xx status other than 408 and 429.
func horizonError(err error) error {
	if err == nil {
		return nil
	}
	var herr *horizonclient.Error
	if !errors.As(err, &herr) {
		return &transientError{err: err}
	}
	status := herr.Problem.Status
	if herr.Response != nil {
		status = herr.Response.StatusCode
	}
	if status >= 500 || status == http.StatusRequestTimeout || status == http.StatusTooManyRequests {
		return &transientError{err: err}
	}
	return err
}

func isTransient(err error) bool {
	var t *transientError
	return errors.As(err, &t)
}
