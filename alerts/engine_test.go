package alerts

import (
	"slices"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// step is one evaluation of a sequence: the snapshot at an offset from t0,
// and the IDs of the alerts expected to be due then.
type step struct {
	at   time.Duration
	snap *snapshot.Pair
	due  []string
}

// run evaluates the steps in order on the engine and checks what is due.
func run(t *testing.T, e *Engine, steps []step) {
	t.Helper()
	for _, s := range steps {
		got := alertIDs(e.Eval(at(s.at), s.snap))
		if !slices.Equal(got, s.due) {
			t.Fatalf("at %v due:\n got  %q\n want %q", s.at, got, s.due)
		}
	}
}

// nonFunctionalB is a pair whose passive peer is non-functional.
func nonFunctionalB() *snapshot.Pair {
	return mkPair(okPeer("a", probe.StateActive), okPeer("b", probe.StateNonFunctional))
}

// suspendedB is a pair whose passive peer an operator suspended.
func suspendedB() *snapshot.Pair {
	return mkPair(okPeer("a", probe.StateActive), okPeer("b", probe.StateSuspended,
		withHA(func(h *probe.HAInfo) { h.LastErrorReason = "Preemption flap" })))
}

// ha2DownOnB is a pair whose passive peer lost HA2.
func ha2DownOnB() *snapshot.Pair {
	return mkPair(okPeer("a", probe.StateActive), okPeer("b", probe.StatePassive, withHA(func(h *probe.HAInfo) {
		h.Links[1].Up = false
	})))
}

func TestPendingThenFiringAtFor(t *testing.T) {
	e := NewEngine(EngineOptions{})
	const nf = "HAPeerNonFunctional{peer=b,severity=warning}"
	run(t, e, []step{
		{0, nonFunctionalB(), nil},
		{30 * time.Second, nonFunctionalB(), nil},
	})
	if got := alertIDs(e.Alerts()); !slices.Equal(got, []string{nf + ":pending"}) {
		t.Fatalf("alerts %q", got)
	}
	due := e.Eval(at(time.Minute), nonFunctionalB())
	if got := alertIDs(due); !slices.Equal(got, []string{nf + ":firing"}) {
		t.Fatalf("due %q", got)
	}
	a := due[0]
	if !a.StartsAt().Equal(at(time.Minute)) || !a.ActiveAt.Equal(t0) {
		t.Errorf("startsAt %v activeAt %v", a.StartsAt(), a.ActiveAt)
	}
	// endsAt = now + 4 × max(resend delay 1m, poll interval 30s).
	if want := at(5 * time.Minute); !a.EndsAt().Equal(want) {
		t.Errorf("endsAt %v, want %v", a.EndsAt(), want)
	}
}

func TestPendingForgottenWhenConditionStops(t *testing.T) {
	e := NewEngine(EngineOptions{})
	run(t, e, []step{
		{0, nonFunctionalB(), nil},
		{30 * time.Second, healthy(), nil},
		{2 * time.Minute, healthy(), nil},
	})
	if as := e.Alerts(); len(as) != 0 {
		t.Errorf("alerts %q", alertIDs(as))
	}
}

func TestResolvedKeptAndResentUntilRetention(t *testing.T) {
	e := NewEngine(EngineOptions{})
	const s = "HAPeerSuspended{peer=b,severity=warning}"
	run(t, e, []step{
		{0, suspendedB(), nil},
		{time.Minute, suspendedB(), []string{s + ":firing"}},
		{90 * time.Second, healthy(), []string{s + ":inactive"}},
		{2 * time.Minute, healthy(), nil},
		{150 * time.Second, healthy(), []string{s + ":inactive"}},
	})
	as := e.Alerts()
	if len(as) != 1 || !as[0].Resolved() || !as[0].EndsAt().Equal(at(90*time.Second)) {
		t.Fatalf("kept alert %+v", as)
	}
	// Still kept 15m after resolving, forgotten after.
	e.Eval(at(90*time.Second+15*time.Minute), healthy())
	if len(e.Alerts()) != 1 {
		t.Fatal("resolved alert forgotten before retention")
	}
	run(t, e, []step{{91*time.Second + 15*time.Minute, healthy(), nil}})
	if as := e.Alerts(); len(as) != 0 {
		t.Fatalf("alerts after retention %q", alertIDs(as))
	}
}

func TestResolvedAlertComesBackPending(t *testing.T) {
	e := NewEngine(EngineOptions{})
	const s = "HAPeerSuspended{peer=b,severity=warning}"
	run(t, e, []step{
		{0, suspendedB(), nil},
		{time.Minute, suspendedB(), []string{s + ":firing"}},
		{2 * time.Minute, healthy(), []string{s + ":inactive"}},
		{3 * time.Minute, suspendedB(), nil},
		{4 * time.Minute, suspendedB(), []string{s + ":firing"}},
	})
}

func TestKeepFiringFor(t *testing.T) {
	e := NewEngine(EngineOptions{})
	const l = "HALinkDown{link=ha2,peer=b,severity=warning}"
	run(t, e, []step{
		{0, ha2DownOnB(), nil},
		{time.Minute, ha2DownOnB(), []string{l + ":firing"}},
		{2 * time.Minute, healthy(), []string{l + ":firing"}}, // kept firing, resent
		{3 * time.Minute, ha2DownOnB(), []string{l + ":firing"}},
		{4 * time.Minute, healthy(), []string{l + ":firing"}},
		{8*time.Minute + 59*time.Second, healthy(), []string{l + ":firing"}},
	})
	as := e.Alerts()
	if len(as) != 1 || !as[0].FiredAt.Equal(at(time.Minute)) || !as[0].KeepFiringSince.Equal(at(4*time.Minute)) {
		t.Fatalf("flapping link paged twice or lost its start: %+v", as)
	}
	run(t, e, []step{{9 * time.Minute, healthy(), []string{l + ":inactive"}}})
}

func TestResendDelayAndEndsAt(t *testing.T) {
	e := NewEngine(EngineOptions{ResendDelay: 2 * time.Minute})
	p := nonFunctionalB()
	p.Config.PollInterval = 3 * time.Minute
	const nf = "HAPeerNonFunctional{peer=b,severity=warning}:firing"
	run(t, e, []step{
		{0, p, nil},
		{time.Minute, p, []string{nf}},
		{2 * time.Minute, p, nil},
		{3*time.Minute - time.Nanosecond, p, nil},
	})
	due := e.Eval(at(3*time.Minute), p)
	if got := alertIDs(due); !slices.Equal(got, []string{nf}) {
		t.Fatalf("due at resend delay %q", got)
	}
	// endsAt = now + 4 × max(resend delay 2m, poll interval 3m).
	if want := at(15 * time.Minute); !due[0].EndsAt().Equal(want) {
		t.Errorf("endsAt %v, want %v", due[0].EndsAt(), want)
	}
}

func TestStandalonePairStaysSilent(t *testing.T) {
	e := NewEngine(EngineOptions{})
	p := mkPair(okPeer("a", probe.StateActive, standalonePeer, dataPlaneDown), downPeer("b"))
	p.Traffic = stopped
	p.AWSView = awsBroken(false)
	for i := range 20 {
		if due := e.Eval(at(time.Duration(i)*time.Minute), p); len(due) != 0 {
			t.Fatalf("standalone pair raised %q", alertIDs(due))
		}
	}
	if as := e.Alerts(); len(as) != 0 {
		t.Fatalf("standalone pair holds %q", alertIDs(as))
	}
}

func TestMonitoringBlindNeverLinksDown(t *testing.T) {
	e := NewEngine(EngineOptions{})
	blind := mkPair(downPeer("a"), downPeer("b"))
	blind.Traffic = snapshot.Traffic{}
	for i := range 10 {
		e.Eval(at(time.Duration(i)*time.Minute), blind)
	}
	want := []string{"HAMonitoringBlind{severity=critical}:firing"}
	if got := firingNames(e); !slices.Equal(got, want) {
		t.Fatalf("blind pair fires %q, want %q", got, want)
	}
	// One peer comes back with its data plane down: links down, not blind.
	back := mkPair(okPeer("a", probe.StateActive, dataPlaneDown), downPeer("b"))
	for i := 10; i < 14; i++ {
		e.Eval(at(time.Duration(i)*time.Minute), back)
	}
	want = []string{
		"HAPairLinksDown{severity=critical}:firing",
		"HAPeerUnreachable{peer=b,severity=warning}:firing",
	}
	if got := firingNames(e); !slices.Equal(got, want) {
		t.Fatalf("half-blind pair fires %q, want %q", got, want)
	}
}

func TestTrafficStopped(t *testing.T) {
	const ts = "HAPairTrafficStopped{severity=critical}"
	t.Run("after a baseline", func(t *testing.T) {
		e := NewEngine(EngineOptions{})
		run(t, e, []step{
			{0, healthy(), nil},
			{time.Minute, withTraffic(healthy(), stopped), nil},
			{3 * time.Minute, withTraffic(healthy(), stopped), nil},
			{4 * time.Minute, withTraffic(healthy(), stopped), []string{ts + ":firing"}},
		})
	})
	t.Run("no baseline, no floor", func(t *testing.T) {
		e := NewEngine(EngineOptions{})
		for i := range 10 {
			if due := e.Eval(at(time.Duration(i)*time.Minute), withTraffic(healthy(), stopped)); len(due) != 0 {
				t.Fatalf("idle pair raised %q", alertIDs(due))
			}
		}
	})
	t.Run("configured floor", func(t *testing.T) {
		e := NewEngine(EngineOptions{})
		low := func() *snapshot.Pair {
			p := withTraffic(healthy(), snapshot.Traffic{Known: true, BytesPerSecond: 500, Kbps: 1})
			p.Config.TrafficFloorBytesPerSecond = 1000
			return p
		}
		run(t, e, []step{
			{0, low(), nil},
			{3 * time.Minute, low(), []string{ts + ":firing"}},
		})
	})
	t.Run("unknown traffic is not stopped", func(t *testing.T) {
		e := NewEngine(EngineOptions{})
		run(t, e, []step{
			{0, healthy(), nil},
			{time.Minute, withTraffic(healthy(), snapshot.Traffic{}), nil},
			{5 * time.Minute, withTraffic(healthy(), snapshot.Traffic{}), nil},
		})
	})
	t.Run("baseline expires", func(t *testing.T) {
		e := NewEngine(EngineOptions{})
		e.Eval(t0, healthy())
		for m := 1; m <= 59; m++ {
			e.Eval(at(time.Duration(m)*time.Minute), withTraffic(healthy(), stopped))
		}
		if got := firingNames(e); !slices.Equal(got, []string{ts + ":firing"}) {
			t.Fatalf("firing %q", got)
		}
		// An hour after the last traffic the pair counts as idle; the
		// alert is kept firing for 5 more minutes, then resolves.
		run(t, e, []step{
			{60 * time.Minute, withTraffic(healthy(), stopped), []string{ts + ":firing"}},
			{64*time.Minute + 59*time.Second, withTraffic(healthy(), stopped), []string{ts + ":firing"}},
			{65 * time.Minute, withTraffic(healthy(), stopped), []string{ts + ":inactive"}},
		})
	})
}

// activeOn returns a healthy pair with the named peer active.
func activeOn(name string) *snapshot.Pair {
	if name == "a" {
		return healthy()
	}
	return mkPair(okPeer("a", probe.StatePassive), okPeer("b", probe.StateActive))
}

func TestFailoverInfo(t *testing.T) {
	e := NewEngine(EngineOptions{})
	const fo = "HAPairFailover{peer=b,severity=info}"
	run(t, e, []step{
		{0, activeOn("a"), nil},
		{time.Minute, activeOn("b"), []string{fo + ":firing"}},
		{2 * time.Minute, activeOn("b"), []string{fo + ":firing"}},
		// a was last active at t0: the alert stays until 10m after that.
		{9*time.Minute + 59*time.Second, activeOn("b"), []string{fo + ":firing"}},
		{10 * time.Minute, activeOn("b"), []string{fo + ":inactive"}},
	})
	if f, ok := e.pairs["p1"].hist.LastFailover(); !ok || f.From != "a" || f.To != "b" {
		t.Errorf("last failover %+v", f)
	}
}

func TestFlapping(t *testing.T) {
	e := NewEngine(EngineOptions{})
	peers := []string{"a", "b", "a", "b"}
	for i, name := range peers {
		e.Eval(at(time.Duration(i)*2*time.Minute), activeOn(name))
	}
	// Three failovers: a→b→a→b, six changes of the active state.
	if got := firingNames(e); !slices.Contains(got, "HAPairFlapping{severity=warning}:firing") {
		t.Fatalf("firing %q", got)
	}
	e2 := NewEngine(EngineOptions{})
	for i, name := range peers[:3] {
		e2.Eval(at(time.Duration(i)*2*time.Minute), activeOn(name))
	}
	if got := firingNames(e2); slices.Contains(got, "HAPairFlapping{severity=warning}:firing") {
		t.Fatalf("two failovers flap: %q", got)
	}
}

func TestStuckTransitionalFromHistory(t *testing.T) {
	e := NewEngine(EngineOptions{})
	initial := mkPair(okPeer("a", probe.StateActive), okPeer("b", probe.StateInitial, withHA(func(h *probe.HAInfo) {
		h.LocalStateDuration = 0 // not reported
	})))
	const st = "HAPeerStuckTransitional{peer=b,severity=warning}:firing"
	run(t, e, []step{
		{0, initial, nil},
		{2 * time.Minute, initial, nil},
		{2*time.Minute + time.Second, initial, []string{st}},
	})
}
