package daemon

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hawatch/hawatch/config"
)

// fetch returns the status and body of a GET of path.
func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url) //nolint:gosec // test URL on loopback
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestPprofOffByDefault(t *testing.T) {
	d := startDaemon(t, config.WebConfig{})
	for _, path := range []string{"/debug/pprof/", "/debug/pprof/goroutine?debug=1", "/debug/pprof/cmdline"} {
		if code, _ := fetch(t, d.url+path); code != http.StatusNotFound {
			t.Errorf("GET %s with pprof off: status %d, want 404", path, code)
		}
	}
}

func TestPprofServedWhenEnabled(t *testing.T) {
	d := startDaemon(t, config.WebConfig{EnablePprof: true})
	code, body := fetch(t, d.url+"/debug/pprof/")
	if code != http.StatusOK || !strings.Contains(body, "goroutine") {
		t.Errorf("GET /debug/pprof/: status %d, want 200 with the profile index:\n%.300s", code, body)
	}
	// A goroutine dump in text shows the daemon's own code running.
	code, body = fetch(t, d.url+"/debug/pprof/goroutine?debug=1")
	if code != http.StatusOK || !strings.Contains(body, "github.com/hawatch/hawatch/daemon") {
		t.Errorf("GET goroutine profile: status %d, want 200 naming the daemon package:\n%.300s", code, body)
	}
	// A CPU profile is a gzipped protobuf, magic 1f 8b.
	code, body = fetch(t, d.url+"/debug/pprof/profile?seconds=1")
	if code != http.StatusOK || !strings.HasPrefix(body, "\x1f\x8b") {
		t.Errorf("GET CPU profile: status %d, want 200 with a gzipped profile, got %q", code, body[:min(len(body), 40)])
	}
}
