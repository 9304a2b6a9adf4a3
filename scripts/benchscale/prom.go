package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// promServer is a Prometheus that scrapes the replicas as job "hawatch"
// and evaluates the shipped rules.
type promServer struct {
	url  string
	proc *process
	// client bounds each query, so that a stuck Prometheus ends the run.
	client *http.Client
}

func startPrometheus(ctx context.Context, o shardOptions, replicas []*replica) (*promServer, error) {
	dir := filepath.Join(o.workDir, "prometheus")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	rules, err := filepath.Abs(o.rules)
	if err != nil {
		return nil, err
	}
	var targets strings.Builder
	for _, r := range replicas {
		// The shard label stands for the pod label a ServiceMonitor adds.
		fmt.Fprintf(&targets, "      - targets: [%q]\n        labels: {shard: %q}\n", r.addr, strconv.Itoa(r.index))
	}
	cfg := fmt.Sprintf(`global:
  scrape_interval: %[1]s
  scrape_timeout: %[1]s
  evaluation_interval: %[1]s
rule_files: [%[2]q]
scrape_configs:
  - job_name: hawatch
    # Only the series the watched rules and queries read: at 1,000 pairs
    # the rest would cost this machine gigabytes.
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: %[4]q
        action: keep
    static_configs:
%[3]s`, promDuration(o.promInterval), rules, targets.String(), keptSeries)
	cfgFile := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgFile, []byte(cfg), 0o644); err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	p, logFile, err := start([]string{o.prometheus, "--config.file=" + cfgFile,
		"--storage.tsdb.path=" + filepath.Join(dir, "data"), "--web.listen-address=" + addr},
		nil, filepath.Join(dir, "prometheus.log"))
	if err != nil {
		return nil, err
	}
	defer func() { _ = logFile.Close() }()
	if err := p.run(); err != nil {
		return nil, fmt.Errorf("start prometheus: %w", err)
	}
	ps := &promServer{url: "http://" + addr, proc: p, client: &http.Client{Timeout: 10 * time.Second}}
	// Ready, and every replica scraped once.
	for deadline := time.Now().Add(time.Minute); ; {
		if v, err := ps.query(`count(up{job="hawatch"} == 1)`); err == nil && len(v) == 1 && v[0].value == float64(len(replicas)) {
			return ps, nil
		}
		if time.Now().After(deadline) {
			ps.stop()
			return nil, fmt.Errorf("prometheus did not scrape every replica within a minute (see %s)", p.log)
		}
		if err := sleep(ctx, 100*time.Millisecond); err != nil {
			ps.stop()
			return nil, err
		}
	}
}

// keptSeries are the metrics Prometheus keeps of each scrape: those
// HAMonitoringBlind and the pair count read (up is always kept).
const keptSeries = "hawatch_(peer_up|last_poll_timestamp_seconds)"

// promDuration renders d the way Prometheus's configuration wants it.
func promDuration(d time.Duration) string {
	return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
}

func (ps *promServer) stop() { ps.proc.stop() }

// sample is one element of an instant vector.
type sample struct {
	labels map[string]string
	value  float64
}

// query evaluates an instant query now.
func (ps *promServer) query(expr string) ([]sample, error) {
	resp, err := ps.client.Get(ps.url + "/api/v1/query?query=" + url.QueryEscape(expr))
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("query %s: %w", expr, err)
	}
	if body.Status != "success" {
		return nil, fmt.Errorf("query %s: %s", expr, body.Error)
	}
	out := make([]sample, 0, len(body.Data.Result))
	for _, r := range body.Data.Result {
		s, _ := r.Value[1].(string)
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("query %s: value %q: %w", expr, s, err)
		}
		out = append(out, sample{labels: r.Metric, value: v})
	}
	return out, nil
}

// ruleHold returns the for: of the named alert in the rule file, so
// that what is printed is what the file says.
func ruleHold(rulesFile, alert string) (string, error) {
	b, err := os.ReadFile(rulesFile)
	if err != nil {
		return "", err
	}
	var doc struct {
		Groups []struct {
			Rules []struct {
				Alert string `yaml:"alert"`
				For   string `yaml:"for"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return "", fmt.Errorf("%s: %w", rulesFile, err)
	}
	for _, g := range doc.Groups {
		for _, r := range g.Rules {
			if r.Alert == alert {
				if r.For == "" {
					return "0s", nil
				}
				return r.For, nil
			}
		}
	}
	return "", fmt.Errorf("%s: no alert %s", rulesFile, alert)
}
