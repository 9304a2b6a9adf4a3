package sim

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// observation is the world as a poller would see it at one moment.
type observation struct {
	step     string
	at       time.Duration
	a, b     string // HA states; "down" when the API does not answer
	carrier  int
	versions [2]string
}

func observe(w *World, step string, at time.Duration) observation {
	o := observation{step: step, at: at, carrier: w.Carrier(), versions: [2]string{w.Version(PeerA), w.Version(PeerB)}}
	o.a, o.b = "down", "down"
	if w.Reachable(PeerA) {
		o.a = w.State(PeerA)
	}
	if w.Reachable(PeerB) {
		o.b = w.State(PeerB)
	}
	return o
}

// sequence returns the distinct consecutive values of f over a step.
func sequence(obs []observation, step string, f func(observation) string) []string {
	var out []string
	for _, o := range obs {
		if o.step == step && (len(out) == 0 || out[len(out)-1] != f(o)) {
			out = append(out, f(o))
		}
	}
	return out
}

// held returns how long f was true during a step.
func held(obs []observation, step string, f func(observation) bool) time.Duration {
	var d time.Duration
	for i := 1; i < len(obs); i++ {
		if obs[i].step == step && f(obs[i]) {
			d += obs[i].at - obs[i-1].at
		}
	}
	return d
}

func TestIncident(t *testing.T) {
	w, clk := newTestWorld(t, "")
	start := clk.Now()
	var obs []observation
	step := "start"
	checks := map[string]func(){
		StepNameFailover: func() {
			wantStates(t, w, StateSuspended, StateActive)
			wantSecondaryIPOn(t, w.World(), PeerB)
		},
		StepNameLinksDown: func() {
			aw := w.World()
			if r := defaultRoute(t, aw); r.State != "blackhole" {
				t.Errorf("links-down: route %+v, want blackhole", r)
			}
			if ip := w.InterfaceIP(PeerB, IfaceUntrust); ip != "10.0.9.11/24" || w.ipInSubnetForTest(PeerB, IfaceUntrust) {
				t.Errorf("links-down: B untrust %q, want outside its subnet", ip)
			}
			if v, _ := w.view(PeerA); v.ha1Up || v.ha2Up || v.ifaces[1].up || v.ifaces[2].up {
				t.Error("links-down: links still up")
			}
			for i := range 2 {
				wantLinkStates(t, w, i, "down", IfaceHA2, IfaceUntrust, IfaceTrust)
			}
		},
		StepNameRecovery: func() {
			wantStates(t, w, StatePassive, StateActive)
			wantSecondaryIPOn(t, w.World(), PeerB)
			for i := range 2 {
				wantLinkStates(t, w, i, "up", IfaceHA2, IfaceUntrust, IfaceTrust)
			}
		},
	}
	p := NewPlayer(w, Incident(), PlayerOptions{
		Sleep: func(_ context.Context, d time.Duration) error {
			for d > 0 {
				s := min(d, time.Second)
				clk.Advance(s)
				d -= s
				obs = append(obs, observe(w, step, clk.Now().Sub(start)))
			}
			return nil
		},
		OnStep: func(info StepInfo) {
			step = info.Name
			obs = append(obs, observe(w, step, clk.Now().Sub(start)))
			if c := checks[info.Name]; c != nil {
				c()
			}
		},
	})
	if err := p.Run(t.Context()); err != nil {
		t.Fatalf("run: %v", err)
	}
	if got := p.Current(); got.Name != StepNameRecovery || got.Index != 5 || got.Round != 1 {
		t.Errorf("current step %+v", got)
	}

	stateB := func(o observation) string { return o.b }
	stateA := func(o observation) string { return o.a }
	tests := []struct {
		step string
		f    func(observation) string
		want []string
	}{
		{StepNameHealthy, stateA, []string{StateActive}},
		{StepNameHealthy, stateB, []string{StatePassive}},
		{StepNameUpgradePassive, stateB, []string{"down", StateInitial, StatePassive}},
		{StepNameUpgradePassive, stateA, []string{StateActive}},
		{StepNameFailover, stateA, []string{StateSuspended}},
		{StepNameFailover, stateB, []string{StateActive}},
		{StepNameUpgradeOther, stateA, []string{"down", StateInitial, StatePassive}},
		{StepNameUpgradeOther, stateB, []string{StateActive}},
		{StepNameRecovery, stateB, []string{StateActive}},
	}
	for _, tt := range tests {
		if got := sequence(obs, tt.step, tt.f); !slices.Equal(got, tt.want) {
			t.Errorf("%s: states %v, want %v", tt.step, got, tt.want)
		}
	}
	carrier := func(o observation) string {
		if o.carrier < 0 {
			return "none"
		}
		return PeerName(o.carrier)
	}
	for step, want := range map[string][]string{
		StepNameHealthy:   {"A"},
		StepNameFailover:  {"B"},
		StepNameLinksDown: {"none"},
		StepNameRecovery:  {"B"},
	} {
		if got := sequence(obs, step, carrier); !slices.Equal(got, want) {
			t.Errorf("%s: carrier %v, want %v", step, got, want)
		}
	}
	mismatch := func(o observation) bool { return o.versions[0] != o.versions[1] && o.b == StatePassive }
	if d := held(obs, StepNameUpgradePassive, mismatch); d < 20*time.Second {
		t.Errorf("B passive on a newer version for %v, want at least 20s", d)
	}
	if v := w.Version(PeerA); v != IncidentUpgradeVersion || w.Version(PeerB) != v {
		t.Errorf("versions after the incident %s/%s, want both %s", v, w.Version(PeerB), IncidentUpgradeVersion)
	}
	for _, st := range []string{StepNameFailover, StepNameLinksDown, StepNameRecovery} {
		if d := held(obs, st, func(observation) bool { return true }); d < 20*time.Second || d > 60*time.Second {
			t.Errorf("step %s held %v, want 20-60s", st, d)
		}
	}
}

// wantLinkStates checks peer i's `show interface all`: the named hw rows
// are in state, and the virtual rows (vlan, loopback, tunnel) up, as on a
// real firewall whose ports lost link.
func wantLinkStates(t *testing.T, w *World, i int, state string, ports ...string) {
	t.Helper()
	v, ok := w.view(i)
	if !ok {
		t.Fatalf("peer %s unreachable", PeerName(i))
	}
	r := decodeXML[ifaceAllXML](t, []byte(interfacesReply(v)))
	for _, name := range ports {
		if got := findHW(t, r, name).State; got != state {
			t.Errorf("peer %s: %s %s, want %s", PeerName(i), name, got, state)
		}
	}
	for _, name := range []string{"vlan", "loopback", "tunnel"} {
		if got := findHW(t, r, name).State; got != "up" {
			t.Errorf("peer %s: virtual %s %s, want up", PeerName(i), name, got)
		}
	}
}

func TestIncidentHardwareProfile(t *testing.T) {
	clk := newFakeClock()
	w := NewWorld(WorldOptions{Clock: clk.Now, Profile: ProfileHardware})
	ports := []string{IfaceHA2Dedicated, IfaceUntrust, IfaceTrust, IfaceAEMember1, IfaceAEMember2, IfaceAE}
	seen := 0
	p := NewPlayer(w, IncidentScaled(0.1), PlayerOptions{
		Sleep: func(_ context.Context, d time.Duration) error { clk.Advance(d); return nil },
		OnStep: func(info StepInfo) {
			switch info.Name {
			case StepNameLinksDown:
				seen++
				for i := range 2 {
					wantLinkStates(t, w, i, "down", ports...)
				}
			case StepNameRecovery:
				seen++
				for i := range 2 {
					wantLinkStates(t, w, i, "up", ports...)
				}
			}
		},
	})
	if err := p.Run(t.Context()); err != nil || seen != 2 {
		t.Fatalf("run: %v, checked %d steps", err, seen)
	}
}

// TestPlayerLoops: a looped Incident begins each round where the last one
// ended (no jump back to A active on the old version, which a watcher
// would see as a failover and a downgrade) and upgrades the other way
// round to the next hotfix.
func TestPlayerLoops(t *testing.T) {
	w, clk := newTestWorld(t, "")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	type pairState struct {
		a, b               string
		versionA, versionB string
		carrier            int
	}
	look := func() pairState {
		return pairState{w.State(PeerA), w.State(PeerB), w.Version(PeerA), w.Version(PeerB), w.Carrier()}
	}
	var names []string
	var endOfRound1, startOfRound2, endOfRound2 pairState
	upgradedInRound2 := -1
	p := NewPlayer(w, IncidentScaled(0.1), PlayerOptions{
		Loop:  true,
		Sleep: func(_ context.Context, d time.Duration) error { clk.Advance(d); return nil },
		OnStep: func(info StepInfo) {
			names = append(names, info.Name)
			switch {
			case info.Round == 1 && info.Name == StepNameRecovery:
				clk.Advance(time.Minute) // the reboots are long over
				endOfRound1 = look()
			case info.Round == 2 && info.Index == 0:
				startOfRound2 = look()
			case info.Round == 2 && info.Name == StepNameUpgradePassive:
				for i := range 2 {
					if w.peers[i].pendingVersion == IncidentVersion(2) || w.peers[i].booting {
						upgradedInRound2 = i
					}
				}
			case info.Round == 2 && info.Name == StepNameRecovery:
				clk.Advance(time.Minute)
				endOfRound2 = look()
			case info.Round == 3:
				cancel()
			}
		},
	})
	if err := p.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("run = %v, want canceled", err)
	}
	round := []string{StepNameHealthy, StepNameUpgradePassive, StepNameFailover, StepNameUpgradeOther,
		StepNameLinksDown, StepNameRecovery}
	if want := append(append(slices.Clone(round), round...), StepNameHealthy); !slices.Equal(names, want) {
		t.Errorf("steps %v, want %v", names, want)
	}
	wantEnd1 := pairState{StatePassive, StateActive, IncidentUpgradeVersion, IncidentUpgradeVersion, PeerB}
	if endOfRound1 != wantEnd1 {
		t.Errorf("end of round 1 %+v, want %+v", endOfRound1, wantEnd1)
	}
	if startOfRound2 != endOfRound1 {
		t.Errorf("round 2 begins %+v, not where round 1 ended %+v", startOfRound2, endOfRound1)
	}
	if upgradedInRound2 != PeerA {
		t.Errorf("round 2 upgraded peer %d first, want the passive A", upgradedInRound2)
	}
	wantEnd2 := pairState{StateActive, StatePassive, IncidentVersion(2), IncidentVersion(2), PeerA}
	if endOfRound2 != wantEnd2 {
		t.Errorf("end of round 2 %+v, want %+v", endOfRound2, wantEnd2)
	}
}

func TestIncidentVersion(t *testing.T) {
	for r, want := range map[int]string{1: "10.1.11-h1", 2: "10.1.11-h2", 7: "10.1.11-h7"} {
		if got := IncidentVersion(r); got != want {
			t.Errorf("IncidentVersion(%d) = %q, want %q", r, got, want)
		}
	}
}

func TestPlayerHealthyLoopDoesNotSpin(t *testing.T) {
	w, _ := newTestWorld(t, "")
	ctx, cancel := context.WithCancel(t.Context())
	p := NewPlayer(w, Healthy(), PlayerOptions{Loop: true, OnStep: func(StepInfo) { cancel() }})
	if err := p.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("run = %v, want canceled", err)
	}
	if got := p.Current(); got.Name != StepNameHealthy || got.Round != 1 {
		t.Errorf("current %+v", got)
	}
}

func TestIncidentScaled(t *testing.T) {
	full, tenth := Incident().Duration(), IncidentScaled(0.1).Duration()
	if full != 4*time.Minute || tenth != full/10 {
		t.Errorf("durations %v and %v, want 4m and 24s", full, tenth)
	}
}

func TestStepConstructors(t *testing.T) {
	w, clk := newTestWorld(t, "")
	steps := []Step{
		StepFault(0, PeerA, Fault{Kind: FaultSlow, Command: CmdHA}),
		StepAWSFollowsFailover(0, false),
		StepFailover(0),
		StepInstanceStatus(0, PeerB, "impaired"),
		StepThrottle(0, true),
		StepConfigSync(0, false),
		StepTraffic(0, false),
		StepHALink(0, LinkHA2, false),
		StepInterface(0, PeerB, IfaceTrust, false),
		StepSourceDestCheck(0, ENIID(PeerB, DeviceTrust), true),
		StepDetachENI(0, ENIID(PeerB, DeviceUntrust)),
		StepUnauthorized(0, "DescribeAddresses"),
		StepUnsuspend(0, PeerA),
		StepReboot(0, PeerA, time.Second),
		StepRestoreAWS(time.Minute),
	}
	seen := map[string]bool{}
	for _, st := range steps {
		if st.Name == "" || seen[st.Name] {
			t.Errorf("step name %q empty or repeated", st.Name)
		}
		seen[st.Name] = true
		clk.Advance(st.After)
		st.Apply(w)
	}
	if f := w.fault(PeerA, CmdHA); f.Kind != FaultSlow {
		t.Errorf("fault %q", f.Kind)
	}
	v, _ := w.view(PeerB)
	if v.configSync || v.ha2Up || v.ifaces[2].up || v.self.state != StateActive {
		t.Errorf("B view %+v", v)
	}
	if w.State(PeerA) != StatePassive {
		t.Errorf("A %s after unsuspend and reboot, want passive", w.State(PeerA))
	}
	aw := w.World()
	if aw.Faults.Throttle || aw.Instances[PeerB].InstanceStatus != "ok" {
		t.Error("RestoreAWS left faults")
	}
	wantSecondaryIPOn(t, aw, PeerB)
}

// ipInSubnetForTest exposes the subnet check to tests.
func (w *World) ipInSubnetForTest(i int, name string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ipInSubnet(i, name)
}
