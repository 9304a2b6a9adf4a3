package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/sim"
)

// browser runs headless Chromium on url with extra flags and returns what
// it printed. It skips the test when Chromium is missing.
func browser(t *testing.T, url string, flags ...string) string {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not on PATH; scripts/install-test-deps.sh installs it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--virtual-time-budget=5000",
	}, flags...)
	cmd := exec.CommandContext(ctx, bin, append(args, url)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, errOut.String())
	}
	return out.String()
}

// artifacts is where screenshots go: $HAWATCH_ARTIFACTS_DIR, else a
// temporary directory.
func artifacts(t *testing.T) string {
	dir := os.Getenv("HAWATCH_ARTIFACTS_DIR")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestStatusPageInBrowser loads the status page of the daemon watching the
// simulator in headless Chromium: after the page's script ran, the DOM shows
// the pair, both peers' HA states, and the pair going down when both peers
// lose their links. Screenshots of both are kept as test artifacts.
func TestStatusPageInBrowser(t *testing.T) {
	s := startSim(t, sim.Options{})
	d := startDaemon(t, simEnv(s))
	d.waitMetric(t, 20*time.Second, `hawatch_pair_active_peers{pair="edge"}`, "1")

	dom := browser(t, d.URL+"/", "--dump-dom")
	for _, want := range []string{`data-refreshed="1"`, `data-pair="edge"`, `data-peer="fw-a"`, `data-ha-state="active"`, `data-ha-state="passive"`} {
		if !strings.Contains(dom, want) {
			t.Errorf("status page DOM lacks %s", want)
		}
	}
	dir := artifacts(t)
	browser(t, d.URL+"/", "--screenshot="+filepath.Join(dir, "status-healthy.png"), "--window-size=1400,1000", "--hide-scrollbars")

	w := s.World()
	for i := range 2 {
		for _, iface := range []string{sim.IfaceHA2, sim.IfaceUntrust, sim.IfaceTrust} {
			w.SetInterface(i, iface, false)
		}
	}
	d.waitMetric(t, 20*time.Second, `hawatch_interface_up{interface="ethernet1/3",pair="edge",peer="fw-a"}`, "0")
	dom = browser(t, d.URL+"/", "--dump-dom")
	if !strings.Contains(dom, `data-status="down"`) {
		t.Errorf("status page does not show the pair down after both peers lost their links")
	}
	// The cause leads, before the list of evidence: the physical ports,
	// not the loopback, tunnel and vlan interfaces that stay up.
	cause, reasons := strings.Index(dom, `data-role="cause"`), strings.Index(dom, `class="reasons"`)
	if cause < 0 || reasons < 0 || cause > reasons {
		t.Errorf("the cause does not come first (cause at %d, reasons at %d)", cause, reasons)
	} else if line := dom[cause:min(len(dom), cause+200)]; !strings.Contains(line, "every data-plane port is down: fw-a ethernet1/2, ethernet1/3") {
		t.Errorf("cause %q does not name the dead ports", line)
	}
	browser(t, d.URL+"/", "--screenshot="+filepath.Join(dir, "status-links-down.png"), "--window-size=1400,1000", "--hide-scrollbars")
	if _, err := os.Stat(filepath.Join(dir, "status-links-down.png")); err != nil {
		t.Errorf("no screenshot: %v", err)
	}
}
