package maintenance

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

var t0 = time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)

func TestStartStopExpire(t *testing.T) {
	s, err := Open("", t0)
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.Start("edge", t0, 2*time.Hour, " PAN-OS 11.1.4 upgrade ")
	if err != nil {
		t.Fatal(err)
	}
	if want := (Window{Pair: "edge", Start: t0, End: t0.Add(2 * time.Hour), Reason: "PAN-OS 11.1.4 upgrade", Source: SourceAPI}); w != want {
		t.Fatalf("started %+v, want %+v", w, want)
	}
	if _, ok := s.Active("edge", t0.Add(119*time.Minute)); !ok {
		t.Error("not in maintenance a minute before the end")
	}
	if _, ok := s.Active("edge", t0.Add(2*time.Hour)); ok {
		t.Error("still in maintenance at the end")
	}
	if _, ok := s.Active("core", t0); ok {
		t.Error("a pair never put in maintenance is in maintenance")
	}
	ended, err := s.Expire(t0.Add(2 * time.Hour))
	if err != nil || len(ended) != 1 || ended[0].Pair != "edge" {
		t.Fatalf("expire at the end: %v, %v", ended, err)
	}
	if again, _ := s.Expire(t0.Add(3 * time.Hour)); len(again) != 0 {
		t.Errorf("expired twice: %v", again)
	}

	if _, err := s.Start("edge", t0, time.Hour, ""); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.Stop("edge", t0.Add(time.Minute)); !ok || err != nil {
		t.Fatalf("stop: %v %v", ok, err)
	}
	if _, ok, _ := s.Stop("edge", t0.Add(2*time.Minute)); ok {
		t.Error("stopped twice")
	}
	if got := s.List(t0.Add(3 * time.Minute)); len(got) != 0 {
		t.Errorf("listed after stop: %v", got)
	}
}

func TestStartRejects(t *testing.T) {
	s, _ := Open("", t0)
	for _, tc := range []struct {
		pair   string
		d      time.Duration
		reason string
		want   error
	}{
		{"", time.Hour, "", ErrNoPair},
		{"edge", 0, "", ErrBadDuration},
		{"edge", -time.Hour, "", ErrBadDuration},
		{"edge", MaxDuration + time.Second, "", ErrBadDuration},
		{"edge", time.Hour, strings.Repeat("x", MaxReason+1), ErrLongReason},
	} {
		if _, err := s.Start(tc.pair, t0, tc.d, tc.reason); !errors.Is(err, tc.want) {
			t.Errorf("start %q %v: %v, want %v", tc.pair, tc.d, err, tc.want)
		}
	}
	if got := s.List(t0); len(got) != 0 {
		t.Errorf("a rejected start left %v", got)
	}
}

// TestSurvivesRestart reopens the store from its directory: the window in
// force is back, the one that ended meanwhile is not.
func TestSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Start("edge", t0, 2*time.Hour, "upgrade"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Start("core", t0, 10*time.Minute, ""); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	got := r.List(t0.Add(time.Hour))
	if len(got) != 1 || got[0].Pair != "edge" || got[0].Reason != "upgrade" || !got[0].End.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("after restart: %+v", got)
	}
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, t0); err == nil || !strings.Contains(err.Error(), FileName) {
		t.Errorf("corrupt file: %v, want an error naming it", err)
	}
}

// TestCollector: 2026-03-01 03:00 UTC, the end of the window, is
// 1772334000 s after the epoch.
func TestCollector(t *testing.T) {
	s, _ := Open("", t0)
	if _, err := s.Start("edge", t0, time.Hour, ""); err != nil {
		t.Fatal(err)
	}
	c := NewCollector(s, func() []string { return []string{"core", "edge"} }, func() time.Time { return t0.Add(time.Minute) })
	want := `# HELP hawatch_pair_maintenance Whether an operator announced maintenance of the pair that has not ended.
# TYPE hawatch_pair_maintenance gauge
hawatch_pair_maintenance{pair="core"} 0
hawatch_pair_maintenance{pair="edge"} 1
# HELP hawatch_pair_maintenance_end_timestamp_seconds When the pair's announced maintenance ends, in seconds since the epoch.
# TYPE hawatch_pair_maintenance_end_timestamp_seconds gauge
hawatch_pair_maintenance_end_timestamp_seconds{pair="edge"} 1.772334e+09
`
	if err := testutil.CollectAndCompare(c, strings.NewReader(want)); err != nil {
		t.Error(err)
	}
	if problems, err := testutil.CollectAndLint(c); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", problems, err)
	}
}

// TestConfigured: the configuration file's windows are in force until
// their end, yield to a window started through the API, cannot be
// stopped through it, and their end is reported once.
func TestConfigured(t *testing.T) {
	s, _ := Open("", t0)
	s.SetConfigured([]Window{
		{Pair: "edge", End: t0.Add(time.Hour), Reason: "from the file"},
		{Pair: "old", End: t0.Add(-time.Minute)},
	}, t0)
	w, ok := s.Active("edge", t0)
	if !ok || w.Source != SourceConfig || w.Reason != "from the file" {
		t.Fatalf("configured window: %+v %v", w, ok)
	}
	if _, ok := s.Active("old", t0); ok {
		t.Error("a window that ended before the file was loaded is in force")
	}
	if _, ok, _ := s.Stop("edge", t0); ok {
		t.Error("stopped the file's window through the API")
	}
	if _, err := s.Start("edge", t0, 2*time.Hour, "longer"); err != nil {
		t.Fatal(err)
	}
	if w, _ := s.Active("edge", t0.Add(90*time.Minute)); w.Source != SourceAPI {
		t.Errorf("after the file's window, the API's is not in force: %+v", w)
	}
	if got := s.List(t0); len(got) != 1 || got[0].Source != SourceAPI {
		t.Errorf("list: %+v, want the API's window alone", got)
	}
	if _, ok, _ := s.Stop("edge", t0); !ok {
		t.Fatal("cannot stop the API's window")
	}
	ended, _ := s.Expire(t0.Add(time.Hour))
	if len(ended) != 1 || ended[0].Source != SourceConfig {
		t.Errorf("expired %+v, want the file's window", ended)
	}
	if again, _ := s.Expire(t0.Add(2 * time.Hour)); len(again) != 0 {
		t.Errorf("the file's window expired twice: %+v", again)
	}
}
