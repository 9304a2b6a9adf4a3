package sim

import (
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newTestWorld(t *testing.T, mode string) (*World, *fakeClock) {
	t.Helper()
	clk := newFakeClock()
	return NewWorld(WorldOptions{Clock: clk.Now, Mode: mode}), clk
}

func wantStates(t *testing.T, w *World, a, b string) {
	t.Helper()
	if got := w.State(PeerA); got != a {
		t.Errorf("state of A = %q, want %q", got, a)
	}
	if got := w.State(PeerB); got != b {
		t.Errorf("state of B = %q, want %q", got, b)
	}
}

func TestNewWorldIsHealthy(t *testing.T) {
	w, _ := newTestWorld(t, "")
	wantStates(t, w, StateActive, StatePassive)
	if w.Mode() != AWSModeSecondaryIP {
		t.Errorf("mode = %q, want secondary-ip", w.Mode())
	}
	if w.Version(PeerA) != DefaultVersion || w.Version(PeerB) != DefaultVersion {
		t.Errorf("versions = %q/%q, want %q", w.Version(PeerA), w.Version(PeerB), DefaultVersion)
	}
	if c := w.Carrier(); c != PeerA {
		t.Errorf("carrier = %d, want A", c)
	}
	if ip := w.InterfaceIP(PeerB, IfaceUntrust); ip != "10.0.2.11/24" {
		t.Errorf("B untrust IP = %q, want 10.0.2.11/24", ip)
	}
}

func TestFailoverAndUnsuspend(t *testing.T) {
	w, clk := newTestWorld(t, "")
	clk.Advance(time.Minute)
	w.Failover()
	wantStates(t, w, StateSuspended, StateActive)
	v, _ := w.view(PeerB)
	if v.peer.lastErrReason != "User requested" || v.peer.lastErrState != StateSuspended {
		t.Errorf("B sees A's last error %q/%q, want User requested/suspended", v.peer.lastErrReason, v.peer.lastErrState)
	}
	if v.self.stateDuration != 0 {
		t.Errorf("B state duration = %v right after failover, want 0", v.self.stateDuration)
	}
	clk.Advance(10 * time.Second)
	w.Unsuspend(PeerA)
	wantStates(t, w, StatePassive, StateActive)
	if c := w.Carrier(); c != PeerB {
		t.Errorf("carrier = %d, want B", c)
	}
	// Failing over again goes back to A.
	w.Failover()
	wantStates(t, w, StateActive, StateSuspended)
}

func TestRebootTransitions(t *testing.T) {
	w, clk := newTestWorld(t, "")
	clk.Advance(time.Minute)
	inA, _ := w.InterfaceBytes(PeerA, IfaceUntrust)
	w.Reboot(PeerA, 30*time.Second)

	if w.Reachable(PeerA) {
		t.Fatal("A reachable right after reboot")
	}
	wantStates(t, w, StateUnknown, StateActive)
	if v, _ := w.view(PeerB); v.ha1Up || v.ha2Up {
		t.Error("HA links up while A reboots")
	}

	clk.Advance(30 * time.Second)
	if !w.Reachable(PeerA) {
		t.Fatal("A unreachable after its down time")
	}
	wantStates(t, w, StateInitial, StateActive)
	if in, _ := w.InterfaceBytes(PeerA, IfaceUntrust); in != 0 {
		t.Errorf("A untrust ibytes = %d after reboot, want 0 (was %d)", in, inA)
	}
	v, _ := w.view(PeerA)
	if v.now.Sub(v.bootTime) != 0 {
		t.Errorf("A uptime = %v right after boot, want 0", v.now.Sub(v.bootTime))
	}

	clk.Advance(DefaultInitialHold - time.Second)
	wantStates(t, w, StateInitial, StateActive)
	clk.Advance(time.Second)
	wantStates(t, w, StatePassive, StateActive)
}

func TestRebootPassiveComesBackPassive(t *testing.T) {
	w, clk := newTestWorld(t, "")
	w.Reboot(PeerB, 10*time.Second)
	wantStates(t, w, StateActive, StateUnknown)
	// One big step crosses both transitions at once.
	clk.Advance(time.Minute)
	wantStates(t, w, StateActive, StatePassive)
}

func TestRebootAloneComesBackActive(t *testing.T) {
	w, clk := newTestWorld(t, "")
	w.Suspend(PeerB)
	w.Reboot(PeerA, 10*time.Second)
	wantStates(t, w, StateUnknown, StateSuspended)
	clk.Advance(10*time.Second + DefaultInitialHold)
	wantStates(t, w, StateActive, StateSuspended)
}

func TestUpgradeTakesEffectAtReboot(t *testing.T) {
	w, clk := newTestWorld(t, "")
	w.Upgrade(PeerB, "10.1.11-h1")
	if got := w.Version(PeerB); got != DefaultVersion {
		t.Fatalf("B version before reboot = %q, want %q", got, DefaultVersion)
	}
	w.Reboot(PeerB, 20*time.Second)
	clk.Advance(time.Minute)
	if got := w.Version(PeerB); got != "10.1.11-h1" {
		t.Fatalf("B version after reboot = %q, want 10.1.11-h1", got)
	}
	for i := range 2 {
		v, _ := w.view(i)
		if v.compat["build"] {
			t.Errorf("peer %s reports build-compat Match with differing versions", PeerName(i))
		}
	}
	w.Upgrade(PeerA, "10.1.11-h1")
	w.Reboot(PeerA, 20*time.Second)
	clk.Advance(time.Minute)
	wantStates(t, w, StatePassive, StateActive)
	if v, _ := w.view(PeerA); !v.compat["build"] {
		t.Error("build-compat Mismatch with equal versions")
	}
}

func TestHALinksAndConfigSync(t *testing.T) {
	w, _ := newTestWorld(t, "")
	w.SetConfigSync(false)
	v, _ := w.view(PeerA)
	if !v.ha1Up || v.configSync {
		t.Fatalf("ha1Up=%v configSync=%v, want true/false", v.ha1Up, v.configSync)
	}
	w.SetHALink(LinkHA1, false)
	for i := range 2 {
		v, _ := w.view(i)
		if v.ha1Up || !v.ha2Up {
			t.Errorf("peer %s: ha1Up=%v ha2Up=%v, want false/true", PeerName(i), v.ha1Up, v.ha2Up)
		}
	}
	w.SetHALink(LinkHA1, true)
	w.SetInterface(PeerB, IfaceHA2, false)
	if v, _ := w.view(PeerA); v.ha2Up {
		t.Error("HA2 up with B's HA2 port down")
	}
}

func TestCountersFollowTraffic(t *testing.T) {
	w, clk := newTestWorld(t, "")
	a0, _ := w.InterfaceBytes(PeerA, IfaceUntrust)
	b0, _ := w.InterfaceBytes(PeerB, IfaceUntrust)
	clk.Advance(10 * time.Second)
	a1, _ := w.InterfaceBytes(PeerA, IfaceUntrust)
	b1, _ := w.InterfaceBytes(PeerB, IfaceUntrust)
	// About 2 MB/s in total, 62 % of it entering on untrust.
	if d := a1 - a0; d < 10*1.1e6 || d > 10*1.4e6 {
		t.Errorf("active untrust ibytes grew %d in 10s, want about 12.4 MB", d)
	}
	if b1 != b0 {
		t.Errorf("passive untrust ibytes moved %d -> %d", b0, b1)
	}
	sv := sessions(w, PeerA)
	if sv.active == 0 || sv.cps == 0 || sv.kbps == 0 || sv.pps == 0 {
		t.Errorf("active sessions %+v, want nonzero while traffic flows", sv)
	}
	if sb := sessions(w, PeerB); sb.kbps != 0 || sb.cps != 0 || sb.active == 0 {
		t.Errorf("passive sessions %+v, want synced sessions and no rates", sb)
	}

	w.SetTraffic(false)
	clk.Advance(10 * time.Second)
	a2, _ := w.InterfaceBytes(PeerA, IfaceUntrust)
	if a2 != a1 {
		t.Errorf("counters moved %d -> %d with traffic stopped", a1, a2)
	}
	sv = sessions(w, PeerA)
	if sv.cps != 0 || sv.kbps != 0 || sv.pps != 0 {
		t.Errorf("rates %+v with traffic stopped, want 0", sv)
	}
	if sv.active == 0 {
		t.Error("sessions dropped to 0 at once; they should age out")
	}
	clk.Advance(10 * time.Minute)
	if sv := sessions(w, PeerA); sv.active != 0 {
		t.Errorf("%d sessions ten minutes after traffic stopped, want 0", sv.active)
	}
}

func TestCountersStopWithLinksOrActive(t *testing.T) {
	tests := []struct {
		name  string
		apply func(*World)
	}{
		{"data-plane links down", func(w *World) {
			w.SetInterface(PeerA, IfaceUntrust, false)
			w.SetInterface(PeerA, IfaceTrust, false)
		}},
		{"no active peer", func(w *World) { w.SetHAState(PeerA, StateNonFunctional, "Link down") }},
		{"interface outside its subnet", func(w *World) { w.SetInterfaceIP(PeerA, IfaceUntrust, "10.0.9.10/24") }},
		{"route blackholed", (*World).BlackholeRoute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, clk := newTestWorld(t, "")
			tt.apply(w)
			if c := w.Carrier(); c != -1 {
				t.Errorf("carrier = %d, want -1", c)
			}
			a0, _ := w.InterfaceBytes(PeerA, IfaceTrust)
			clk.Advance(30 * time.Second)
			if a1, _ := w.InterfaceBytes(PeerA, IfaceTrust); a1 != a0 {
				t.Errorf("counters moved %d -> %d", a0, a1)
			}
			if sv := sessions(w, PeerA); sv.kbps != 0 {
				t.Errorf("kbps = %d, want 0", sv.kbps)
			}
		})
	}
}

func TestCountersAreDeterministic(t *testing.T) {
	// The same timeline read at different moments gives the same counters.
	w1, c1 := newTestWorld(t, "")
	w2, c2 := newTestWorld(t, "")
	for range 60 {
		c1.Advance(time.Second)
		w1.InterfaceBytes(PeerA, IfaceUntrust)
	}
	c2.Advance(time.Minute)
	x1, _ := w1.InterfaceBytes(PeerA, IfaceUntrust)
	x2, _ := w2.InterfaceBytes(PeerA, IfaceUntrust)
	if diff := int64(x1) - int64(x2); diff < -2 || diff > 2 {
		t.Errorf("ibytes %d read every second vs %d read once", x1, x2)
	}
}

func TestResetKeepsCounters(t *testing.T) {
	w, clk := newTestWorld(t, "")
	w.Failover()
	clk.Advance(time.Minute)
	b0, _ := w.InterfaceBytes(PeerB, IfaceUntrust)
	w.SetFault(PeerA, Fault{Kind: FaultReset})
	w.Reset()
	wantStates(t, w, StateActive, StatePassive)
	if b1, _ := w.InterfaceBytes(PeerB, IfaceUntrust); b1 != b0 {
		t.Errorf("B counters %d -> %d across reset", b0, b1)
	}
	if f := w.fault(PeerA, CmdHA); f.Kind != FaultNone {
		t.Errorf("fault %q survived reset", f.Kind)
	}
}

func sessions(w *World, i int) sessionView {
	v, _ := w.view(i)
	return v.sessions
}
