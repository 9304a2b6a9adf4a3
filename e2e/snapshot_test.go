package e2e

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hawatch/hawatch/sim"
)

// runSnapshot runs `hawatch snapshot ARGS` with env and returns its exit
// code and standard output; standard error goes to the test log.
func runSnapshot(t *testing.T, env map[string]string, args ...string) (int, string) {
	t.Helper()
	return runCommand(t, env, "snapshot", args...)
}

// stepClock is a world clock the test moves by hand.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *stepClock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// TestSnapshotDiffAcrossIncidentReboot plays the incident's steps on the
// simulator, on a clock moved by each step's wait, and takes a snapshot
// with the binary just before the second upgrade's reboot and another 30 s
// after both peers lost their links (when the scenario would recover). The
// diff must name the lost interfaces of both peers and the lost sessions,
// and exit 1.
func TestSnapshotDiffAcrossIncidentReboot(t *testing.T) {
	clk := &stepClock{now: time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)}
	s := startSim(t, sim.Options{WorldOptions: sim.WorldOptions{Clock: clk.Now}})
	env := simEnv(s)
	env["HAWATCH_DATA_DIR"] = t.TempDir()
	save := func(name string) {
		t.Helper()
		if code, out := runSnapshot(t, env, "save", name); code != 0 {
			t.Fatalf("save %s: exit %d\n%s", name, code, out)
		}
	}
	for _, st := range sim.Incident().Steps {
		clk.Add(st.After)
		switch st.Name {
		case sim.StepNameUpgradeOther:
			save("before-reboot")
		case sim.StepNameRecovery:
			save("after-reboot")
		}
		if st.Name == sim.StepNameRecovery {
			break
		}
		st.Apply(s.World())
	}
	code, out := runSnapshot(t, env, "diff", "before-reboot", "after-reboot")
	t.Logf("hawatch snapshot diff before-reboot after-reboot:\n%s", out)
	if code != 1 {
		t.Errorf("exit %d, want 1 (differences over the thresholds)", code)
	}
	lines := map[string]string{} // check → its line
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) > 2 {
			lines[f[1]] = l
		}
	}
	for check, want := range map[string]string{
		"interfaces-up": "fw-a lost 3 of 3 ports that were up: ethernet1/1, ethernet1/2, ethernet1/3; " +
			"fw-b lost 3 of 3 ports that were up: ethernet1/1, ethernet1/2, ethernet1/3",
		"sessions":      "%, tolerance 10 %)",
		"routes":        "fw-b: 8 route(s) removed: default 0.0.0.0/0 via 10.0.2.1 dev ethernet1/2",
		"arp":           "fw-b: 4 ARP entr(ies) missing: 10.0.2.1 on ethernet1/2",
		"ipsec-tunnels": "fw-b: tunnel(s) no longer up: to-dc",
	} {
		if l := lines[check]; !strings.HasPrefix(l, "FAIL") || !strings.Contains(l, want) {
			t.Errorf("%s: line %q, want FAIL with %q", check, l, want)
		}
	}
	// Sessions age out once traffic stops: a loss, not a rise.
	if !strings.Contains(lines["sessions"], "(-") {
		t.Errorf("sessions: %q, want a loss", lines["sessions"])
	}
	if !strings.Contains(out, "result: DIFFERENT (exit 1)") {
		t.Error("no result line")
	}
	runbookBlock(t, "../docs/upgrade-runbook.md", "snapshot-diff-incident",
		"$ hawatch snapshot diff before-reboot after-reboot\n"+out)
}

// runbookBlock checks that the fenced block between the named markers of
// a document is text, or with -update writes it there.
func runbookBlock(t *testing.T, path, marker, text string) {
	t.Helper()
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	begin, end := "<!-- "+marker+": begin -->\n", "<!-- "+marker+": end -->"
	i, j := strings.Index(string(doc), begin), strings.Index(string(doc), end)
	if i < 0 || j < i {
		t.Fatalf("%s: no %s markers", path, marker)
	}
	block := "```\n" + text + "```\n"
	if *update {
		out := string(doc[:i+len(begin)]) + block + string(doc[j:])
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil { //nolint:gosec // a document
			t.Fatal(err)
		}
		return
	}
	if got := string(doc[i+len(begin) : j]); got != block {
		t.Errorf("%s: the %s block differs from what hawatch prints; run with -update\n got:\n%s\nwant:\n%s", path, marker, got, block)
	}
}
