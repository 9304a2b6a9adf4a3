package alerts

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/config"
)

// TestEvalSelfNotificationsFailing follows one Alertmanager that fails for
// longer than the hold and then recovers.
func TestEvalSelfNotificationsFailing(t *testing.T) {
	e := NewEngine(EngineOptions{})
	failing := map[string]string{"am-1:9093": "connection refused"}
	if due := e.EvalSelf(t0, failing); len(due) != 0 {
		t.Fatalf("pending alerts are not sent: %v", due)
	}
	due := e.EvalSelf(t0.Add(5*time.Minute), failing)
	if len(due) != 1 || due[0].State != StateFiring {
		t.Fatalf("after the hold: %+v", due)
	}
	a := due[0]
	want := map[string]string{LabelAlertName: "HAWatchNotificationsFailing", LabelAlertmanager: "am-1:9093", LabelSeverity: "warning"}
	if !maps.Equal(a.Labels, want) {
		t.Errorf("labels %v, want %v (no pair label)", a.Labels, want)
	}
	if d := a.Annotations[AnnotationDescription]; d == "" || !strings.Contains(d, "connection refused") {
		t.Errorf("description %q lacks the error", d)
	}
	due = e.EvalSelf(t0.Add(6*time.Minute), nil)
	if len(due) != 1 || !due[0].Resolved() {
		t.Fatalf("recovery must send the resolution: %+v", due)
	}
}

// TestManagerReportsFailingAlertmanager runs the real notifier against one
// Alertmanager that answers 503 and one that works: the working one
// receives HAWatchNotificationsFailing for the broken one.
func TestManagerReportsFailingAlertmanager(t *testing.T) {
	good := newAMServer(t)
	codes := make([]int, 10000)
	for i := range codes {
		codes[i] = http.StatusServiceUnavailable
	}
	bad := newAMServer(t, codes...)
	n, err := NewNotifier(NotifierOptions{
		Config:     config.AlertmanagerConfig{URLs: []string{good.URL, bad.URL}},
		MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = n.Run(ctx) }()
	n.Send(testAlert("HAPairFailover"))
	waitFor(t, func() bool { return len(n.Failing()) == 1 })
	if _, ok := n.Failing()[hostOf(bad)]; !ok {
		t.Fatalf("failing %v, want %s", n.Failing(), hostOf(bad))
	}
	now := t0
	m := NewManager(ManagerOptions{Sender: n, Now: func() time.Time { return now }})
	for range 7 {
		m.Update(healthy())
		now = now.Add(time.Minute)
	}
	waitFor(t, func() bool { return slices.Contains(good.received(), "HAWatchNotificationsFailing") })
	for _, a := range good.posted() {
		if a.Labels[LabelAlertName] == "HAWatchNotificationsFailing" && a.Labels[LabelAlertmanager] != hostOf(bad) {
			t.Errorf("labels %v name the wrong Alertmanager", a.Labels)
		}
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
