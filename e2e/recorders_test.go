package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// labelKey is the canonical text of a label set: {a="1", b="2"}.
func labelKey(ls map[string]string) string {
	parts := make([]string, 0, len(ls))
	for _, k := range slices.Sorted(maps.Keys(ls)) {
		parts = append(parts, fmt.Sprintf("%s=%q", k, ls[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// postedAlert is one alert of a POST /api/v2/alerts.
type postedAlert struct {
	Labels       map[string]string `json:"labels"`
	StartsAt     time.Time         `json:"startsAt"`
	EndsAt       time.Time         `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
}

// post is one POST /api/v2/alerts that went through a tap.
type post struct {
	At     time.Time // when Alertmanager answered
	Status int       // Alertmanager's status, 502 when it did not answer
	Alerts []postedAlert
}

// tap sits between one alerting path and Alertmanager: it forwards every
// request and records the alerts posted, so that the test can tell what
// each path delivered although Alertmanager merges them.
type tap struct {
	URL    string
	target string
	client *http.Client

	mu    sync.Mutex
	posts []post
}

// startTap starts a tap in front of the Alertmanager at target.
func startTap(t *testing.T, target string) *tap {
	t.Helper()
	tp := &tap{target: target, client: &http.Client{Timeout: 10 * time.Second}}
	srv := httptest.NewServer(http.HandlerFunc(tp.serve))
	t.Cleanup(srv.Close)
	tp.URL = srv.URL
	return tp
}

// Host returns the tap's host:port, for Prometheus's static targets.
func (tp *tap) Host() string { return strings.TrimPrefix(tp.URL, "http://") }

func (tp *tap) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req, err := http.NewRequestWithContext(r.Context(), r.Method, tp.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	req.Header = r.Header.Clone()
	status, reply := http.StatusBadGateway, []byte("alertmanager unreachable")
	if resp, err := tp.client.Do(req); err == nil {
		reply, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		status = resp.StatusCode
	}
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/api/v2/alerts") {
		var as []postedAlert
		if err := json.Unmarshal(body, &as); err == nil {
			tp.mu.Lock()
			tp.posts = append(tp.posts, post{At: time.Now(), Status: status, Alerts: as})
			tp.mu.Unlock()
		}
	}
	w.WriteHeader(status)
	_, _ = w.Write(reply)
}

// firing returns the alerts this path holds firing in Alertmanager now:
// the latest accepted post of each label set has an endsAt in the future.
func (tp *tap) firing() map[string]map[string]string {
	now := time.Now()
	out := map[string]map[string]string{}
	for k, a := range tp.latest() {
		if a.EndsAt.After(now) {
			out[k] = a.Labels
		}
	}
	return out
}

// latest returns the last accepted post of every label set.
func (tp *tap) latest() map[string]postedAlert {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	out := map[string]postedAlert{}
	for _, p := range tp.posts {
		if p.Status/100 != 2 {
			continue
		}
		for _, a := range p.Alerts {
			out[labelKey(a.Labels)] = a
		}
	}
	return out
}

// resolvedSince reports whether an accepted post after since resolved the
// label set (endsAt at or before the post).
func (tp *tap) resolvedSince(key string, since time.Time) bool {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	for _, p := range tp.posts {
		if p.Status/100 != 2 || p.At.Before(since) {
			continue
		}
		for _, a := range p.Alerts {
			if labelKey(a.Labels) == key && !a.EndsAt.After(p.At) {
				return true
			}
		}
	}
	return false
}

// firstFiring returns when Alertmanager first accepted a firing alert of
// this path with the alertname after since.
func (tp *tap) firstFiring(alertname string, since time.Time) (time.Time, bool) {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	for _, p := range tp.posts {
		if p.Status/100 != 2 || p.At.Before(since) {
			continue
		}
		for _, a := range p.Alerts {
			if a.Labels["alertname"] == alertname && a.EndsAt.After(p.At) {
				return p.At, true
			}
		}
	}
	return time.Time{}, false
}

// names returns every alertname this path ever posted.
func (tp *tap) names() map[string]bool {
	out := map[string]bool{}
	for _, a := range tp.latest() {
		out[a.Labels["alertname"]] = true
	}
	return out
}

// notification is one webhook notification from Alertmanager.
type notification struct {
	Received    time.Time
	Status      string            `json:"status"`
	GroupLabels map[string]string `json:"groupLabels"`
	Alerts      []struct {
		Status       string            `json:"status"`
		Labels       map[string]string `json:"labels"`
		StartsAt     time.Time         `json:"startsAt"`
		GeneratorURL string            `json:"generatorURL"`
	} `json:"alerts"`
}

// webhook records every notification Alertmanager sends.
type webhook struct {
	URL string

	mu    sync.Mutex
	notes []notification
}

// startWebhook starts the receiver.
func startWebhook(t *testing.T) *webhook {
	t.Helper()
	h := &webhook{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n notification
		if err := json.NewDecoder(r.Body).Decode(&n); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		n.Received = time.Now()
		h.mu.Lock()
		h.notes = append(h.notes, n)
		h.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	h.URL = srv.URL + "/"
	return h
}

// notifications returns the notifications received so far.
func (h *webhook) notifications() []notification {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.notes)
}

// got reports whether a notification after since carried the label set
// with the status ("firing" or "resolved").
func (h *webhook) got(key, status string, since time.Time) bool {
	for _, n := range h.notifications() {
		if n.Received.Before(since) {
			continue
		}
		for _, a := range n.Alerts {
			if a.Status == status && labelKey(a.Labels) == key {
				return true
			}
		}
	}
	return false
}
