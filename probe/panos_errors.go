package probe

import (
	"errors"
	"fmt"
)

// ErrMalformed is wrapped by every error about a reply that is not the
// expected XML document (truncated, HTML from a proxy, wrong root).
var ErrMalformed = errors.New("malformed reply")

// APIError is an error reply of the PAN-OS XML API.
type APIError struct {
	Status  string // response/@status: error, failed, unauth
	Code    int    // response/@code; 0 when absent
	Message string
	// HTTPStatus is the HTTP status of the reply when it was not 2xx (PAN-OS
	// answers a refused key with 403); 0 otherwise.
	HTTPStatus int
}

// Error returns the message with its code.
func (e *APIError) Error() string {
	s := "pan-os api error: " + e.Message
	if e.Code != 0 {
		s = fmt.Sprintf("pan-os api error %d: %s", e.Code, e.Message)
	}
	if e.HTTPStatus != 0 {
		s += fmt.Sprintf(" (http %d)", e.HTTPStatus)
	}
	return s
}

// Unsupported reports an op command the release does not know (code 17, or
// code 1 "Unknown command").
func (e *APIError) Unsupported() bool { return e.Code == 17 || e.Code == 1 }

// AuthFailed reports an invalid or expired key or missing rights (HTTP or
// code 403, code 16, status unauth).
func (e *APIError) AuthFailed() bool {
	return e.Code == 403 || e.Code == 16 || e.Status == "unauth"
}

// ErrPanic is wrapped by the error of a command during which pango or a
// parser panicked; the panic was recovered and only that command failed.
var ErrPanic = errors.New("panic")

// ErrBusy is wrapped by the error of a command that could not start because
// the peer's previous request, abandoned at its deadline, is still running.
var ErrBusy = errors.New("previous request still running")

// ErrReplyTooLarge is wrapped by the error of a reply longer than the
// peer's MaxReplyBytes; the rest of the reply is not read.
var ErrReplyTooLarge = errors.New("reply too large")

// HTTPError is a reply refused for its HTTP status: a redirect, which is
// never followed, or a non-2xx reply that is not a PAN-OS error document.
type HTTPError struct {
	StatusCode int
	Status     string // as the server sent it, e.g. "502 Bad Gateway"
	// Err tells what else is wrong with the reply (e.g. an HTML page); may
	// be nil.
	Err error
}

// Error names the HTTP status.
func (e *HTTPError) Error() string {
	s := "http " + e.Status
	if e.Status == "" {
		s = fmt.Sprintf("http %d", e.StatusCode)
	}
	if e.StatusCode >= 300 && e.StatusCode < 400 {
		s += ": redirect refused"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns what else is wrong with the reply.
func (e *HTTPError) Unwrap() error { return e.Err }
