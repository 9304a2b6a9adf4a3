package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// plainBinary is hawatch built without the race detector, whose memory
// the fault rows measure: the race detector's shadow memory would swamp
// the figures. It is built once, on first use.
var plainBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "hawatch-e2e-plain")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "hawatch")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/hawatch").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("build hawatch: %w: %s", err, out)
	}
	return bin, nil
})

// faultDaemon is a hawatch process of the fault tests.
type faultDaemon struct {
	*daemon
	pid int
}

// startFaultDaemon runs bin (the plain build when empty), behind the
// command prefix wrap if any, with env and nothing of the test's own
// environment but PATH and HOME, and waits until it is ready. Logs are
// JSON, one object a line.
func startFaultDaemon(t *testing.T, bin string, env map[string]string, wrap ...string) *faultDaemon {
	t.Helper()
	if bin == "" {
		var err error
		if bin, err = plainBinary(); err != nil {
			t.Fatal(err)
		}
	}
	// A port found free may be taken by another process of the parallel
	// rows before hawatch binds it: start again on another one.
	for attempt := 1; ; attempt++ {
		d, err := tryFaultDaemon(t, bin, env, wrap...)
		if err == nil || attempt == 3 || !strings.Contains(err.Error(), "address already in use") {
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		t.Logf("listen address taken, starting hawatch again: %v", err)
	}
}

// tryFaultDaemon is one attempt of startFaultDaemon.
func tryFaultDaemon(t *testing.T, bin string, env map[string]string, wrap ...string) (*faultDaemon, error) {
	t.Helper()
	addr := freePort(t)
	env = maps.Clone(env)
	if _, ok := env["HAWATCH_LOG_FORMAT"]; !ok {
		env["HAWATCH_LOG_FORMAT"] = "json"
	}
	d := launch(t, addr, append(slices.Clone(wrap), bin), env)
	deadline := time.Now().Add(60 * time.Second)
	for {
		if err := d.exited(); err != nil {
			return nil, err
		}
		_, err := get(d.URL + "/-/ready")
		if err == nil {
			return &faultDaemon{daemon: d, pid: d.cmd.Process.Pid}, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("hawatch ready: not within 60s: %w", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// exited returns an error with the output once the process has ended.
func (d *daemon) exited() error {
	select {
	case <-d.done:
		return fmt.Errorf("hawatch exited (%v): %s", d.cmd.ProcessState, tail(d.logs.String(), 4000))
	default:
		return nil
	}
}

// usage is what a hawatch process costs at one moment.
type usage struct {
	RSS, HWM   int64 // KiB, from /proc/<pid>/status
	Goroutines float64
	FDs        float64
}

// usage reads the process's memory from /proc and its goroutines and open
// files from its own /metrics.
func (d *faultDaemon) usage(t *testing.T) usage {
	t.Helper()
	var u usage
	u.RSS, u.HWM = procMemory(t, d.pid)
	body, err := get(d.URL + "/metrics")
	if err != nil {
		t.Fatalf("scrape hawatch: %v", err)
	}
	ss := samples(body)
	u.Goroutines, _ = strconv.ParseFloat(ss["go_goroutines"], 64)
	u.FDs, _ = strconv.ParseFloat(ss["process_open_fds"], 64)
	return u
}

// procMemory returns VmRSS and VmHWM of pid in KiB.
func procMemory(t *testing.T, pid int) (rss, hwm int64) {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("read process status: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			rss = n
		case "VmHWM":
			hwm = n
		}
	}
	return rss, hwm
}

// logLine is one JSON log line of hawatch.
type logLine map[string]any

// logLines returns hawatch's log lines with the message msg whose
// attributes include every key and value of attrs.
func (d *daemon) logLines(msg string, attrs map[string]string) []logLine {
	var out []logLine
	for _, line := range strings.Split(d.logs.String(), "\n") {
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var l logLine
		if json.Unmarshal([]byte(line), &l) != nil || l["msg"] != msg {
			continue
		}
		ok := true
		for k, v := range attrs {
			ok = ok && fmt.Sprint(l[k]) == v
		}
		if ok {
			out = append(out, l)
		}
	}
	return out
}

// str returns an attribute of the line as text.
func (l logLine) str(k string) string {
	if v, ok := l[k]; ok {
		return fmt.Sprint(v)
	}
	return ""
}

// gauge returns the value of a series of hawatch's, and whether it is
// exported.
func (d *daemon) gauge(t *testing.T, series string) (float64, bool) {
	t.Helper()
	body, err := get(d.URL + "/metrics")
	if err != nil {
		t.Fatalf("scrape hawatch: %v", err)
	}
	v, ok := samples(body)[series]
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		t.Fatalf("%s = %q: %v", series, v, err)
	}
	return f, true
}
