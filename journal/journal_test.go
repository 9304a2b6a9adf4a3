package journal

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// logBuffer is a goroutine-safe log sink.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func open(t *testing.T, dir string, c *clock, opts Options) (*Journal, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	opts.Logger = slog.New(slog.NewTextHandler(logs, nil))
	opts.Now = c.Now
	j, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = j.Close() })
	return j, logs
}

func ev(at time.Time, pair, msg string) Event {
	return Event{Time: at, Pair: pair, Kind: KindHAState, Message: msg}
}

func messages(ev []Event) string {
	var m []string
	for _, e := range ev {
		m = append(m, e.Message)
	}
	return strings.Join(m, ",")
}

func fileLines(t *testing.T, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func TestAppendReopen(t *testing.T) {
	dir := t.TempDir()
	c := &clock{t: t0}
	j, _ := open(t, dir, c, Options{})
	if err := j.Append(ev(t0, "edge", "1"), ev(t0.Add(time.Second), "edge", "2")); err != nil {
		t.Fatal(err)
	}
	if err := j.Append(ev(t0.Add(2*time.Second), "core", "3")); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if err := j.Append(ev(t0, "edge", "late")); !errors.Is(err, ErrClosed) {
		t.Fatalf("append after close: %v", err)
	}

	// Restart in the middle, keep appending, restart again.
	j, logs := open(t, dir, c, Options{})
	if got := messages(j.Query(Query{})); got != "1,2,3" {
		t.Fatalf("after restart: %s", got)
	}
	c.Add(10 * time.Second)
	if err := j.Append(ev(t0.Add(3*time.Second), "edge", "4"), Event{Pair: "edge", Kind: KindAlert, Message: "5"}); err != nil {
		t.Fatal(err)
	}
	_ = j.Close()
	j, _ = open(t, dir, c, Options{})
	got := j.Query(Query{})
	if messages(got) != "1,2,3,4,5" {
		t.Fatalf("after second restart: %s", messages(got))
	}
	if !got[4].Time.Equal(c.Now()) {
		t.Errorf("event without time got %v, want the clock's %v", got[4].Time, c.Now())
	}
	if logs.String() != "" {
		t.Errorf("clean file logged: %s", logs)
	}
	if n := len(fileLines(t, dir)); n != 5 {
		t.Errorf("file has %d lines, want 5", n)
	}
}

func TestTornLastRecord(t *testing.T) {
	dir := t.TempDir()
	good := `{"time":"2025-03-04T10:00:00Z","pair":"edge","kind":"ha-state","message":"1"}` + "\n" +
		`{"time":"2025-03-04T10:00:01Z","pair":"edge","kind":"ha-state","message":"2"}` + "\n"
	torn := `{"time":"2025-03-04T10:00:02Z","pair":"edge","ki`
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(good+torn), 0o600); err != nil {
		t.Fatal(err)
	}
	c := &clock{t: t0}
	j, logs := open(t, dir, c, Options{})
	if got := messages(j.Query(Query{})); got != "1,2" {
		t.Fatalf("events: %s", got)
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "torn last record") {
		t.Errorf("no warning about the torn record: %q", logs)
	}
	if err := j.Append(ev(t0.Add(3*time.Second), "edge", "3")); err != nil {
		t.Fatal(err)
	}
	_ = j.Close()
	j, logs = open(t, dir, c, Options{})
	if got := messages(j.Query(Query{})); got != "1,2,3" {
		t.Fatalf("after append and restart: %s", got)
	}
	if logs.String() != "" {
		t.Errorf("repaired file logged: %s", logs)
	}
}

func TestCorruptRecords(t *testing.T) {
	dir := t.TempDir()
	lines := []string{
		`{"time":"2025-03-04T10:00:00Z","pair":"edge","kind":"ha-state","message":"1"}`,
		`not json`,
		``,
		`{"pair":"edge","message":"no time"}`,
		`{"time":"2025-03-04T10:00:01Z","pair":"edge","kind":"ha-state","message":"2"}`,
		`{"time":"2025-03-04T10:00:02Z","pair":"edge","kind":"ha-state","message":"3"}`, // last, no newline
	}
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	j, logs := open(t, dir, &clock{t: t0}, Options{})
	if got := messages(j.Query(Query{})); got != "1,2,3" {
		t.Fatalf("events: %s", got)
	}
	if n := strings.Count(logs.String(), "skipping corrupt record"); n != 2 {
		t.Errorf("%d corrupt-record warnings, want 2: %s", n, logs)
	}
	if got := fileLines(t, dir); len(got) != 3 {
		t.Errorf("file not rewritten to the 3 good records: %q", got)
	}
	if err := j.Append(ev(t0.Add(3*time.Second), "edge", "4")); err != nil {
		t.Fatal(err)
	}
	if got := fileLines(t, dir); len(got) != 4 || !strings.Contains(got[3], `"message":"4"`) {
		t.Errorf("appended record not on its own line: %q", got)
	}
}

func TestRetention(t *testing.T) {
	dir := t.TempDir()
	c := &clock{t: t0}
	j, _ := open(t, dir, c, Options{Retention: 24 * time.Hour})
	for i := range 4 {
		if err := j.Append(ev(t0.Add(time.Duration(i)*10*time.Hour), "edge", fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	c.Add(35 * time.Hour) // cut at t0+11h: events 0 and 1 expire
	if got := messages(j.Query(Query{})); got != "2,3" {
		t.Fatalf("after expiry: %s", got)
	}
	_ = j.Close()
	j, logs := open(t, dir, c, Options{Retention: 24 * time.Hour})
	if got := messages(j.Query(Query{})); got != "2,3" {
		t.Fatalf("after restart: %s", got)
	}
	if got := fileLines(t, dir); len(got) != 2 {
		t.Errorf("expired records not compacted away: %q", got)
	}
	if !strings.Contains(logs.String(), "compacting") {
		t.Errorf("compaction not logged: %s", logs)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, "*.tmp"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestCompaction(t *testing.T) {
	dir := t.TempDir()
	c := &clock{t: t0}
	j, _ := open(t, dir, c, Options{MaxEvents: 5})
	for i := range 23 {
		if err := j.Append(ev(t0.Add(time.Duration(i)*time.Second), "edge", fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
		if n := len(fileLines(t, dir)); n > 10 {
			t.Fatalf("after %d appends the file has %d lines, more than 2×MaxEvents", i+1, n)
		}
	}
	if got := messages(j.Query(Query{})); got != "18,19,20,21,22" {
		t.Fatalf("kept: %s", got)
	}
	_ = j.Close()
	// A crash during a rewrite leaves a temporary file behind.
	if err := os.WriteFile(filepath.Join(dir, FileName+".123.tmp"), []byte("partial"), 0o600); err != nil {
		t.Fatal(err)
	}
	j, _ = open(t, dir, c, Options{MaxEvents: 5})
	if got := messages(j.Query(Query{})); got != "18,19,20,21,22" {
		t.Fatalf("after restart: %s", got)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, "*.tmp")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestConcurrentAppends(t *testing.T) {
	dir := t.TempDir()
	c := &clock{t: t0}
	j, _ := open(t, dir, c, Options{})
	const writers, each = 8, 40
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				at := t0.Add(time.Duration(i) * time.Second)
				if err := j.Append(ev(at, fmt.Sprint("p", w), fmt.Sprint(i))); err != nil {
					t.Error(err)
				}
				_ = j.Query(Query{Pair: fmt.Sprint("p", w), Limit: 3})
			}
		})
	}
	wg.Wait()
	all := j.Query(Query{})
	if len(all) != writers*each {
		t.Fatalf("%d events, want %d", len(all), writers*each)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Time.Before(all[i-1].Time) {
			t.Fatalf("events out of order at %d", i)
		}
	}
	_ = j.Close()
	j, logs := open(t, dir, c, Options{})
	if n := len(j.Query(Query{})); n != writers*each || logs.String() != "" {
		t.Fatalf("after restart %d events, logs %q", n, logs)
	}
}

func TestQuery(t *testing.T) {
	c := &clock{t: t0.Add(time.Hour)}
	j, _ := open(t, "", c, Options{})
	// Appended out of order: the journal keeps them by time.
	for _, e := range []Event{
		ev(t0.Add(2*time.Minute), "edge", "e2"),
		ev(t0, "edge", "e0"),
		ev(t0.Add(time.Minute), "core", "c1"),
		ev(t0.Add(3*time.Minute), "edge", "e3"),
		ev(t0.Add(2*time.Minute), "core", "c2"),
	} {
		if err := j.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		q    Query
		want string
	}{
		{Query{}, "e0,c1,e2,c2,e3"},
		{Query{Pair: "edge"}, "e0,e2,e3"},
		{Query{Since: t0.Add(time.Minute)}, "c1,e2,c2,e3"},
		{Query{Until: t0.Add(2 * time.Minute)}, "e0,c1"},
		{Query{Pair: "core", Since: t0.Add(90 * time.Second), Until: t0.Add(time.Hour)}, "c2"},
		{Query{Limit: 2}, "c2,e3"},
		{Query{Pair: "nope"}, ""},
	}
	for _, tc := range cases {
		if got := messages(j.Query(tc.q)); got != tc.want {
			t.Errorf("Query(%+v) = %s, want %s", tc.q, got, tc.want)
		}
	}
}

func TestOpenUnusableDirectory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(file, Options{})
	if err == nil || !strings.Contains(err.Error(), file) {
		t.Fatalf("open on a file: %v", err)
	}
}

func TestAlertEvent(t *testing.T) {
	e := AlertEvent(t0, "edge", "", "HAPairLinksDown", "pending", "firing", "HA pair edge has lost its links")
	if e.Kind != KindAlert || e.Subject != "HAPairLinksDown" || e.Before != "pending" || e.After != "firing" ||
		e.Message != "HAPairLinksDown is firing: HA pair edge has lost its links" {
		t.Fatalf("%+v", e)
	}
}

func TestAny(t *testing.T) {
	j, err := Open("", Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now()
	_ = j.Append(Event{Time: at, Pair: "edge", Kind: KindFailover, Message: "Failover."})
	_ = j.Append(Event{Time: at, Pair: "dmz", Kind: KindTraffic, Message: "Traffic stopped."})
	traffic := func(e Event) bool { return e.Kind == KindTraffic }
	if j.Any("edge", traffic) || !j.Any("dmz", traffic) || !j.Any("", traffic) {
		t.Errorf("Any: edge %v dmz %v all %v", j.Any("edge", traffic), j.Any("dmz", traffic), j.Any("", traffic))
	}
}
