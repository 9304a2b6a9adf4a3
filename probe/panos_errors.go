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
}

// Error returns the message with its code.
func (e *APIError) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("pan-os api error %d: %s", e.Code, e.Message)
	}
	return "pan-os api error: " + e.Message
}

// Unsupported reports an op command the release does not know (code 17, or
// code 1 "Unknown command").
func (e *APIError) Unsupported() bool { return e.Code == 17 || e.Code == 1 }

// AuthFailed reports an invalid or expired key or missing rights (HTTP or
// code 403, code 16, status unauth).
func (e *APIError) AuthFailed() bool {
	return e.Code == 403 || e.Code == 16 || e.Status == "unauth"
}
