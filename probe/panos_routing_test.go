package probe_test

import (
	"context"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/sim"
)

// TestFetchRoutes reads `show routing route` with the real pango client
// from the simulator: the default route is active while the untrust port
// is up and stays in the table, inactive, when it goes down.
func TestFetchRoutes(t *testing.T) {
	s := startSim(t)
	p := newPeer(t, s, sim.PeerA, keyCreds(s), 5*time.Second)
	defaultRoute := func() (probe.Route, bool) {
		t.Helper()
		ops := p.Fetch(context.Background(), probe.CmdRoutes)
		if err := ops.Err(probe.CmdRoutes); err != nil {
			t.Fatal(err)
		}
		for _, r := range ops.Routes {
			if r.Destination == "0.0.0.0/0" {
				return r, true
			}
		}
		return probe.Route{}, false
	}
	r, ok := defaultRoute()
	if !ok || !r.Active || r.Interface != sim.IfaceUntrust || r.VirtualRouter != "default" {
		t.Fatalf("default route %+v (found %v), want active on %s", r, ok, sim.IfaceUntrust)
	}
	s.World().SetInterface(sim.PeerA, sim.IfaceUntrust, false)
	if r, ok = defaultRoute(); !ok || r.Active {
		t.Errorf("default route %+v (found %v) with the untrust port down, want inactive", r, ok)
	}
}
