package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hawatch/hawatch/sim"
)

// binary is the hawatch binary built once for the package.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hawatch-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "hawatch")
	build := exec.Command("go", "build", "-race", "-o", binary,
		"-ldflags", "-X github.com/prometheus/common/version.Version=0.0.0-e2e -X github.com/prometheus/common/version.Revision=e2e",
		"../cmd/hawatch")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build hawatch:", err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// freePort returns a loopback address with a port nobody listens on.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startSim starts the simulator for one test.
func startSim(t *testing.T, opts sim.Options) *sim.Sim {
	t.Helper()
	opts.Dir = t.TempDir()
	s, err := sim.Start(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// simEnv is the environment that points hawatch at the simulator, AWS
// included, through the SDK's default credential chain.
func simEnv(s *sim.Sim) map[string]string {
	return map[string]string{
		"HAWATCH_PAIR":                 "edge",
		"HAWATCH_PEER_A":               s.PeerAddr(0),
		"HAWATCH_PEER_A_NAME":          "fw-a",
		"HAWATCH_PEER_B":               s.PeerAddr(1),
		"HAWATCH_PEER_B_NAME":          "fw-b",
		"HAWATCH_PANOS_API_KEY":        s.APIKey(),
		"HAWATCH_PANOS_CA_FILE":        s.CAFile(),
		"HAWATCH_POLL_INTERVAL":        "1s",
		"HAWATCH_POLL_TIMEOUT":         "800ms",
		"HAWATCH_AWS_REGION":           "us-east-1",
		"HAWATCH_AWS_ENDPOINT":         s.EC2URL(),
		"HAWATCH_AWS_POLL_INTERVAL":    "2s",
		"HAWATCH_AWS_GRACE_PERIOD":     "0s",
		"HAWATCH_LOG_LEVEL":            "debug",
		"AWS_ACCESS_KEY_ID":            "AKIDHAWATCHE2E",
		"AWS_SECRET_ACCESS_KEY":        "e2e-aws-secret-value",
		"AWS_EC2_METADATA_DISABLED":    "true",
		"AWS_CONFIG_FILE":              "/nonexistent",
		"AWS_SHARED_CREDENTIALS_FILE":  "/nonexistent",
		"HAWATCH_AWS_HA_MODE":          "auto",
		"HAWATCH_SYSTEM_INFO_INTERVAL": "1h",
	}
}

// daemon is a running hawatch binary.
type daemon struct {
	URL  string
	cmd  *exec.Cmd
	logs *syncBuffer
	done chan struct{}
}

// syncBuffer collects a process's output for assertions.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startDaemon runs the binary with env (and nothing of the test's own
// environment but PATH and HOME) and waits until it is ready.
func startDaemon(t *testing.T, env map[string]string, args ...string) *daemon {
	t.Helper()
	return startDaemonWith(t, env, func(addr string) error {
		_, err := get("http://" + addr + "/-/ready")
		return err
	}, args...)
}

// startDaemonWith is startDaemon with its own readiness probe.
func startDaemonWith(t *testing.T, env map[string]string, ready func(addr string) error, args ...string) *daemon {
	t.Helper()
	addr := freePort(t)
	d := launch(t, addr, append([]string{binary}, args...), env)
	eventually(t, 30*time.Second, "hawatch ready", func() error {
		select {
		case <-d.done:
			return fmt.Errorf("hawatch exited: %s", d.logs.String())
		default:
		}
		return ready(addr)
	})
	return d
}

// launch starts argv listening on addr with env (and nothing of the
// test's own environment but PATH and HOME), its output captured; the
// process is stopped, and its output shown if the test failed, at
// cleanup.
func launch(t *testing.T, addr string, argv []string, env map[string]string) *daemon {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "HAWATCH_LISTEN_ADDRESS=" + addr}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	d := &daemon{URL: "http://" + addr, cmd: cmd, logs: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = d.logs, d.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = cmd.Wait(); close(d.done) }()
	t.Cleanup(func() {
		d.stop()
		if t.Failed() {
			t.Logf("hawatch output:\n%s", tail(d.logs.String(), 16000))
		}
	})
	return d
}

func (d *daemon) stop() {
	select {
	case <-d.done:
		return
	default:
	}
	_ = d.cmd.Process.Signal(os.Interrupt)
	select {
	case <-d.done:
	case <-time.After(10 * time.Second):
		_ = d.cmd.Process.Kill()
		<-d.done
	}
}

// get fetches url and fails on any status but 200.
func get(url string) (string, error) {
	resp, err := http.Get(url) //nolint:gosec // test URLs on loopback
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return string(b), fmt.Errorf("GET %s: %s: %s", url, resp.Status, strings.TrimSpace(string(b)))
	}
	return string(b), nil
}

// eventually retries f until it succeeds or the timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, f func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var err error
	for time.Now().Before(deadline) {
		if err = f(); err == nil {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s: not within %s: %v", what, timeout, err)
}

// samples parses an exposition into "name{labels}" → value.
func samples(text string) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		out[line[:i]] = line[i+1:]
	}
	return out
}

// metric waits until the series has the value.
func (d *daemon) waitMetric(t *testing.T, timeout time.Duration, series, value string) {
	t.Helper()
	eventually(t, timeout, series+" = "+value, func() error {
		body, err := get(d.URL + "/metrics")
		if err != nil {
			return err
		}
		if got, ok := samples(body)[series]; !ok || got != value {
			return fmt.Errorf("%s = %q (present %v)", series, got, ok)
		}
		return nil
	})
}
