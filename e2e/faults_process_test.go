package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hawatch/hawatch/sim"
)

// processRows are the rows about hawatch's own process: its disk and its
// signals.
func processRows() []faultRow {
	return []faultRow{
		{"14 disk full under the data dir", rowDiskFull},
		{"15 SIGTERM during a slow poll", rowSIGTERM},
	}
}

// diskFullScript mounts a small tmpfs over the data directory in a private
// mount namespace, and fills it when $ctl/fill appears and empties it when
// $ctl/free appears, then runs hawatch in the same process. The watcher
// stops with hawatch.
const diskFullScript = `set -e
data=$1; ctl=$2; shift 2
mount -t tmpfs -o size=256k hawatch-fault "$data"
me=$$
(
  while [ ! -e "$ctl/fill" ] && kill -0 $me 2>/dev/null; do sleep 0.1; done
  dd if=/dev/zero of="$data/filler" bs=4k 2>/dev/null || true
  touch "$ctl/filled"
  while [ ! -e "$ctl/free" ] && kill -0 $me 2>/dev/null; do sleep 0.1; done
  rm -f "$data/filler"
  touch "$ctl/freed"
) &
exec "$@"
`

// rowDiskFull makes the journal's file system full, for real (ENOSPC on a
// tmpfs of 256 KiB mounted in a user and mount namespace of hawatch's
// own), while the HA1 link flaps so that there are events to record.
func rowDiskFull(t *testing.T, row string) {
	if err := exec.Command("unshare", "-rm", "true").Run(); err != nil {
		t.Skipf("no user and mount namespaces here (unshare -rm: %v): cannot make a real ENOSPC", err)
	}
	ctl := t.TempDir()
	var data string
	wrap := func() []string {
		data = t.TempDir()
		return []string{"unshare", "-rm", "sh", "-c", diskFullScript, "sh", data, ctl}
	}()
	t.Cleanup(func() { _ = os.WriteFile(filepath.Join(ctl, "free"), nil, 0o644) })
	fx := newFixture(t, row, fixtureOpts{wrap: wrap, env: func(_ *fixture, env map[string]string) {
		env["HAWATCH_DATA_DIR"] = data
	}})
	journal := fmt.Sprintf("/proc/%d/root%s/events.jsonl", fx.d.pid, data)
	touchAndWait(t, ctl, "fill", "filled")
	const msg = "cannot record events"
	polls := func() float64 { v, _ := fx.d.gauge(t, `hawatch_polls_total{pair="edge"}`); return v }
	before := polls()
	// Flap HA1 until an append crosses into a page the file system no
	// longer has.
	up := true
	eventually(t, 60*time.Second, "a journal write refused for lack of space", func() error {
		up = !up
		fx.world.SetHALink(sim.LinkHA1, up)
		fx.d.waitSample(t, "hawatch_ha_link_up", []string{`peer="fw-a"`, `link="ha1"`}, map[bool]string{true: "1", false: "0"}[up])
		time.Sleep(1500 * time.Millisecond)
		if len(fx.d.logLines(msg, nil)) == 0 {
			return fmt.Errorf("journal still written")
		}
		return nil
	})
	lines := fx.d.logLines(msg, map[string]string{"pair": "edge"})
	if len(lines) == 0 || !strings.Contains(lines[0].str("err"), "no space left on device") {
		t.Errorf("want lines naming the pair and ENOSPC, got %v", lines)
	}
	fx.note("%s", lastErr(lines))
	// Polling and metrics go on.
	fx.d.waitMetric(t, 5*time.Second, peerUp("fw-a"), "1")
	if after := polls(); after <= before {
		t.Errorf("polls_total %v → %v while the disk was full", before, after)
	}
	fx.alive(t)
	fx.cleared()
	touchAndWait(t, ctl, "free", "freed")
	size := fileSize(t, journal)
	failures := len(fx.d.logLines(msg, nil))
	fx.recovered(t, 30*time.Second, "events recorded again", func() error {
		if !up {
			fx.world.SetHALink(sim.LinkHA1, true)
			up = true
		}
		if n := fileSize(t, journal); n <= size {
			return fmt.Errorf("journal still %d bytes", n)
		}
		return nil
	})
	if n := len(fx.d.logLines(msg, nil)); n != failures {
		t.Errorf("%d more journal errors after space was freed", n-failures)
	}
	fx.finish(t, 32)
}

// touchAndWait creates ctl/name and waits until the script answers with
// ctl/done.
func touchAndWait(t *testing.T, ctl, name, done string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(ctl, name), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, done, func() error {
		_, err := os.Stat(filepath.Join(ctl, done))
		return err
	})
}

// fileSize returns the size of path, -1 when it cannot be read.
func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		return -1
	}
	return st.Size()
}

// rowSIGTERM stops hawatch while both peers hold a poll's requests: it
// must exit cleanly, with code 0, within 5 s.
func rowSIGTERM(t *testing.T, row string) {
	fx := newFixture(t, row, fixtureOpts{env: func(_ *fixture, env map[string]string) {
		env["HAWATCH_POLL_INTERVAL"] = "5s"
		env["HAWATCH_POLL_TIMEOUT"] = "4s"
	}})
	for i := range 2 {
		fx.world.SetFault(i, sim.Fault{Kind: sim.FaultSlow, Delay: 30 * time.Second})
		fx.world.ResetRequests(i)
	}
	eventually(t, 15*time.Second, "a request held by each peer", func() error {
		for i := range 2 {
			n := 0
			for _, c := range fx.world.Requests(i) {
				n += c
			}
			if n == 0 {
				return fmt.Errorf("peer %s: no request yet", sim.PeerName(i))
			}
		}
		return nil
	})
	u := fx.d.usage(t)
	fx.fig.GoAfter, fx.fig.FDsAfter, fx.fig.PeakHWM = u.Goroutines, u.FDs, u.HWM
	start := time.Now()
	if err := fx.d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-fx.d.done:
	case <-time.After(5 * time.Second):
		t.Fatalf("hawatch still running 5 s after SIGTERM")
	}
	fx.fig.Recovery = time.Since(start)
	fx.note("exit %s after SIGTERM (recovery column), code %d", fx.fig.Recovery.Round(time.Millisecond), fx.d.cmd.ProcessState.ExitCode())
	if code := fx.d.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	if out := fx.d.logs.String(); strings.Contains(out, "panic:") || strings.Contains(out, "goroutine ") {
		t.Errorf("panic or stack in the output at shutdown")
	}
}
