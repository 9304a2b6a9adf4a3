package e2e

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// proc is a running helper binary (Prometheus or Alertmanager).
type proc struct {
	name string
	cmd  *exec.Cmd
	logs *syncBuffer
	done chan struct{}
}

// lookBinary finds the first of names on PATH or skips the test.
func lookBinary(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	t.Skipf("%s not installed (scripts/install-test-deps.sh installs it)", names[0])
	return ""
}

// startProc starts a binary with its output collected; the caller stops it.
func startProc(t *testing.T, name, bin string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	p := &proc{name: name, cmd: cmd, logs: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() { _ = cmd.Wait(); close(p.done) }()
	return p
}

// stop ends the process with SIGTERM, or SIGKILL after 10 s.
func (p *proc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// exited returns an error carrying the output once the process has ended.
func (p *proc) exited() error {
	select {
	case <-p.done:
		return fmt.Errorf("%s exited: %s", p.name, tail(p.logs.String(), 4000))
	default:
		return nil
	}
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// waitReady waits until the process answers GET url with 200.
func (p *proc) waitReady(t *testing.T, url string) {
	t.Helper()
	eventually(t, 30*time.Second, p.name+" ready", func() error {
		if err := p.exited(); err != nil {
			return err
		}
		_, err := get(url)
		return err
	})
}

// alertmanager is a running prometheus-alertmanager without clustering.
type alertmanager struct {
	URL  string
	addr string
	bin  string
	args []string
	p    *proc
}

// startAlertmanager starts an Alertmanager on a free loopback port whose
// only route sends every alert, grouped by alertname and pair, to the
// webhook at receiver. extra is appended to its configuration (the
// shipped inhibit rules, say).
func startAlertmanager(t *testing.T, receiver string, extra ...string) *alertmanager {
	t.Helper()
	bin := lookBinary(t, "prometheus-alertmanager", "alertmanager")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "alertmanager.yml")
	writeFile(t, cfg, strings.Join(extra, "\n")+fmt.Sprintf(`route:
  receiver: hook
  group_by: [alertname, pair]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 24h
receivers:
  - name: hook
    webhook_configs:
      - url: %q
        send_resolved: true
`, receiver))
	am := &alertmanager{addr: freePort(t), bin: bin}
	am.URL = "http://" + am.addr
	am.args = []string{
		"--config.file=" + cfg,
		"--storage.path=" + filepath.Join(dir, "data"),
		"--web.listen-address=" + am.addr,
		"--cluster.listen-address=",
		"--log.level=debug",
	}
	am.start(t)
	t.Cleanup(func() {
		am.stop()
		if t.Failed() {
			t.Logf("alertmanager output:\n%s", tail(am.p.logs.String(), 8000))
		}
	})
	return am
}

// start runs the Alertmanager (again, on the same port and storage) and
// waits until it is ready.
func (am *alertmanager) start(t *testing.T) {
	t.Helper()
	am.p = startProc(t, "alertmanager", am.bin, am.args...)
	am.p.waitReady(t, am.URL+"/-/ready")
}

// stop stops the Alertmanager; its storage is kept for start.
func (am *alertmanager) stop() { am.p.stop() }

// amAlert is an alert as Alertmanager's API v2 returns it.
type amAlert struct {
	Labels       map[string]string `json:"labels"`
	StartsAt     time.Time         `json:"startsAt"`
	EndsAt       time.Time         `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Status       struct {
		State string `json:"state"`
	} `json:"status"`
}

// alerts returns the alerts Alertmanager holds as active (not resolved).
func (am *alertmanager) alerts() ([]amAlert, error) {
	body, err := get(am.URL + "/api/v2/alerts")
	if err != nil {
		return nil, err
	}
	var out []amAlert
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		return nil, fmt.Errorf("decode alertmanager alerts: %w", err)
	}
	return out, nil
}

// promServer is a running Prometheus.
type promServer struct {
	URL string
	p   *proc
}

// promOptions configure startPrometheus.
type promOptions struct {
	// Target is the host:port of hawatch, scraped every second.
	Target string
	// Alertmanager is the host:port alerts are pushed to.
	Alertmanager string
	// Rules is the rule file, evaluated every second.
	Rules string
	// ResendDelay is --rules.alert.resend-delay.
	ResendDelay time.Duration
}

// startPrometheus starts a Prometheus on a free loopback port.
func startPrometheus(t *testing.T, o promOptions) *promServer {
	t.Helper()
	bin := lookBinary(t, "prometheus")
	dir := t.TempDir()
	rules, err := filepath.Abs(o.Rules)
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "prometheus.yml")
	writeFile(t, cfg, fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 900ms
  evaluation_interval: 1s
rule_files:
  - %q
scrape_configs:
  - job_name: hawatch
    static_configs:
      - targets: [%q]
alerting:
  alertmanagers:
    - api_version: v2
      static_configs:
        - targets: [%q]
`, rules, o.Target, o.Alertmanager))
	addr := freePort(t)
	ps := &promServer{URL: "http://" + addr}
	ps.p = startProc(t, "prometheus", bin,
		"--config.file="+cfg,
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr,
		"--rules.alert.resend-delay="+o.ResendDelay.String(),
		"--log.level=debug",
	)
	t.Cleanup(func() {
		ps.p.stop()
		if t.Failed() {
			t.Logf("prometheus output:\n%s", tail(ps.p.logs.String(), 8000))
		}
	})
	ps.p.waitReady(t, ps.URL+"/-/ready")
	return ps
}

// promAlert is an alert as Prometheus's /api/v1/alerts returns it.
type promAlert struct {
	Labels map[string]string `json:"labels"`
	State  string            `json:"state"`
	// KeepFiringSince is set while keep_firing_for holds a firing alert
	// whose expression no longer returns it.
	KeepFiringSince *time.Time `json:"keepFiringSince"`
}

// apiGet fetches a Prometheus API endpoint and decodes its data.
func (ps *promServer) apiGet(path string, data any) error {
	body, err := get(ps.URL + path)
	if err != nil {
		return err
	}
	var env struct {
		Status string          `json:"status"`
		Data   json.RawMessage `json:"data"`
		Error  string          `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &env); err != nil {
		return fmt.Errorf("decode %s: %w", path, err)
	}
	if env.Status != "success" {
		return fmt.Errorf("%s: %s", path, env.Error)
	}
	return json.Unmarshal(env.Data, data)
}

// alerts returns Prometheus's pending and firing alerts.
func (ps *promServer) alerts() ([]promAlert, error) {
	var data struct {
		Alerts []promAlert `json:"alerts"`
	}
	err := ps.apiGet("/api/v1/alerts", &data)
	return data.Alerts, err
}

// query evaluates an instant query and returns the number of series.
func (ps *promServer) query(q string) (int, error) {
	var data struct {
		Result []json.RawMessage `json:"result"`
	}
	err := ps.apiGet("/api/v1/query?query="+url.QueryEscape(q), &data)
	return len(data.Result), err
}

// rulesHealthy returns an error unless every alerting rule has been
// evaluated without error.
func (ps *promServer) rulesHealthy() error {
	var data struct {
		Groups []struct {
			Rules []struct {
				Name           string    `json:"name"`
				Health         string    `json:"health"`
				LastError      string    `json:"lastError"`
				LastEvaluation time.Time `json:"lastEvaluation"`
			} `json:"rules"`
		} `json:"groups"`
	}
	if err := ps.apiGet("/api/v1/rules?type=alert", &data); err != nil {
		return err
	}
	var bad []string
	n := 0
	for _, g := range data.Groups {
		for _, r := range g.Rules {
			n++
			if r.Health != "ok" {
				bad = append(bad, fmt.Sprintf("%s: health %q %s", r.Name, r.Health, r.LastError))
			}
		}
	}
	if n == 0 {
		return fmt.Errorf("no alerting rules loaded")
	}
	if len(bad) > 0 {
		return fmt.Errorf("rules not healthy: %s", strings.Join(bad, "; "))
	}
	return nil
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
