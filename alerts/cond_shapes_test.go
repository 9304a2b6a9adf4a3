package alerts

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/hawatch/hawatch/probe"
)

// realInterfaces parses a recorded `show interface all` that has loopback,
// tunnel and vlan rows with routed sub-interfaces in a virtual router, and
// sets the physical ports' links as given; the virtual rows stay up, as
// they always are on a firewall.
func realInterfaces(t *testing.T, physicalUp bool) *probe.Interfaces {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("..", "probe", "testdata", "show-interface-all-napalm_panos.xml"))
	if err != nil {
		t.Fatal(err)
	}
	ifs, err := probe.ParseInterfaces(body)
	if err != nil {
		t.Fatal(err)
	}
	virtual := 0
	for i := range ifs.Hardware {
		switch hw := &ifs.Hardware[i]; hw.Kind {
		case probe.KindPhysical, probe.KindAggregate:
			hw.Up = physicalUp
		case probe.KindVirtual:
			if !hw.Up {
				t.Fatalf("recorded virtual row %s is not up", hw.Name)
			}
			virtual++
		}
	}
	if virtual != 3 {
		t.Fatalf("the recording has %d virtual rows, want loopback, tunnel and vlan", virtual)
	}
	return ifs
}

// TestLinksDownOnRealInterfaceShapes: with every physical data-plane port
// down on both peers, the pair's links are down although loopback, tunnel
// and vlan (each carrying a routed sub-interface) are up.
func TestLinksDownOnRealInterfaceShapes(t *testing.T) {
	withIfs := func(up bool) peerOpt {
		return func(p *probe.PeerStatus) { p.Interfaces = realInterfaces(t, up) }
	}
	down := mkPair(okPeer("a", probe.StateActive, withIfs(false)), okPeer("b", probe.StatePassive, withIfs(false)))
	if got := evalOnce(down); !slices.Contains(got, "HAPairLinksDown{severity=critical}:pending") {
		t.Errorf("every physical port down: %q lacks HAPairLinksDown", got)
	}
	up := mkPair(okPeer("a", probe.StateActive, withIfs(true)), okPeer("b", probe.StatePassive, withIfs(true)))
	if got := evalOnce(up); slices.Contains(got, "HAPairLinksDown{severity=critical}:pending") {
		t.Errorf("physical ports up: %q", got)
	}
}
