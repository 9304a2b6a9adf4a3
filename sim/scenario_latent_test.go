package sim

import (
	"context"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/hawatch/hawatch/sim/ec2sim"
)

// untrustSubnetOf returns the CIDR of the subnet of the untrust ENI (device
// index 2) attached to peer i's instance, read from the EC2 world.
func untrustSubnetOf(t *testing.T, aw ec2sim.World, i int) netip.Prefix {
	t.Helper()
	for _, e := range aw.ENIs {
		if e.InstanceID != InstanceID(i) || e.DeviceIndex != DeviceUntrust || e.AttachmentStatus != "attached" {
			continue
		}
		for _, s := range aw.Subnets {
			if s.ID == e.SubnetID {
				return netip.MustParsePrefix(s.CIDR)
			}
		}
	}
	t.Fatalf("no untrust ENI attached to peer %s", PeerName(i))
	return netip.Prefix{}
}

// playCarriers plays s on an interface-move world and returns the
// distinct carriers ("A", "B", "none") seen in each step, second by second.
func playCarriers(t *testing.T, s Scenario, check func(w *World, step string)) map[string][]string {
	t.Helper()
	w, clk := newTestWorld(t, AWSModeInterfaceMove)
	step := "start"
	seen := map[string][]string{}
	note := func() {
		c := "none"
		if n := w.Carrier(); n >= 0 {
			c = PeerName(n)
		}
		if l := seen[step]; len(l) == 0 || l[len(l)-1] != c {
			seen[step] = append(l, c)
		}
	}
	p := NewPlayer(w, s, PlayerOptions{
		Sleep: func(_ context.Context, d time.Duration) error {
			for ; d > 0; d -= time.Second {
				clk.Advance(min(d, time.Second))
				note()
			}
			return nil
		},
		OnStep: func(info StepInfo) {
			step = info.Name
			note()
			if check != nil {
				check(w, step)
			}
		},
	})
	if err := p.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	return seen
}

func TestIncidentLatent(t *testing.T) {
	checked := 0
	seen := playCarriers(t, IncidentLatent(), func(w *World, step string) {
		switch step {
		case StepNameMisconfigure, StepNameUpgradePassive:
			checked++
			if step == StepNameMisconfigure {
				wantStates(t, w, StateActive, StatePassive)
			}
			ip := w.InterfaceIP(PeerB, IfaceUntrust)
			subnet := untrustSubnetOf(t, w.World(), PeerA)
			if ip != "10.0.20.100/24" || subnet.Contains(netip.MustParsePrefix(ip).Addr()) {
				t.Errorf("%s: B untrust %s, want 10.0.20.100/24 outside A's untrust subnet %s", step, ip, subnet)
			}
			if a := w.InterfaceIP(PeerA, IfaceUntrust); !subnet.Contains(netip.MustParsePrefix(a).Addr()) {
				t.Errorf("%s: A untrust %s outside its subnet %s", step, a, subnet)
			}
		case StepNameUpgradeOther:
			checked++
			// The ENIs moved to B, which now holds an untrust ENI its
			// interface does not match.
			subnet := untrustSubnetOf(t, w.World(), PeerB)
			if ip := w.InterfaceIP(PeerB, IfaceUntrust); subnet.Contains(netip.MustParsePrefix(ip).Addr()) {
				t.Errorf("B untrust %s inside %s after the failover", ip, subnet)
			}
		}
	})
	if checked != 3 {
		t.Fatalf("checked %d steps, want 3", checked)
	}
	for step, want := range map[string][]string{
		StepNameHealthy:        {"A"},
		StepNameMisconfigure:   {"A"},
		StepNameUpgradePassive: {"A"},
		StepNameFailover:       {"none"},
		StepNameUpgradeOther:   {"none"},
		StepNameLinksDown:      {"none"},
		StepNameRecovery:       {"B"},
	} {
		if got := seen[step]; !slices.Equal(got, want) {
			t.Errorf("%s: carrier %v, want %v", step, got, want)
		}
	}
	// The latent fault lies 90 s before the upgrade starts, 70 s longer
	// than the healthy pair waits in the incident.
	if want := Incident().Duration() + 70*time.Second; IncidentLatent().Duration() != want {
		t.Errorf("duration %v, want %v", IncidentLatent().Duration(), want)
	}
}

// TestIncidentInterfaceMoveCarries is the control: without the latent
// fault, the same failover in interface-move mode carries traffic once
// the ENIs have moved.
func TestIncidentInterfaceMoveCarries(t *testing.T) {
	seen := playCarriers(t, Incident(), nil)
	if got := seen[StepNameFailover]; !slices.Equal(got, []string{"none", "B"}) {
		t.Errorf("failover: carrier %v, want none (ENIs moving) then B", got)
	}
}

func TestCatalog(t *testing.T) {
	if c := Catalog(); c[0].Name != "incident" || c[0].Mode != "" {
		t.Errorf("default %+v", c[0])
	}
	c, ok := LookupScenario("incident-latent")
	if !ok || c.Mode != AWSModeInterfaceMove || c.Scaled(0.5).Name != "incident-latent" ||
		c.Scaled(0.5).Duration() != IncidentLatent().Duration()/2 {
		t.Errorf("incident-latent: %+v", c)
	}
	if _, ok := LookupScenario("nope"); ok {
		t.Error("unknown scenario found")
	}
}

// TestIncidentLatentLoopsOnTheOtherPeer: looped, the latent scenario's
// second round plants the fault on that round's passive, A, and keeps the
// pair as round 1 left it.
func TestIncidentLatentLoopsOnTheOtherPeer(t *testing.T) {
	w, clk := newTestWorld(t, AWSModeInterfaceMove)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var atMisconfigure2 [2]string
	p := NewPlayer(w, IncidentLatentScaled(0.1), PlayerOptions{
		Loop:  true,
		Sleep: func(_ context.Context, d time.Duration) error { clk.Advance(d); return nil },
		OnStep: func(info StepInfo) {
			if info.Round == 2 && info.Name == StepNameMisconfigure {
				atMisconfigure2 = [2]string{w.State(PeerA), w.State(PeerB)}
				if got := w.InterfaceIP(PeerA, IfaceUntrust); got != LatentUntrustIP {
					t.Errorf("round 2: A's untrust %s, want the latent %s", got, LatentUntrustIP)
				}
				if got := w.InterfaceIP(PeerB, IfaceUntrust); got == LatentUntrustIP {
					t.Errorf("round 2: B, the active, kept the latent fault")
				}
				cancel()
			}
		},
	})
	if err := p.Run(ctx); err == nil {
		t.Fatal("run ended without reaching round 2")
	}
	if atMisconfigure2 != [2]string{StatePassive, StateActive} {
		t.Errorf("round 2 begins with A %s, B %s; want A passive, B active as round 1 ended", atMisconfigure2[0], atMisconfigure2[1])
	}
}
