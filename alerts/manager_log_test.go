package alerts

import (
	"bufio"
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
)

// TestManagerLogsLabelsAsFields: with the JSON handler every alert line is
// valid JSON and its labels are an object of fields, not a printed map.
func TestManagerLogsLabelsAsFields(t *testing.T) {
	clock := &fakeClock{now: t0}
	var logs bytes.Buffer
	m := NewManager(ManagerOptions{Sender: &recorder{}, Now: clock.Now, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	suspended := mkPair(okPeer("a", probe.StateActive), okPeer("b", probe.StateSuspended))
	m.Update(suspended)
	clock.Set(at(2 * time.Minute))
	m.Update(suspended)

	type line struct {
		Msg    string            `json:"msg"`
		Alert  string            `json:"alert"`
		Labels map[string]string `json:"labels"`
	}
	var firing []line
	sc := bufio.NewScanner(&logs)
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("log line is not JSON (%v): %s", err, sc.Text())
		}
		if l.Msg == "alert firing" {
			firing = append(firing, l)
		}
	}
	if len(firing) != 1 {
		t.Fatalf("%d alert firing lines, want 1:\n%s", len(firing), logs.String())
	}
	got := firing[0]
	want := map[string]string{"alertname": "HAPeerSuspended", "pair": suspended.Name, "peer": "b", "severity": "warning"}
	if got.Alert != "HAPeerSuspended" || len(got.Labels) != len(want) {
		t.Fatalf("firing line %+v, want labels %v", got, want)
	}
	for k, v := range want {
		if got.Labels[k] != v {
			t.Errorf("labels[%s] = %q, want %q", k, got.Labels[k], v)
		}
	}
}
