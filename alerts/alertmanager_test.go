package alerts

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/alertmanager/api/v2/models"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// amConfigFile is the example Alertmanager configuration.
var amConfigFile = filepath.Join("..", "deploy", "alertmanager", "alertmanager.yml")

// TestAlertmanagerExampleConfig checks the example with amtool and its
// routing by severity.
func TestAlertmanagerExampleConfig(t *testing.T) {
	t.Parallel()
	amtool, err := exec.LookPath("amtool")
	if err != nil {
		t.Skip("amtool not on PATH (Debian prometheus-alertmanager ships it); skipping the Alertmanager config check")
	}
	if out, err := exec.Command(amtool, "check-config", amConfigFile).CombinedOutput(); err != nil {
		t.Fatalf("amtool check-config: %v\n%s", err, out)
	}
	for sev, want := range map[Severity]string{
		SeverityCritical: "pager", SeverityWarning: "warnings", SeverityInfo: "low-priority",
	} {
		out, err := exec.Command(amtool, "config", "routes", "test", "--config.file="+amConfigFile,
			"alertname=HAPairLinksDown", "pair=p1", "severity="+string(sev)).Output()
		if err != nil {
			t.Fatalf("amtool config routes test: %v", err)
		}
		if got := strings.TrimSpace(string(out)); got != want {
			t.Errorf("severity %s routes to %q, want %q", sev, got, want)
		}
	}
}

// startAlertmanager runs the real Alertmanager on loopback with the example
// configuration, its webhooks pointed at a local sink. It returns its URL.
func startAlertmanager(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("prometheus-alertmanager")
	if err != nil {
		if bin, err = exec.LookPath("alertmanager"); err != nil {
			t.Skip("no Alertmanager binary on PATH (Debian prometheus-alertmanager); skipping")
		}
	}
	sink := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(sink.Close)
	raw, err := os.ReadFile(amConfigFile)
	if err != nil {
		t.Fatal(err)
	}
	cfg := regexp.MustCompile(`http://alert-receiver\.example\.internal:5001`).ReplaceAll(raw, []byte(sink.URL))
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "alertmanager.yml")
	if err := os.WriteFile(cfgPath, cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--config.file="+cfgPath, "--storage.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--cluster.listen-address=")
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})
	url := "http://" + addr
	deadline := time.Now().Add(waitTimeout)
	for {
		resp, err := http.Get(url + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return url
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("alertmanager at %s not ready: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond) // polling a process start, not timing
	}
}

// TestAlertmanagerInhibitsAndDeduplicates sends the engine's alerts through
// the notifier to a real Alertmanager running the example configuration,
// and checks its inhibition rules and that a second copy of an alert (as
// from the PromQL path) merges with the first.
func TestAlertmanagerInhibitsAndDeduplicates(t *testing.T) {
	t.Parallel()
	url := startAlertmanager(t)
	now := time.Now()
	e := NewEngine(EngineOptions{})
	pairs := map[string]*snapshot.Pair{
		"links": mkPair(okPeer("a", probe.StateActive, dataPlaneDown), downPeer("b")),
		"blind": mkPair(downPeer("a"), downPeer("b")),
		"calm": mkPair(okPeer("a", probe.StateActive, withHA(func(h *probe.HAInfo) { h.Links[0].Up = false })),
			okPeer("b", probe.StatePassive)),
		"reboot": mkPair(okPeer("a", probe.StateActive, withHA(func(h *probe.HAInfo) { h.Links[0].Up = false })),
			downPeer("b")),
	}
	var due []Alert
	for name, p := range pairs {
		p.Name = name
		e.Eval(now.Add(-3*time.Minute), p)
		due = append(due, e.Eval(now, p)...)
	}
	tn := newTestNotifier(t, config.AlertmanagerConfig{URLs: []string{url}}, nil)
	tn.run(t)
	// The second copy is sent on its own, as it would come from Prometheus.
	copyOf := due[0].clone()
	copyOf.Annotations = map[string]string{AnnotationSummary: "from the PromQL path"}
	for _, batch := range [][]Alert{due, {copyOf}} {
		tn.Send(batch...)
		if err := tn.nextAttempt(t); err != nil {
			t.Fatal(err)
		}
	}
	got := alertmanagerAlerts(t, url)
	want := map[string]bool{ // alert → inhibited
		"links/HAPairLinksDown{severity=critical}":          false,
		"links/HAPeerUnreachable{peer=b,severity=warning}":  true,
		"blind/HAMonitoringBlind{severity=critical}":        false,
		"calm/HALinkDown{link=ha1,peer=a,severity=warning}": false,
		"reboot/HAPeerUnreachable{peer=b,severity=warning}": false,
	}
	if len(got) != len(want) {
		t.Errorf("alertmanager holds %d alerts, want %d: %v", len(got), len(want), slices.Sorted(maps.Keys(got)))
	}
	for id, inhibited := range want {
		g, ok := got[id]
		if !ok {
			t.Errorf("alertmanager lacks %s", id)
		} else if g != inhibited {
			t.Errorf("%s inhibited=%v, want %v", id, g, inhibited)
		}
	}
}

// alertmanagerAlerts returns the alerts Alertmanager holds, as
// "pair/Name{labels}" → whether they are inhibited.
func alertmanagerAlerts(t *testing.T, url string) map[string]bool {
	t.Helper()
	resp, err := http.Get(url + "/api/v2/alerts")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var as models.GettableAlerts
	if err := json.NewDecoder(resp.Body).Decode(&as); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, a := range as {
		id := fmt.Sprintf("%s/%s", a.Labels[LabelPair], alertID(a.Labels))
		out[id] = a.Status != nil && len(a.Status.InhibitedBy) > 0
	}
	return out
}
