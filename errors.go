package o365

import (
	"errors"
	"fmt"
	"strings"

	"github.com/go-o365/o365/api"
	"golang.org/x/oauth2"
)

// GraphError is an error answer from Graph; see api.GraphError.
type GraphError = api.GraphError

// Sentinels matched with errors.Is against a *GraphError.
var (
	ErrBadRequest         = api.ErrBadRequest
	ErrUnauthorized       = api.ErrUnauthorized
	ErrForbidden          = api.ErrForbidden
	ErrNotFound           = api.ErrNotFound
	ErrConflict           = api.ErrConflict
	ErrGone               = api.ErrGone
	ErrPreconditionFailed = api.ErrPreconditionFailed
	ErrThrottled          = api.ErrThrottled
	ErrServiceUnavailable = api.ErrServiceUnavailable
	ErrSyncStateNotFound  = api.ErrSyncStateNotFound
)

// Errors of servers that would keep a call going for ever.
var (
	// ErrPagingLoop: a collection's next link repeats a page already read,
	// or empty pages come without end.
	ErrPagingLoop = api.ErrPagingLoop
	// ErrResponseTooLarge: a JSON answer longer than WithMaxResponseSize.
	ErrResponseTooLarge = api.ErrResponseTooLarge
)

// Errors of authentication and user switching.
var (
	// ErrNotAuthenticated: no usable token for the user; call Authenticate.
	ErrNotAuthenticated = errors.New("o365: not authenticated")
	// ErrUnknownUser: SetUsername or As named a user the token backend
	// holds no token for.
	ErrUnknownUser = errors.New("o365: unknown user")
	// ErrStateMismatch: the redirected URL's state is not the one sent,
	// so it does not answer this sign-in (or it was forged).
	ErrStateMismatch = errors.New("o365: state in the redirected URL does not match")
	// ErrNoAuthorizationCode: the redirected URL carries no code.
	ErrNoAuthorizationCode = errors.New("o365: redirected URL has no authorization code")
)

// AuthError is an error answer of the identity platform's token or
// device-code endpoint, such as invalid_grant for a revoked refresh token.
type AuthError struct {
	StatusCode  int    // HTTP status
	Code        string // OAuth error code, e.g. "invalid_grant"
	Description string // error_description, e.g. "AADSTS70008: …"
	Err         error  // the underlying error
}

// Error describes the failure without any credential.
func (e *AuthError) Error() string {
	s := "o365: identity platform"
	if e.StatusCode != 0 {
		s += fmt.Sprintf(" answered %d", e.StatusCode)
	}
	if e.Code != "" {
		s += ": " + e.Code
	}
	if e.Description != "" {
		s += ": " + firstLine(e.Description)
	}
	if e.Code == "" && e.Description == "" && e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *AuthError) Unwrap() error { return e.Err }

func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// describeOAuthError turns x/oauth2's errors into an *AuthError.
func describeOAuthError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		return &AuthError{StatusCode: status, Code: re.ErrorCode, Description: re.ErrorDescription, Err: err}
	}
	return err
}
