package e2e

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/sim"
)

var update = flag.Bool("update", false, "rewrite testdata/metrics.golden from the current output")

const golden = "testdata/metrics.golden"

// stableValue lists the metrics whose values are fixed on a healthy
// simulated pair; the others (counters, durations, timestamps) are masked.
var stableValue = regexp.MustCompile(`^hawatch_(peer_up|ha_(enabled|state\{|peer_state|peer_connected|link_up|config_sync|session_sync|flaps|max_flaps|compat|version_info|suspended|mode_info|link_monitor|path_monitor)|interface_up|interface_info|peer_info|aws_(eni_attached|interface_subnet_match|route_|floating_ip|source_dest|instance_status|up|mode_info|in_failover)|failover_(ready|check_ok)|pair_active_peers|poll_success|sessions_max|panos_command_(success|unsupported)|alert_active)`)

// normalize turns a scrape into the golden form: hawatch's own series,
// sorted, with volatile values masked and the HELP/TYPE lines kept.
func normalize(text string) string {
	var lines []string
	for _, line := range strings.Split(text, "\n") {
		if line == "" || strings.HasPrefix(line, "# EOF") {
			continue
		}
		name := line
		if strings.HasPrefix(line, "# ") {
			f := strings.Fields(line)
			if len(f) < 3 {
				continue
			}
			name = f[2]
		}
		if !strings.HasPrefix(name, "hawatch_") || strings.HasPrefix(name, "hawatch_build_info") {
			continue
		}
		if !strings.HasPrefix(line, "#") && !stableValue.MatchString(line) {
			line = line[:strings.LastIndexByte(line, ' ')] + " <value>"
		}
		lines = append(lines, line)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}

// TestMetricsGolden scrapes the binary watching a healthy simulated pair,
// compares the series with the golden file and lints the exposition with
// promtool.
func TestMetricsGolden(t *testing.T) {
	s := startSim(t, sim.Options{})
	d := startDaemon(t, simEnv(s))
	d.waitMetric(t, 30*time.Second, `hawatch_aws_up{pair="edge"}`, "1")
	d.waitMetric(t, 30*time.Second, `hawatch_pair_active_peers{pair="edge"}`, "1")
	// The failover prediction needs the IAM answers of an AWS poll.
	d.waitMetric(t, 30*time.Second, `hawatch_failover_ready{pair="edge"}`, "1")
	// Two PAN-OS polls after the AWS poll, so the correlation is in.
	time.Sleep(2500 * time.Millisecond)
	body, err := get(d.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	got := normalize(body)
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("metrics differ from %s (run go test ./e2e -run TestMetricsGolden -update to accept):\n%s", golden, diff(string(want), got))
	}
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not installed (scripts/install-test-deps.sh installs it)")
	}
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(body)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out.String())
	}
}

// diff lists the lines only in want (-) or only in got (+).
func diff(want, got string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var out []string
	for l := range w {
		if !g[l] {
			out = append(out, "- "+l)
		}
	}
	for l := range g {
		if !w[l] {
			out = append(out, "+ "+l)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}
