package snapshot

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
)

// haPeer is a peer that answered with HA enabled in the given state, seeing
// its HA peer connected in peerState.
func haPeer(name string, state, peerState probe.HAState) *probe.PeerStatus {
	return &probe.PeerStatus{
		Name: name, Up: true,
		HA: &probe.HAInfo{
			Enabled: true, Mode: "active-passive",
			LocalState: state, LocalStateRaw: string(state),
			PeerState: peerState, PeerStateRaw: string(peerState), PeerConnected: true,
			LocalVersions: probe.Versions{Build: "10.2.9"},
			Links: []probe.HALink{
				{Name: probe.LinkHA1, Port: "management", Up: true},
				{Name: probe.LinkHA2, Port: "ethernet1/3", Up: true},
			},
		},
	}
}

func silent(name string) *probe.PeerStatus {
	return &probe.PeerStatus{Name: name, Err: errors.New("i/o timeout")}
}

func TestBuildHAActive(t *testing.T) {
	for _, tc := range []struct {
		name      string
		peers     []*probe.PeerStatus
		known     bool
		reporting []string
		actives   []string
		active    string
	}{
		{"healthy", []*probe.PeerStatus{
			haPeer("a", probe.StateActive, probe.StatePassive), haPeer("b", probe.StatePassive, probe.StateActive),
		}, true, []string{"a"}, []string{"a"}, "a"},
		{"split brain", []*probe.PeerStatus{
			haPeer("a", probe.StateActive, probe.StateActive), haPeer("b", probe.StateActive, probe.StateActive),
		}, true, []string{"a", "b"}, []string{"a", "b"}, ""},
		{"active silent, seen by the passive", []*probe.PeerStatus{
			silent("a"), haPeer("b", probe.StatePassive, probe.StateActive),
		}, true, nil, []string{"a"}, "a"},
		{"the other's view does not override an own report", []*probe.PeerStatus{
			haPeer("a", probe.StateActive, probe.StatePassive), haPeer("b", probe.StatePassive, probe.StateActive),
		}, true, []string{"a"}, []string{"a"}, "a"},
		{"nobody answers", []*probe.PeerStatus{silent("a"), silent("b")}, false, nil, nil, ""},
		{"both passive", []*probe.PeerStatus{
			haPeer("a", probe.StatePassive, probe.StatePassive), haPeer("b", probe.StatePassive, probe.StatePassive),
		}, true, nil, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := BuildHA(tc.peers)
			if v.Known != tc.known || !slices.Equal(v.Reporting, tc.reporting) ||
				!slices.Equal(v.Actives, tc.actives) || v.Active != tc.active {
				t.Errorf("known %v reporting %v actives %v active %q; want %v %v %v %q",
					v.Known, v.Reporting, v.Actives, v.Active, tc.known, tc.reporting, tc.actives, tc.active)
			}
		})
	}
}

func TestBuildHAPeerState(t *testing.T) {
	a := haPeer("a", probe.StateActive, probe.StateSuspended)
	b := haPeer("b", probe.StateSuspended, probe.StateActive)
	a.HA.PeerLastErrorReason = "User requested"
	disabled := &probe.PeerStatus{Name: "c", Up: true, HA: &probe.HAInfo{LocalState: probe.StateActive}}
	odd := haPeer("d", "", probe.StateUnknown)
	odd.HA.LocalStateRaw = "quantum"
	odd.HA.LocalState = probe.ParseHAState("quantum")
	v := BuildHA([]*probe.PeerStatus{a, b, disabled, odd})

	if pb := v.Peer("b"); pb.State != probe.StateSuspended || !pb.SuspendedByUser || pb.SeenAs != probe.StateSuspended {
		t.Errorf("b: %+v; want suspended by user, seen suspended", pb)
	}
	if pa := v.Peer("a"); pa.SuspendedByUser || !pa.SeesPeer {
		t.Errorf("a: %+v", pa)
	}
	if pc := v.Peer("c"); pc.HA || pc.State != probe.StateUnknown {
		t.Errorf("HA disabled must give no state, got %+v", pc)
	}
	if pd := v.Peer("d"); pd.State != probe.StateUnknown || pd.StateRaw != "quantum" {
		t.Errorf("unknown raw state: %+v", pd)
	}
	if v.Peer("missing") != nil {
		t.Error("a missing peer must be nil")
	}
}

func TestBuildHAModeAndVersion(t *testing.T) {
	a := haPeer("a", probe.StateActivePrimary, probe.StateActiveSecondary)
	b := haPeer("b", probe.StateActiveSecondary, probe.StateActivePrimary)
	b.HA.Mode = ModeActiveActive
	b.HA.LocalVersions.Build = ""
	b.System = &probe.SystemInfo{SWVersion: "10.2.8"}
	v := BuildHA([]*probe.PeerStatus{a, b})
	if v.Mode != ModeActiveActive {
		t.Errorf("mode %q: a peer that runs active/active makes the pair active/active", v.Mode)
	}
	if pa, pb := v.Peer("a"), v.Peer("b"); pa.Version != "10.2.9" || pa.VersionFrom != VersionFromHA ||
		pb.Version != "10.2.8" || pb.VersionFrom != VersionFromSystem {
		t.Errorf("versions: a %q/%s, b %q/%s", pa.Version, pa.VersionFrom, pb.Version, pb.VersionFrom)
	}
	if len(v.Reporting) != 2 || v.Active != "" {
		t.Errorf("active/active: reporting %v active %q", v.Reporting, v.Active)
	}
}

func TestAllLinksDown(t *testing.T) {
	p := haPeer("a", probe.StateActive, probe.StatePassive)
	p.HA.Links = append(p.HA.Links, probe.HALink{Name: "heartbeat-backup", Port: "management", Up: true})
	for i := range 2 {
		p.HA.Links[i].Up = false
	}
	v := BuildHA([]*probe.PeerStatus{p})
	if v.Peer("a").AllLinksDown() {
		t.Error("the heartbeat backup still holds: not every link is down")
	}
	p.HA.Links[2].Up = false
	if !BuildHA([]*probe.PeerStatus{p}).Peer("a").AllLinksDown() {
		t.Error("every link is down")
	}
	p.HA.Links = nil
	if BuildHA([]*probe.PeerStatus{p}).Peer("a").AllLinksDown() {
		t.Error("no configured link is not 'all down'")
	}
}

func TestEverFlowed(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	peer := func(at time.Time, kbps uint64) *probe.PeerStatus {
		return &probe.PeerStatus{Name: "a", Up: true, End: at, Sessions: &probe.SessionInfo{Kbps: kbps}}
	}
	first := &Pair{Peers: []*probe.PeerStatus{peer(t0, 0)}}
	first.Traffic = ComputeTraffic(nil, first.Peers)
	if first.Traffic.EverFlowed {
		t.Fatal("an idle first poll has not flowed")
	}
	second := &Pair{Peers: []*probe.PeerStatus{peer(t0.Add(time.Second), 800)}}
	second.Traffic = ComputeTraffic(first, second.Peers)
	third := ComputeTraffic(second, []*probe.PeerStatus{peer(t0.Add(2*time.Second), 0)})
	if !second.Traffic.EverFlowed || !third.EverFlowed {
		t.Errorf("flowing once is remembered: second %v third %v", second.Traffic.EverFlowed, third.EverFlowed)
	}
}

// TestDataPlaneDown: the pair forwards nothing only when every peer that
// answers has link ports and none up, as the PromQL rule counts it; a
// peer that does not answer is left out, and virtual rows never count.
func TestDataPlaneDown(t *testing.T) {
	ports := func(up bool, kinds ...probe.PortKind) *probe.Interfaces {
		ifs := &probe.Interfaces{}
		for i, k := range kinds {
			role := probe.RoleDataPlane
			if k == probe.KindVirtual {
				role = probe.RoleVirtual
			}
			ifs.Hardware = append(ifs.Hardware, probe.HardwareInterface{Name: fmt.Sprintf("p%d", i), Kind: k, Role: role, Up: up || k == probe.KindVirtual})
		}
		return ifs
	}
	peer := func(name string, ifs *probe.Interfaces) *probe.PeerStatus {
		p := haPeer(name, probe.StateActive, probe.StatePassive)
		p.Interfaces = ifs
		return p
	}
	for _, tc := range []struct {
		name  string
		peers []*probe.PeerStatus
		want  bool
	}{
		{"both down, loopback up", []*probe.PeerStatus{peer("a", ports(false, probe.KindPhysical, probe.KindVirtual)), peer("b", ports(false, probe.KindPhysical))}, true},
		{"one port up", []*probe.PeerStatus{peer("a", ports(false, probe.KindPhysical)), peer("b", ports(true, probe.KindPhysical))}, false},
		{"the other does not answer", []*probe.PeerStatus{peer("a", ports(false, probe.KindAggregate)), silent("b")}, true},
		{"a peer without data-plane ports", []*probe.PeerStatus{peer("a", ports(false, probe.KindPhysical)), peer("b", ports(false, probe.KindVirtual))}, false},
		{"nobody answers", []*probe.PeerStatus{silent("a"), silent("b")}, false},
	} {
		if got := BuildHA(tc.peers).DataPlaneDown(); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
