package daemon

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/journal"
)

// send sends a request to the daemon and returns its status and body.
func send(t *testing.T, d *testDaemon, method, path, body string, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, d.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var jsonType = map[string]string{"Content-Type": "application/json"}

// TestMaintenanceGuarded: starting and stopping maintenance holds alerts
// back, so it needs the lifecycle API and a program's request, as a
// reload does; listing is open.
func TestMaintenanceGuarded(t *testing.T) {
	off := startDaemon(t, config.WebConfig{})
	for _, r := range [][2]string{{http.MethodPost, "/api/v1/maintenance"}, {http.MethodDelete, "/api/v1/maintenance/edge"}} {
		code, body := send(t, off, r[0], r[1], `{"pair":"edge","duration":"1h"}`, jsonType)
		if code != http.StatusForbidden || !strings.Contains(body, "HAWATCH_WEB_ENABLE_LIFECYCLE") {
			t.Errorf("%s %s with the lifecycle API off: %d %q", r[0], r[1], code, body)
		}
	}
	if code, body := send(t, off, http.MethodGet, "/api/v1/maintenance", "", nil); code != http.StatusOK || strings.TrimSpace(body) != "[]" {
		t.Errorf("list: %d %q", code, body)
	}

	on := startDaemon(t, config.WebConfig{EnableLifecycle: true})
	for _, tc := range []struct {
		name, method, path, body string
		header                   map[string]string
		want                     int
	}{
		{"form post", http.MethodPost, "/api/v1/maintenance", "pair=edge&duration=1h",
			map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, http.StatusForbidden},
		{"cross-site JSON", http.MethodPost, "/api/v1/maintenance", `{"pair":"edge","duration":"1h"}`,
			map[string]string{"Content-Type": "application/json", "Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"unknown field", http.MethodPost, "/api/v1/maintenance", `{"pair":"edge","for":"1h"}`, jsonType, http.StatusBadRequest},
		{"bad duration", http.MethodPost, "/api/v1/maintenance", `{"pair":"edge","duration":"two hours"}`, jsonType, http.StatusBadRequest},
		{"pair not watched", http.MethodPost, "/api/v1/maintenance", `{"pair":"edge","duration":"1h"}`, jsonType, http.StatusNotFound},
		{"stop a pair not in maintenance", http.MethodDelete, "/api/v1/maintenance/edge", "", jsonType, http.StatusNotFound},
	} {
		if code, body := send(t, on, tc.method, tc.path, tc.body, tc.header); code != tc.want {
			t.Errorf("%s: %d %q, want %d", tc.name, code, body, tc.want)
		}
	}
	if ws := on.maint.List(time.Now()); len(ws) != 0 {
		t.Errorf("refused requests left windows: %v", ws)
	}
}

// TestMaintenanceExpiryJournaled: a window that ended is journaled once,
// as expired.
func TestMaintenanceExpiryJournaled(t *testing.T) {
	d := startDaemon(t, config.WebConfig{EnableLifecycle: true})
	now := time.Now()
	if _, err := d.maint.Start("edge", now.Add(-2*time.Hour), time.Hour, "upgrade"); err != nil {
		t.Fatal(err)
	}
	d.expireMaintenance(now)
	evs := d.journal.Query(journal.Query{Pair: "edge"})
	if len(evs) != 1 || evs[0].Kind != journal.KindMaintenance || evs[0].After != "expired" {
		b, _ := json.Marshal(evs)
		t.Fatalf("events after expiry: %s", b)
	}
	d.expireMaintenance(now.Add(time.Hour))
	if n := len(d.journal.Query(journal.Query{Pair: "edge"})); n != 1 {
		t.Errorf("%d events after a second expiry pass, want 1", n)
	}
}

// TestMaintenanceFromConfigFile: a window of the configuration file is
// listed with its source and cannot be stopped through the API.
func TestMaintenanceFromConfigFile(t *testing.T) {
	d := startDaemon(t, config.WebConfig{EnableLifecycle: true})
	d.maint.SetConfigured(configuredMaintenance(&config.Config{Maintenance: []config.MaintenanceConfig{
		{Pair: "edge", Until: time.Now().Add(time.Hour), Reason: "from the file"},
	}}), time.Now())
	code, body := send(t, d, http.MethodGet, "/api/v1/maintenance", "", nil)
	if code != http.StatusOK || !strings.Contains(body, `"source":"config"`) || !strings.Contains(body, "from the file") {
		t.Errorf("list: %d %s", code, body)
	}
	if code, body := send(t, d, http.MethodDelete, "/api/v1/maintenance/edge", "", jsonType); code != http.StatusConflict || !strings.Contains(body, "configuration file") {
		t.Errorf("stop: %d %s", code, body)
	}
}
