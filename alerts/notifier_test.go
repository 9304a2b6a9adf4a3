package alerts

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/alertmanager/api/v2/models"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hawatch/hawatch/config"
)

// waitTimeout bounds every wait for an event; tests never sleep.
const waitTimeout = 10 * time.Second

// amServer is a fake Alertmanager that records what it receives and
// answers with the statuses queued in codes (200 once they run out).
type amServer struct {
	*httptest.Server
	mu       sync.Mutex
	codes    []int
	requests int
	alerts   []*models.PostableAlert
	headers  []http.Header
	got      chan struct{}
}

// newAMServer starts a fake Alertmanager.
func newAMServer(t *testing.T, codes ...int) *amServer {
	s := &amServer{codes: codes, got: make(chan struct{}, 100)}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.Close)
	return s
}

// handle answers one request.
func (s *amServer) handle(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	s.headers = append(s.headers, r.Header.Clone())
	if r.URL.Path != "/api/v2/alerts" || r.Method != http.MethodPost {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	code := http.StatusOK
	if len(s.codes) > 0 {
		code, s.codes = s.codes[0], s.codes[1:]
	}
	if code != http.StatusOK {
		http.Error(w, "refused: boom", code)
		return
	}
	var as models.PostableAlerts
	if err := json.NewDecoder(r.Body).Decode(&as); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.alerts = append(s.alerts, as...)
	s.got <- struct{}{}
}

// header returns the headers of the i-th request.
func (s *amServer) header(i int) http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.headers[i]
}

// count returns how many requests the server answered.
func (s *amServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// posted returns the alerts received so far.
func (s *amServer) posted() []*models.PostableAlert {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.alerts)
}

// received returns the alertnames received so far.
func (s *amServer) received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, a := range s.alerts {
		out = append(out, a.Labels[LabelAlertName])
	}
	return out
}

// waitAlerts waits until n alerts have been received.
func (s *amServer) waitAlerts(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(waitTimeout)
	for len(s.received()) < n {
		select {
		case <-s.got:
		case <-deadline:
			t.Fatalf("received %q, want %d alerts", s.received(), n)
		}
	}
}

// testNotifier is a notifier under test with its attempts observable.
type testNotifier struct {
	*Notifier
	attempts chan error
	reg      *prometheus.Registry
}

// startNotifier creates a notifier with fast retries; run starts it.
func newTestNotifier(t *testing.T, cfg config.AlertmanagerConfig, logger *slog.Logger) *testNotifier {
	t.Helper()
	reg := prometheus.NewRegistry()
	n, err := NewNotifier(NotifierOptions{Config: cfg, Logger: logger, Registerer: reg,
		MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	tn := &testNotifier{Notifier: n, attempts: make(chan error, 1000), reg: reg}
	for _, s := range n.senders {
		s.attempted = func(err error) {
			select {
			case tn.attempts <- err:
			default: // a sender retrying a dead port must not block
			}
		}
	}
	return tn
}

// run starts the notifier until the test ends.
func (tn *testNotifier) run(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = tn.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		tn.Stop()
		<-done
	})
}

// nextAttempt waits for the outcome of the next request.
func (tn *testNotifier) nextAttempt(t *testing.T) error {
	t.Helper()
	select {
	case err := <-tn.attempts:
		return err
	case <-time.After(waitTimeout):
		t.Fatal("no delivery attempt")
		return nil
	}
}

// counter reads one notifier metric of an Alertmanager.
func (tn *testNotifier) counter(vec *prometheus.CounterVec, host string) float64 {
	return testutil.ToFloat64(vec.WithLabelValues(host))
}

// testAlert returns a firing alert with the given name.
func testAlert(name string) Alert {
	return Alert{
		Labels:       map[string]string{LabelAlertName: name, LabelPair: "p1", LabelSeverity: "warning"},
		Annotations:  map[string]string{AnnotationSummary: "s " + name},
		State:        StateFiring,
		ActiveAt:     t0,
		FiredAt:      at(time.Minute),
		ValidUntil:   at(5 * time.Minute),
		GeneratorURL: "http://hawatch.example:9799/",
	}
}

// hostOf returns the host:port of a test server.
func hostOf(s *amServer) string { return s.Listener.Addr().String() }

func TestNotifierDeliversToEveryAlertmanager(t *testing.T) {
	s1, s2 := newAMServer(t), newAMServer(t)
	tn := newTestNotifier(t, config.AlertmanagerConfig{URLs: []string{s1.URL, s2.URL + "/"}}, nil)
	tn.run(t)
	resolved := testAlert("B")
	resolved.State, resolved.ResolvedAt = StateInactive, at(3*time.Minute)
	tn.Send(testAlert("A"), resolved)
	for _, s := range []*amServer{s1, s2} {
		s.waitAlerts(t, 2)
		tn.nextAttempt(t)
	}
	for _, s := range []*amServer{s1, s2} {
		if got := s.received(); !slices.Equal(got, []string{"A", "B"}) {
			t.Errorf("%s received %q", s.URL, got)
		}
		a, b := s.posted()[0], s.posted()[1]
		if time.Time(a.StartsAt) != at(time.Minute) || time.Time(a.EndsAt) != at(5*time.Minute) {
			t.Errorf("firing alert times %v %v", a.StartsAt, a.EndsAt)
		}
		if time.Time(b.EndsAt) != at(3*time.Minute) {
			t.Errorf("resolved alert endsAt %v", b.EndsAt)
		}
		if a.Annotations[AnnotationSummary] != "s A" || a.GeneratorURL != "http://hawatch.example:9799/" || a.Labels[LabelPair] != "p1" {
			t.Errorf("alert %+v", a)
		}
		if ct := s.header(0).Get("Content-Type"); ct != "application/json" {
			t.Errorf("content type %q", ct)
		}
		if got := tn.counter(tn.metrics.sent, hostOf(s)); got != 2 {
			t.Errorf("sent_total %v", got)
		}
	}
}

func TestNotifierRetries5xx(t *testing.T) {
	s := newAMServer(t, 503, 500)
	tn := newTestNotifier(t, config.AlertmanagerConfig{URLs: []string{s.URL}}, nil)
	tn.run(t)
	tn.Send(testAlert("A"))
	for range 2 {
		if err := tn.nextAttempt(t); err == nil {
			t.Fatal("5xx reported as success")
		}
	}
	if err := tn.nextAttempt(t); err != nil {
		t.Fatalf("third attempt: %v", err)
	}
	host := hostOf(s)
	if f, sent := tn.counter(tn.metrics.failed, host), tn.counter(tn.metrics.sent, host); f != 2 || sent != 1 {
		t.Errorf("failed %v sent %v, want 2 and 1", f, sent)
	}
}

func TestNotifier4xxNotRetried(t *testing.T) {
	s := newAMServer(t, 400)
	tn := newTestNotifier(t, config.AlertmanagerConfig{URLs: []string{s.URL}}, nil)
	tn.run(t)
	tn.Send(testAlert("A"))
	if err := tn.nextAttempt(t); err == nil {
		t.Fatal("4xx reported as success")
	}
	tn.Send(testAlert("B"))
	if err := tn.nextAttempt(t); err != nil {
		t.Fatal(err)
	}
	if got := s.received(); !slices.Equal(got, []string{"B"}) {
		t.Errorf("received %q: the rejected alert was retried", got)
	}
	host := hostOf(s)
	if s.count() != 2 || tn.counter(tn.metrics.dropped, host) != 1 || tn.counter(tn.metrics.failed, host) != 1 {
		t.Errorf("requests %d dropped %v failed %v", s.count(),
			tn.counter(tn.metrics.dropped, host), tn.counter(tn.metrics.failed, host))
	}
}

func TestNotifierDeliversWhenAlertmanagerComesBack(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	var logs syncBuffer
	tn := newTestNotifier(t, config.AlertmanagerConfig{URLs: []string{"http://" + addr}},
		slog.New(slog.NewTextHandler(&logs, nil)))
	tn.run(t)
	tn.Send(testAlert("A"))
	for range 3 {
		if err := tn.nextAttempt(t); err == nil {
			t.Fatal("delivered to a closed port")
		}
	}
	tn.Send(testAlert("B"))
	s := &amServer{got: make(chan struct{}, 100)}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.handle))
	if s.Listener, err = net.Listen("tcp", addr); err != nil {
		t.Skipf("cannot listen again on %s: %v", addr, err)
	}
	s.Start()
	t.Cleanup(s.Close)
	for tn.nextAttempt(t) != nil {
	}
	if got := s.received(); !slices.Equal(got, []string{"A", "B"}) {
		t.Errorf("received %q", got)
	}
	for line, want := range map[string]int{"alertmanager is unreachable": 1, "alertmanager is reachable again": 1} {
		if n := strings.Count(logs.String(), line); n != want {
			t.Errorf("%d lines %q, want %d:\n%s", n, line, want, logs.String())
		}
	}
}

// syncBuffer is a bytes.Buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestNotifierQueueOverflowCountsDrops(t *testing.T) {
	s := newAMServer(t)
	tn := newTestNotifier(t, config.AlertmanagerConfig{URLs: []string{s.URL}, QueueCapacity: 3}, nil)
	for _, name := range []string{"A", "B", "C", "D", "E"} {
		tn.Send(testAlert(name))
	}
	tn.Send(testAlert("E")) // supersedes the queued E, no drop
	host := hostOf(s)
	if d := tn.counter(tn.metrics.dropped, host); d != 2 {
		t.Errorf("dropped %v, want 2", d)
	}
	if q := testutil.ToFloat64(tn.metrics.queueLength.WithLabelValues(host)); q != 3 {
		t.Errorf("queue length %v, want 3", q)
	}
	if c := testutil.ToFloat64(tn.metrics.queueCapacity); c != 3 {
		t.Errorf("queue capacity %v", c)
	}
	tn.run(t)
	tn.nextAttempt(t)
	if got := s.received(); !slices.Equal(got, []string{"C", "D", "E"}) {
		t.Errorf("received %q, want the newest three", got)
	}
}

func TestNotifierRunsUntilStopped(t *testing.T) {
	n, err := NewNotifier(NotifierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n.Send(testAlert("A")) // no Alertmanager: nothing to do
	done := make(chan error)
	go func() { done <- n.Run(context.Background()) }()
	select {
	case err := <-done:
		t.Fatalf("Run returned before Stop: %v", err)
	default:
	}
	n.Stop()
	n.Stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
