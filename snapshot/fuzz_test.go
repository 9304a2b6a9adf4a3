package snapshot

import (
	"testing"

	"github.com/hawatch/hawatch/probe"
)

// FuzzCorrelate feeds Correlate the values that come from the outside
// world (interface addresses as PAN-OS prints them, ENI addresses, subnet
// CIDRs, device indexes, route targets and the mode) and checks that it
// never panics and that every check stays three-valued with a problem text
// for each failure.
func FuzzCorrelate(f *testing.F) {
	f.Add("10.0.3.10/24", "10.0.3.10", "10.0.3.0/24", 3, "eni-x3", "auto")
	f.Add("N/A", "", "not-a-cidr", -1, "", "interface-move")
	f.Add("fe80::1/64", "10.0.3.10", "10.0.3.0/33", 99, "eni-a0", "secondary-ip")
	f.Add("10.0.3.10", "10.0.3.10/24", "::/0", 0, "i-a", "")
	f.Fuzz(func(t *testing.T, ifaceIP, eniIP, cidr string, dev int, target, mode string) {
		w := interfaceMoveWorld()
		w.in.Mode = mode
		w.setIP("fw-a", "ethernet1/3", ifaceIP)
		for i := range w.aws.ENIs {
			if w.aws.ENIs[i].ID == "eni-x3" {
				w.aws.ENIs[i].DeviceIndex = dev
				w.aws.ENIs[i].PrivateIPs = []probe.AWSPrivateIP{{IP: eniIP, Primary: true}}
			}
		}
		for i := range w.aws.Subnets {
			if w.aws.Subnets[i].ID == "subnet-trust" {
				w.aws.Subnets[i].CIDR = cidr
			}
		}
		w.aws.RouteTables[0].Routes[0].ENI = target
		v := w.correlate()
		for _, c := range v.Interfaces {
			checkTri(t, c.Match, c.Problem)
		}
		for _, c := range v.ENIs {
			checkTri(t, c.Attached, c.Problem)
		}
		for _, c := range v.Routes {
			checkTri(t, c.OnActive, c.Problem)
		}
	})
}

func checkTri(t *testing.T, v probe.Tri, problem string) {
	t.Helper()
	if v != probe.Yes && v != probe.No && v != probe.Unknown {
		t.Fatalf("check value %d is not three-valued", v)
	}
	if v == probe.No && problem == "" {
		t.Fatal("a failed check without a problem text")
	}
}

// FuzzBuildHA runs parsed HA replies of any shape through the HA model:
// it must never panic, and an active peer it names must be one that
// reports itself active or is seen active.
func FuzzBuildHA(f *testing.F) {
	f.Add([]byte(`<response status="success"><result><enabled>yes</enabled><group><local-info><state>active</state></local-info><peer-info><state>passive</state><conn-status>up</conn-status></peer-info></group></result></response>`), []byte(`<response status="success"><result><enabled>yes</enabled></result></response>`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		var peers []*probe.PeerStatus
		for i, body := range [][]byte{a, b} {
			p := &probe.PeerStatus{Name: string(rune('a' + i)), Up: true}
			p.HA, _ = probe.ParseHA(body)
			peers = append(peers, p)
		}
		v := BuildHA(peers)
		if v.Active != "" {
			ph := v.Peer(v.Active)
			if ph == nil || (!ph.State.IsActive() && !ph.SeenAs.IsActive()) {
				t.Fatalf("active %q is neither reported nor seen active: %+v", v.Active, ph)
			}
		}
	})
}
