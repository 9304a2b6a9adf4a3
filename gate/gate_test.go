package gate

import (
	"errors"
	"slices"
	"testing"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

func TestHealthyPairIsReady(t *testing.T) {
	r := Evaluate([]*snapshot.Pair{healthyPair()}, Options{})
	if r.ExitCode != ExitReady {
		t.Fatalf("exit code = %d, want 0; report %+v", r.ExitCode, r)
	}
	p := r.Pairs[0]
	if !p.Ready || p.CannotTell || p.Verdict() != VerdictReady {
		t.Errorf("pair ready=%v cannotTell=%v verdict=%s, want ready", p.Ready, p.CannotTell, p.Verdict())
	}
	var names []string
	for _, c := range p.Checks {
		names = append(names, c.Name)
		if c.Status != StatusPass {
			t.Errorf("check %s = %s (%s), want pass", c.Name, c.Status, c.Evidence)
		}
		if c.Evidence == "" {
			t.Errorf("check %s has no evidence", c.Name)
		}
	}
	want := []string{
		CheckReachable, CheckHAEnabled, CheckHAStates, CheckHALinks, CheckDataPlaneLinks, CheckPeersConnected,
		CheckConfigSync, CheckSessionSync, CheckVersionsMatch,
		CheckAWSInstances, CheckAWSENIs, CheckAWSSourceDest, CheckAWSSubnets, CheckAWSRoutes, CheckAWSFloatingIPs,
		CheckFailoverReady, CheckTraffic,
	}
	if !slices.Equal(names, want) {
		t.Errorf("checks = %v, want %v", names, want)
	}
}

func TestOptionalChecksAppearWithTheirOptions(t *testing.T) {
	p := healthyPair()
	p.AWS, p.AWSView, p.Config.AWSEnabled = nil, nil, false
	r := Evaluate([]*snapshot.Pair{p}, Options{ExpectActive: "fw-a", ExpectVersion: map[string]string{AllPeers: "10.2.3"}})
	var names []string
	for _, c := range r.Pairs[0].Checks {
		names = append(names, c.Name)
	}
	want := []string{
		CheckReachable, CheckHAEnabled, CheckHAStates, CheckHALinks, CheckDataPlaneLinks, CheckPeersConnected,
		CheckConfigSync, CheckSessionSync, CheckVersionsMatch, CheckExpectedActive, CheckExpectedVersion,
		CheckTraffic,
	}
	if !slices.Equal(names, want) {
		t.Errorf("checks = %v, want %v", names, want)
	}
	if r.ExitCode != ExitReady {
		t.Errorf("exit code = %d, want 0", r.ExitCode)
	}
}

func TestExitCodes(t *testing.T) {
	ready := healthyPair
	notReady := func() *snapshot.Pair {
		p := healthyPair()
		p.Name = "broken"
		p.Peers[1].HA.StateSync = "Incomplete"
		return p
	}
	cannotTell := func() *snapshot.Pair {
		p := healthyPair()
		p.Name = "dark"
		p.Peers[1].Up, p.Peers[1].Err = false, errors.New("dial tcp 10.0.0.11:443: i/o timeout")
		return p
	}
	tests := []struct {
		name  string
		snaps []*snapshot.Pair
		want  int
		pairs int
	}{
		{"one ready", []*snapshot.Pair{ready()}, ExitReady, 1},
		{"two ready", []*snapshot.Pair{ready(), ready()}, ExitReady, 2},
		{"one not ready", []*snapshot.Pair{ready(), notReady()}, ExitNotReady, 2},
		{"cannot tell beats not ready", []*snapshot.Pair{notReady(), cannotTell(), ready()}, ExitCannotTell, 3},
		{"no pair", nil, ExitCannotTell, 0},
		{"nil snapshots are skipped", []*snapshot.Pair{nil, ready()}, ExitReady, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Evaluate(tc.snaps, Options{})
			if r.ExitCode != tc.want {
				t.Errorf("exit code = %d, want %d", r.ExitCode, tc.want)
			}
			if len(r.Pairs) != tc.pairs {
				t.Errorf("%d pairs, want %d", len(r.Pairs), tc.pairs)
			}
		})
	}
}

func TestUnreachablePeerCannotTellEvenWithFailures(t *testing.T) {
	p := healthyPair()
	b := p.Peers[1]
	b.Up, b.Err, b.HA, b.Interfaces, b.Sessions = false, errors.New("dial tcp: connection refused"), nil, nil, nil
	a := p.Peers[0].HA
	a.PeerConnected, a.PeerStateRaw = false, "unknown"
	a.Links[1].Up, a.Links[1].Status = false, "down"

	r := Evaluate([]*snapshot.Pair{p}, Options{})
	pr := r.Pairs[0]
	if !pr.CannotTell || pr.Ready || r.ExitCode != ExitCannotTell {
		t.Fatalf("cannotTell=%v ready=%v exit=%d, want cannot tell and exit 2", pr.CannotTell, pr.Ready, r.ExitCode)
	}
	if c := findCheck(t, r, CheckReachable); c.Status != StatusUnknown {
		t.Errorf("reachability = %s, want unknown", c.Status)
	}
	// What the answering peer shows is still reported as failed.
	if c := findCheck(t, r, CheckHALinks); c.Status != StatusFail {
		t.Errorf("ha-links = %s (%s), want fail", c.Status, c.Evidence)
	}
	if pr.Count(StatusFail) == 0 || pr.Count(StatusUnknown) == 0 {
		t.Errorf("counts pass=%d fail=%d unknown=%d", pr.Count(StatusPass), pr.Count(StatusFail), pr.Count(StatusUnknown))
	}
}

func TestReachability(t *testing.T) {
	runCheckCases(t, []checkCase{{
		name: "both answer", check: CheckReachable, status: StatusPass,
		evidence: []string{"fw-a (10.0.0.10:443) answered", "fw-b (10.0.0.11:443) answered"}, exit: exitIs(0),
	}, {
		name: "timeout",
		mutate: func(p *snapshot.Pair) {
			p.Peers[1].Up, p.Peers[1].Err = false, errors.New("context deadline exceeded")
		},
		check: CheckReachable, status: StatusUnknown,
		evidence: []string{"fw-b did not answer (context deadline exceeded)"}, exit: exitIs(2),
	}, {
		name: "bad credentials",
		mutate: func(p *snapshot.Pair) {
			p.Peers[0].Up = false
			p.Peers[0].Err = errors.Join(&probe.APIError{Status: "error", Code: 403, Message: "Invalid credentials."})
		},
		check: CheckReachable, status: StatusUnknown,
		evidence: []string{"fw-a refused hawatch's credentials", "403"}, exit: exitIs(2),
	}, {
		name:   "one peer only",
		mutate: func(p *snapshot.Pair) { p.Peers = p.Peers[:1] },
		check:  CheckReachable, status: StatusUnknown,
		evidence: []string{"pair has 1 peer(s), want 2"}, exit: exitIs(2),
	}})
}
