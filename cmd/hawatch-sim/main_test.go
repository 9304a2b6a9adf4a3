package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sethvargo/go-envconfig"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/daemon"
	"github.com/hawatch/hawatch/web"
)

// startSim runs the command with args and returns its control API URL.
func startSim(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, pw, io.Discard); _ = pw.Close() }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("hawatch-sim: %v", err)
		}
	})
	sc := bufio.NewScanner(pr)
	if !sc.Scan() {
		t.Fatalf("hawatch-sim printed nothing: %v", <-done)
	}
	control, ok := strings.CutPrefix(sc.Text(), "control ")
	if !ok {
		t.Fatalf("first line %q, want the control URL", sc.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	return control
}

// startDaemon runs the daemon in-process on the configuration in dir.
func startDaemon(t *testing.T, dir string) string {
	t.Helper()
	env := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(readFile(t, dir+"/hawatch.env")), "\n") {
		k, v, _ := strings.Cut(line, "=")
		env[k] = v
		// The AWS SDK reads its credentials from the process environment.
		if strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, v)
		}
	}
	cfg, err := config.Load(envconfig.MapLookuper(env))
	if err != nil {
		t.Fatalf("load the written configuration: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d, err := daemon.New(daemon.Options{Config: cfg, Listener: ln})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return "http://" + ln.Addr().String()
}

func TestSimulatedPairsPolledAndBroken(t *testing.T) {
	dir := t.TempDir()
	control := startSim(t, "--pairs", "3", "--dir", dir, "--aws", "--poll-interval", "500ms", "--aws-poll-interval", "1s")
	hw := startDaemon(t, dir)

	eventually(t, "every pair healthy with AWS checks passing", func() error {
		return wantStatus(hw, map[string]web.Status{"pair-0001": web.StatusHealthy, "pair-0002": web.StatusHealthy, "pair-0003": web.StatusHealthy})
	})
	post(t, control+"/pairs/pair-0002/break?fault=links-down", http.StatusOK)
	eventually(t, "pair-0002 down, the others healthy", func() error {
		return wantStatus(hw, map[string]web.Status{"pair-0001": web.StatusHealthy, "pair-0002": web.StatusDown, "pair-0003": web.StatusHealthy})
	})
	post(t, control+"/pairs/pair-0002/restore", http.StatusOK)
	eventually(t, "pair-0002 healthy again", func() error {
		return wantStatus(hw, map[string]web.Status{"pair-0001": web.StatusHealthy, "pair-0002": web.StatusHealthy, "pair-0003": web.StatusHealthy})
	})

	var counts struct {
		Pairs int            `json:"pairs"`
		PANOS map[string]int `json:"panos_requests"`
		EC2   map[string]int `json:"ec2_calls"`
	}
	getJSON(t, control+"/counts", &counts)
	// Several polls of 3 pairs, 2 peers each, have run by now; the pairs
	// of the one simulated region share each AWS poll's calls.
	// (scheduler's TestAWSGroupPollsPairsTogether counts them exactly).
	if counts.Pairs != 3 || counts.PANOS["ha"] < 12 || counts.EC2["DescribeInstances"] < 1 {
		t.Errorf("counts %+v: want 3 pairs, at least 12 ha requests and a DescribeInstances call", counts)
	}
	post(t, control+"/pairs/pair-0002/break?fault=no-such-fault", http.StatusBadRequest)
	post(t, control+"/pairs/pair-9999/restore", http.StatusNotFound)
}

// wantStatus checks each pair's status on the daemon's API, and that the
// healthy ones have a known AWS side with nothing failing.
func wantStatus(hw string, want map[string]web.Status) error {
	resp, err := http.Get(hw + "/api/v1/pairs")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var v struct{ Pairs []web.PairView }
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		return err
	}
	if len(v.Pairs) != len(want) {
		return fmt.Errorf("%d pairs, want %d", len(v.Pairs), len(want))
	}
	for _, p := range v.Pairs {
		if p.Status != want[p.Name] {
			return fmt.Errorf("%s is %s (%v), want %s", p.Name, p.Status, p.Reasons, want[p.Name])
		}
		if p.Status == web.StatusHealthy && (p.AWS == nil || !p.AWS.Known || p.AWS.Failing > 0 || p.AWS.Passing == 0) {
			return fmt.Errorf("%s AWS side %+v, want known and passing", p.Name, p.AWS)
		}
	}
	return nil
}

func eventually(t *testing.T, what string, f func() error) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func post(t *testing.T, url string, want int) {
	t.Helper()
	resp, err := http.Post(url, "", nil) //nolint:gosec // test URL on loopback
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		t.Fatalf("POST %s: %d %s, want %d", url, resp.StatusCode, body, want)
	}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url) //nolint:gosec // test URL on loopback
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
