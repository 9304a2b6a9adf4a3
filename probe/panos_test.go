package probe_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/sim"
)

// startSim starts the simulator for one test.
func startSim(t *testing.T) *sim.Sim {
	t.Helper()
	s, err := sim.Start(context.Background(), sim.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// newPeer returns a prober of peer i with the real pango client over HTTPS,
// verifying the simulator's certificate with its CA file.
func newPeer(t *testing.T, s *sim.Sim, i int, creds probe.Credentials, timeout time.Duration) *probe.PANOSPeer {
	t.Helper()
	tr, err := probe.NewTransport(probe.TLSOptions{CAFile: s.CAFile()})
	if err != nil {
		t.Fatal(err)
	}
	p, err := probe.NewPANOSPeer(probe.PANOSPeerOptions{
		Name: []string{"fw-a", "fw-b"}[i], Address: s.PeerAddr(i), Credentials: creds,
		Transport: tr, Timeout: timeout, SystemInfoInterval: time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func keyCreds(s *sim.Sim) probe.Credentials { return probe.Credentials{APIKey: s.APIKey()} }

func TestPollHealthyPair(t *testing.T) {
	s := startSim(t)
	a := newPeer(t, s, sim.PeerA, keyCreds(s), 5*time.Second).Poll(context.Background())
	b := newPeer(t, s, sim.PeerB, keyCreds(s), 5*time.Second).Poll(context.Background())
	for _, st := range []*probe.PeerStatus{a, b} {
		if !st.Up || st.Err != nil {
			t.Fatalf("%s: up=%v err=%v", st.Name, st.Up, st.Err)
		}
		for _, r := range st.Results {
			if r.Err != nil {
				t.Errorf("%s %s: %v", st.Name, r.Command, r.Err)
			}
		}
		if st.HA == nil || st.Interfaces == nil || st.Sessions == nil || st.Counters == nil || st.System == nil {
			t.Fatalf("%s: missing parts: %+v", st.Name, st)
		}
	}
	if a.HA.LocalState != probe.StateActive || b.HA.LocalState != probe.StatePassive {
		t.Errorf("states: a=%s b=%s, want active/passive", a.HA.LocalState, b.HA.LocalState)
	}
	if a.HA.PeerState != probe.StatePassive || !a.HA.PeerConnected {
		t.Errorf("a sees peer %s connected=%v", a.HA.PeerState, a.HA.PeerConnected)
	}
	if a.System.SWVersion != sim.DefaultVersion || a.System.Hostname == "" {
		t.Errorf("system info: %+v", a.System)
	}
	if len(a.HA.Links) == 0 {
		t.Error("no HA links")
	}
	for _, l := range a.HA.Links {
		if !l.Up {
			t.Errorf("link %s down on a healthy pair", l.Name)
		}
	}
}

// TestPollRequestsPerPoll pins the API cost of a poll: the first poll also
// reads system info (through pango's Initialize), later ones only the four
// poll commands.
func TestPollRequestsPerPoll(t *testing.T) {
	s := startSim(t)
	p := newPeer(t, s, sim.PeerA, keyCreds(s), 5*time.Second)
	p.Poll(context.Background())
	first := total(s.PANOS(sim.PeerA).Requests())
	p.Poll(context.Background())
	second := total(s.PANOS(sim.PeerA).Requests()) - first
	if first != 5 || second != 4 {
		t.Errorf("requests: first poll %d (want 5), next poll %d (want 4): %v", first, second, s.PANOS(sim.PeerA).Requests())
	}
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func TestPollKeygenFromPassword(t *testing.T) {
	s := startSim(t)
	user, pass := s.Credentials()
	st := newPeer(t, s, sim.PeerA, probe.Credentials{Username: user, Password: pass}, 5*time.Second).Poll(context.Background())
	if !st.Up {
		t.Fatalf("not up: %v", st.Err)
	}
	if got := s.PANOS(sim.PeerA).Requests()[sim.CmdKeygen]; got != 1 {
		t.Errorf("keygen requests = %d, want 1", got)
	}
}

// TestPollRenewsRefusedKey: a key that stops working (expired, rotated) is
// generated again from the username and password, within the same poll.
func TestPollRenewsRefusedKey(t *testing.T) {
	s := startSim(t)
	user, pass := s.Credentials()
	p := newPeer(t, s, sim.PeerA, probe.Credentials{Username: user, Password: pass}, 5*time.Second)
	if st := p.Poll(context.Background()); !st.Up {
		t.Fatalf("first poll: %v", st.Err)
	}
	s.World().SetFault(sim.PeerA, sim.Fault{Kind: sim.FaultForbidden, Command: sim.CmdHA})
	st := p.Poll(context.Background())
	r, _ := st.Result(probe.CmdHA)
	var apiErr *probe.APIError
	if !errors.As(r.Err, &apiErr) || !apiErr.AuthFailed() {
		t.Fatalf("ha with a refused key: %v, want an auth failure", r.Err)
	}
	if r.Requests != 3 {
		t.Errorf("ha took %d requests, want 3 (op, keygen, op)", r.Requests)
	}
	if got := s.PANOS(sim.PeerA).Requests()[sim.CmdKeygen]; got != 2 {
		t.Errorf("keygen requests = %d, want 2", got)
	}
}

func TestPollForbidden(t *testing.T) {
	s := startSim(t)
	st := newPeer(t, s, sim.PeerA, probe.Credentials{APIKey: "wrong"}, 5*time.Second).Poll(context.Background())
	if st.Up {
		t.Fatal("up with a wrong key")
	}
	var apiErr *probe.APIError
	if !errors.As(st.Err, &apiErr) || !apiErr.AuthFailed() {
		t.Fatalf("err = %v, want an auth failure", st.Err)
	}
	if strings.Contains(st.Err.Error(), s.APIKey()) || strings.Contains(st.Err.Error(), "wrong") {
		t.Errorf("error leaks a key: %v", st.Err)
	}
}

// TestPollOneCommandFails: a peer that answers one command with an error
// is still up, and the other commands' data is kept.
func TestPollOneCommandFails(t *testing.T) {
	for _, kind := range []sim.FaultKind{sim.FaultMalformed, sim.FaultHTML, sim.FaultError, sim.FaultReset} {
		t.Run(string(kind), func(t *testing.T) {
			s := startSim(t)
			p := newPeer(t, s, sim.PeerA, keyCreds(s), 5*time.Second)
			p.Poll(context.Background())
			s.World().SetFault(sim.PeerA, sim.Fault{Kind: kind, Command: sim.CmdSessions, Code: 12, Message: "internal"})
			st := p.Poll(context.Background())
			if !st.Up {
				t.Fatalf("peer down after one failed command: %v", st.Err)
			}
			r, _ := st.Result(probe.CmdSessions)
			if r.Err == nil || st.Sessions != nil {
				t.Fatalf("sessions: err=%v sessions=%v", r.Err, st.Sessions)
			}
			if st.HA == nil || st.Interfaces == nil || st.Counters == nil {
				t.Error("other commands' data lost")
			}
			if kind == sim.FaultMalformed || kind == sim.FaultHTML {
				if !errors.Is(r.Err, probe.ErrMalformed) {
					t.Errorf("err = %v, want ErrMalformed", r.Err)
				}
			}
		})
	}
}

// TestPollUnsupportedCommand: code 17 marks the command unsupported.
func TestPollUnsupportedCommand(t *testing.T) {
	s := startSim(t)
	p := newPeer(t, s, sim.PeerA, keyCreds(s), 5*time.Second)
	s.World().SetFault(sim.PeerA, sim.Fault{Kind: sim.FaultError, Command: sim.CmdCounters, Code: 17})
	st := p.Poll(context.Background())
	r, _ := st.Result(probe.CmdCounters)
	if !r.Unsupported || !st.Up {
		t.Errorf("counters unsupported=%v up=%v err=%v", r.Unsupported, st.Up, r.Err)
	}
}

// TestPollSlowPastDeadline: a reply slower than the poll deadline ends the
// poll at the deadline with the context's cause.
func TestPollSlowPastDeadline(t *testing.T) {
	s := startSim(t)
	p := newPeer(t, s, sim.PeerA, keyCreds(s), 2*time.Second)
	p.Poll(context.Background())
	s.World().SetFault(sim.PeerA, sim.Fault{Kind: sim.FaultSlow, Delay: 10 * time.Second})
	cause := errors.New("poll deadline")
	ctx, cancel := context.WithTimeoutCause(context.Background(), 300*time.Millisecond, cause)
	defer cancel()
	start := time.Now()
	st := p.Poll(ctx)
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("poll took %s, past its deadline", el)
	}
	if st.Up || !errors.Is(st.Err, cause) {
		t.Errorf("up=%v err=%v, want the deadline's cause", st.Up, st.Err)
	}
}

func TestPollPeerDown(t *testing.T) {
	s := startSim(t)
	s.World().SetReachable(sim.PeerB, false)
	st := newPeer(t, s, sim.PeerB, keyCreds(s), 2*time.Second).Poll(context.Background())
	if st.Up || st.Err == nil {
		t.Fatalf("up=%v err=%v", st.Up, st.Err)
	}
}

func TestPollRejectsUnknownCA(t *testing.T) {
	s := startSim(t)
	tr, err := probe.NewTransport(probe.TLSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := probe.NewPANOSPeer(probe.PANOSPeerOptions{Name: "fw-a", Address: s.PeerAddr(0), Credentials: keyCreds(s), Transport: tr, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if st := p.Poll(context.Background()); st.Up {
		t.Fatal("a certificate from an unknown CA was accepted")
	}
}
