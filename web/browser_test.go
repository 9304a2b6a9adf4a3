//go:build unix

package web

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// chromium finds the headless browser, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	t.Skip("chromium is not on PATH; scripts/install-test-deps.sh installs it")
	return ""
}

// runChromium runs headless chromium on url with extra flags and returns
// its standard output.
func runChromium(t *testing.T, bin, url string, flags ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	args := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--virtual-time-budget=5000",
	}, flags...)
	cmd := exec.CommandContext(ctx, bin, append(args, url)...)
	// Kill the browser's whole process group on timeout, not only the
	// launcher, and do not wait for children that keep the pipes open.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil && !errors.Is(err, exec.ErrWaitDelay) {
		t.Fatalf("chromium %v: %v\n%s", flags, err, tail(stderr.String(), 2000))
	}
	return stdout.String()
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// TestBrowser loads the page in headless chromium and checks the DOM after
// the page's script refreshed it from the API. The API answers with a later
// state than the server-rendered page (the pair failed over to fw-b), so
// the DOM shows what the script rendered, not what the server did.
func TestBrowser(t *testing.T) {
	bin := chromium(t)
	before := allPairs()
	after := allPairs()
	for _, p := range after {
		if p.Name != "edge" {
			continue
		}
		p.Peers[0].HA.LocalState, p.Peers[0].HA.PeerState = probe.StatePassive, probe.StateActive
		p.Peers[1].HA.LocalState, p.Peers[1].HA.PeerState = probe.StateActive, probe.StatePassive
	}
	var calls atomic.Int32
	srv := httptest.NewServer(NewHandler(Options{
		Snapshots: func() []*snapshot.Pair {
			if calls.Add(1) == 1 {
				return before
			}
			return after
		},
		Alerts:  func() []AlertInfo { return []AlertInfo{vpcAlert} },
		Journal: testJournal(t),
		Now:     func() time.Time { return now },
		Title:   "hawatch",
		Links:   []Link{{Text: "Metrics", Href: "/metrics"}, {Text: "Ready", Href: "/-/ready"}},
	}))
	t.Cleanup(srv.Close)

	dom := runChromium(t, bin, srv.URL+"/", "--dump-dom")
	if !strings.Contains(dom, `data-refreshed="1"`) || !strings.Contains(dom, `data-conn="ok"`) {
		t.Fatalf("the page's script did not refresh the view:\n%s", tail(dom, 3000))
	}
	if calls.Load() < 2 {
		t.Fatalf("the script did not fetch /api/v1/pairs (%d calls)", calls.Load())
	}
	cards := pairSections(t, dom)
	for name, want := range map[string]string{"edge": "healthy", "core": "down", "dmz": "degraded", "vpc": "degraded"} {
		if got := attr(t, cards[name], `data-status="([a-z]+)"`); got != want {
			t.Errorf("%s: data-status %s, want %s", name, got, want)
		}
	}
	for _, c := range []struct{ pair, peer, state string }{
		{"edge", "fw-a", "passive"}, {"edge", "fw-b", "active"}, {"core", "fw-a", "active"}, {"dmz", "fw-b", "unknown"},
	} {
		if got := attr(t, cards[c.pair], `data-peer="`+c.peer+`" data-ha-state="([a-z-]+)"`); got != c.state {
			t.Errorf("%s/%s: data-ha-state %s, want %s", c.pair, c.peer, got, c.state)
		}
	}
	for _, w := range []string{"✖ DOWN", "NOT ANSWERING", "ethernet1/2 of fw-a has 10.0.9.10/24", "HAAWSInterfaceSubnetMismatch",
		"Failover: fw-b took over as the active peer from fw-a.", `data-kind="alert"`, "1 down · 2 degraded · 1 healthy"} {
		if !strings.Contains(dom, w) {
			t.Errorf("DOM lacks %q", w)
		}
	}

	t.Run("api unreachable", func(t *testing.T) {
		// The API fails: the page keeps the server-rendered state and
		// says loudly that it is out of date.
		h := NewHandler(Options{Snapshots: func() []*snapshot.Pair { return before }, Now: func() time.Time { return now }})
		down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/api/") {
				http.Error(w, "gone", http.StatusBadGateway)
				return
			}
			h.ServeHTTP(w, r)
		}))
		t.Cleanup(down.Close)
		dom := runChromium(t, bin, down.URL+"/", "--dump-dom")
		if !strings.Contains(dom, `data-conn="lost"`) || !strings.Contains(dom, "Lost contact with hawatch") ||
			strings.Contains(dom, `data-refreshed="1"`) {
			t.Fatalf("no lost-contact warning:\n%s", tail(dom, 3000))
		}
		if got := attr(t, pairSections(t, dom)["core"], `data-status="([a-z]+)"`); got != "down" {
			t.Errorf("server-rendered state lost: core is %s", got)
		}
	})

	dir := os.Getenv("HAWATCH_ARTIFACTS_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "status.png")
	_ = os.Remove(shot)
	runChromium(t, bin, srv.URL+"/", "--screenshot="+shot, "--window-size=1400,1000", "--hide-scrollbars")
	png, err := os.ReadFile(shot)
	if err != nil || len(png) < 1000 || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Fatalf("no screenshot at %s: %v", shot, err)
	}
	t.Logf("screenshot: %s", shot)
}
