package ec2sim

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// apiVersion is the EC2 API version hawatch's SDK speaks.
const apiVersion = "2016-11-15"

// xmlns is the namespace of every EC2 success reply.
const xmlns = "http://ec2.amazonaws.com/doc/" + apiVersion + "/"

// ownerID is the account that owns every simulated resource.
const ownerID = "123456789012"

// action answers one EC2 action from a world.
type action func(w *World, r *request) (reply, *apiError)

// reply is a success body; the handler stamps it before encoding.
type reply interface {
	stamp(requestID string)
}

// header starts every success reply.
type header struct {
	Xmlns     string `xml:"xmlns,attr"`
	RequestID string `xml:"requestId"`
}

func (h *header) stamp(requestID string) {
	h.Xmlns = xmlns
	h.RequestID = requestID
}

// set is an EC2 list: an element holding <item> children. It is written
// even when empty, as EC2 does.
type set[T any] struct {
	Items []T `xml:"item"`
}

var actions = map[string]action{
	"DescribeInstances":         describeInstances,
	"DescribeInstanceStatus":    describeInstanceStatus,
	"DescribeNetworkInterfaces": describeNetworkInterfaces,
	"DescribeSubnets":           describeSubnets,
	"DescribeRouteTables":       describeRouteTables,
	"DescribeAddresses":         describeAddresses,
}

// Handler serves the EC2 Query API from a Backend. It is safe for
// concurrent use.
type Handler struct {
	backend Backend
	logger  *slog.Logger

	mu    sync.Mutex
	calls map[string]int
}

// NewHandler returns a Handler answering from b. A nil logger discards logs.
func NewHandler(b Backend, logger *slog.Logger) *Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Handler{backend: b, logger: logger, calls: map[string]int{}}
}

// Actions returns the distinct actions called so far, sorted: EC2 actions
// by name ("DescribeInstances"), IAM actions as "iam:GetInstanceProfile".
func (h *Handler) Actions() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]string, 0, len(h.calls))
	for a := range h.calls {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// Calls returns how often each action was called so far, including calls
// answered with an error.
func (h *Handler) Calls() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[string]int, len(h.calls))
	for a, n := range h.calls {
		out[a] = n
	}
	return out
}

// ServeHTTP answers one EC2 or IAM Query API request; the Action decides
// which API answers, in that API's own reply and error shapes.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := newRequestID()
	req, out, err := h.serve(r)
	if err != nil {
		h.logger.Debug("ec2 request failed", "action", req.action, "code", err.code, "request_id", requestID)
		if isIAMAction(req.action) {
			writeIAMError(w, err, requestID)
			return
		}
		writeError(w, err, requestID)
		return
	}
	out.stamp(requestID)
	if isIAMAction(req.action) {
		w.Header().Set("X-Amzn-Requestid", requestID)
	}
	h.logger.Debug("ec2 request", "action", req.action, "request_id", requestID)
	writeXML(w, http.StatusOK, out)
}

func (h *Handler) serve(r *http.Request) (*request, reply, *apiError) {
	req := &request{}
	// Every real EC2 request is SigV4-signed; an unsigned one never
	// reaches the action.
	if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=") {
		return req, nil, errAuthFailure()
	}
	r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return req, nil, errInvalidParameterValue("The request body is malformed")
	}
	req.form = r.Form
	req.action = r.Form.Get("Action")
	if req.action == "" {
		return req, nil, errMissingParameter("Action")
	}
	if iact, ok := iamActions[req.action]; ok {
		out, err := h.serveIAM(r, req, iact)
		return req, out, err
	}
	act, ok := actions[req.action]
	if !ok {
		return req, nil, errInvalidAction(req.action)
	}
	if r.Form.Get("Version") == "" {
		return req, nil, errMissingParameter("Version")
	}
	h.record(req.action)

	world := h.backend.World()
	if err := delay(r, world.Faults.DelayMillis); err != nil {
		return req, nil, err
	}
	if world.Faults.Throttle {
		return req, nil, errThrottled()
	}
	if slices.Contains(world.Faults.Unauthorized, req.action) {
		return req, nil, errUnauthorized(req.action)
	}
	if req.bool("DryRun") {
		return req, nil, errDryRun()
	}
	out, err := act(&world, req)
	return req, out, err
}

func (h *Handler) record(action string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls[action]++
}

// delay holds the reply back, giving up when the client does.
func delay(r *http.Request, millis int) *apiError {
	if millis <= 0 {
		return nil
	}
	t := time.NewTimer(time.Duration(millis) * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-r.Context().Done():
		return &apiError{http.StatusServiceUnavailable, "RequestCanceled", "The client went away."}
	}
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
