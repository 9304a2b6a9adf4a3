package scheduler

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/sim/ec2sim"
)

// groupBackend is an EC2 world of n pairs, each two running instances
// with one ENI each, that the test may throttle.
type groupBackend struct {
	mu       sync.Mutex
	n        int
	throttle bool
}

func (b *groupBackend) World() ec2sim.World {
	b.mu.Lock()
	defer b.mu.Unlock()
	w := ec2sim.World{Region: "us-east-1", VPCID: "vpc-1", Faults: ec2sim.Faults{Throttle: b.throttle}}
	for k := range b.n {
		for i := range 2 {
			id := groupInstance(k, i)
			ip := fmt.Sprintf("10.%d.%d.%d", k/200, k%200, 10+i)
			w.Instances = append(w.Instances, ec2sim.Instance{ID: id, State: "running", PrivateIP: ip,
				SubnetID: "subnet-1", AZ: "us-east-1a", VPCID: "vpc-1", InstanceType: "m5.xlarge"})
			w.ENIs = append(w.ENIs, ec2sim.ENI{ID: "eni-" + id[2:], SubnetID: "subnet-1", VPCID: "vpc-1",
				AZ: "us-east-1a", Status: "in-use", InstanceID: id, AttachmentStatus: "attached",
				PrivateIPs: []ec2sim.PrivateIP{{IP: ip, Primary: true}}})
		}
	}
	w.Subnets = []ec2sim.Subnet{{ID: "subnet-1", VPCID: "vpc-1", CIDR: "10.0.0.0/8", AZ: "us-east-1a"}}
	return w
}

func groupInstance(k, i int) string { return fmt.Sprintf("i-%05x%d", k, i) }

// startGroupPairs runs n pairs whose AWS side is served by one simulated
// region, through the daemon's own AWS prober builder.
func startGroupPairs(t *testing.T, n int, interval time.Duration) (*groupBackend, *ec2sim.Handler, []*PairWatcher) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	b := &groupBackend{n: n}
	h := ec2sim.NewHandler(b, nil)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	newAWS := newEC2Prober(nil)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	ws := make([]*PairWatcher, n)
	for k := range ws {
		cfg := pairConfig()
		cfg.Name = fmt.Sprintf("pair-%03d", k)
		cfg.Peers = [2]config.PeerConfig{{Name: "a", InstanceID: groupInstance(k, 0)}, {Name: "b", InstanceID: groupInstance(k, 1)}}
		cfg.AWS = &config.AWSConfig{Region: "us-east-1", Endpoint: srv.URL, Mode: probe.AWSModeAuto, PollInterval: interval}
		aws, err := newAWS(ctx, cfg.Name, cfg.AWS)
		if err != nil {
			t.Fatal(err)
		}
		ws[k] = NewPairWatcher(WatcherOptions{Config: cfg, AWS: aws,
			Peers: []PeerProber{peerIn("a", probe.StateActive), peerIn("b", probe.StatePassive)}})
		wg.Go(func() { ws[k].Run(ctx) })
	}
	return b, h, ws
}

// waitAWS waits until every pair has an AWS status that passes ok.
func waitAWS(t *testing.T, ws []*PairWatcher, what string, ok func(*probe.AWSStatus) bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for _, w := range ws {
		for st := w.latestAWS.Load(); st == nil || !ok(st); st = w.latestAWS.Load() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: %s still has %+v", what, w.cfg.Name, st)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// The pairs of one region are polled together: one call per operation
// per round, however many pairs, and each pair gets its own instances.
func TestAWSGroupPollsPairsTogether(t *testing.T) {
	const n = 40
	_, h, ws := startGroupPairs(t, n, 400*time.Millisecond)
	waitAWS(t, ws, "first round", func(st *probe.AWSStatus) bool { return st.OK() })
	for k, w := range ws {
		st := w.latestAWS.Load()
		if len(st.Instances) != 2 || st.Instances[0].ID != groupInstance(k, 0) || st.Instances[1].Peer != "b" ||
			len(st.ENIs) != 2 || st.ENIs[1].InstanceID != groupInstance(k, 1) {
			t.Fatalf("%s: instances %+v, ENIs %+v", w.cfg.Name, st.Instances, st.ENIs)
		}
	}
	// Pairs that joined late had a round of their own; from now on
	// every round serves them all.
	rounds := func() []uint64 {
		ws[0].mu.Lock()
		client := ws[0].stats.AWSClient
		ws[0].mu.Unlock()
		out := make([]uint64, len(ws))
		for k, w := range ws {
			w.mu.Lock()
			out[k] = w.stats.AWSPolls
			if w.stats.AWSClient == "" || w.stats.AWSClient != client {
				t.Errorf("%s: AWS client %q", w.cfg.Name, w.stats.AWSClient)
			}
			w.mu.Unlock()
		}
		return out
	}
	time.Sleep(400 * time.Millisecond)
	calls0, rounds0 := h.Calls(), rounds()
	time.Sleep(1200 * time.Millisecond)
	calls1, rounds1 := h.Calls(), rounds()
	done := rounds1[0] - rounds0[0]
	for k := range ws {
		if d := rounds1[k] - rounds0[k]; d+1 < done || d > done+1 {
			t.Errorf("%s: %d AWS polls while %s had %d", ws[k].cfg.Name, d, ws[0].cfg.Name, done)
		}
	}
	if done < 2 {
		t.Fatalf("only %d rounds in 1.2 s at a 400 ms interval: %v %v %v %v", done, rounds0, rounds1, calls0, calls1)
	}
	// At most one call per operation per round (ENIs: attached ones, and
	// none left). A round that runs out of its 320 ms on a loaded machine
	// makes fewer calls, so only the first call of a round must be there.
	for _, op := range []string{probe.OpDescribeInstances, probe.OpDescribeNetworkInterfaces, probe.OpDescribeInstanceStatus} {
		if got := uint64(calls1[op] - calls0[op]); got > done+1 {
			t.Errorf("%s: %d calls for %d pairs over %d rounds", op, got, n, done)
		}
	}
	if got := uint64(calls1[probe.OpDescribeInstances] - calls0[probe.OpDescribeInstances]); got+1 < done {
		t.Errorf("%s: %d calls over %d rounds", probe.OpDescribeInstances, got, done)
	}
	t.Logf("%d pairs, %d rounds: calls %v then %v", n, done, calls0, calls1)
}

// A throttled region makes every pair's AWS side unknown with the same
// error; once it lifts, every pair reads AWS again.
func TestAWSGroupThrottled(t *testing.T) {
	b, _, ws := startGroupPairs(t, 10, 300*time.Millisecond)
	waitAWS(t, ws, "healthy", func(st *probe.AWSStatus) bool { return st.OK() })
	b.mu.Lock()
	b.throttle = true
	b.mu.Unlock()
	// The retryer backs off past this short interval's deadline: the
	// round ends throttled or out of time, the same for every pair. (A
	// round that was under way when the throttling began fails only its
	// later calls.)
	waitAWS(t, ws, "throttled", func(st *probe.AWSStatus) bool { return st.Errors[probe.OpDescribeInstances] != nil })
	// A round's statuses reach the pairs one by one: compare the pairs'
	// errors once no round is being delivered.
	var diff []string
	for range 20 {
		diff = diff[:0]
		var first string
		for _, w := range ws {
			st := w.latestAWS.Load()
			var ce *probe.AWSCallError
			if !errors.As(st.Errors[probe.OpDescribeInstances], &ce) || ce.Pair != w.cfg.Name || len(st.Instances) != 0 {
				t.Fatalf("%s: %v", w.cfg.Name, st.Errors)
			}
			if key := probe.ErrorKey(ce.Err); first == "" {
				first = key
			} else if key != first {
				diff = append(diff, fmt.Sprintf("%s: error %q, another pair's %q", w.cfg.Name, key, first))
			}
		}
		if len(diff) == 0 {
			break
		}
		time.Sleep(37 * time.Millisecond)
	}
	if len(diff) > 0 {
		t.Error(strings.Join(diff, "\n"))
	}
	b.mu.Lock()
	b.throttle = false
	b.mu.Unlock()
	waitAWS(t, ws, "recovered", func(st *probe.AWSStatus) bool { return st.OK() && len(st.Instances) == 2 })
}
