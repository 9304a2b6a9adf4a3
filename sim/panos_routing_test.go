package sim

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/hawatch/hawatch/probe"
)

// routeSet maps each route of a reply to its flags.
func routeSet(t *testing.T, w *World, peer int) map[string]string {
	t.Helper()
	v, ok := w.view(peer)
	if !ok {
		t.Fatalf("peer %d unreachable", peer)
	}
	rs, err := probe.ParseRoutes([]byte(routesReply(v)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rs {
		out[r.Destination+" via "+r.Nexthop+" dev "+r.Interface] = r.Flags
	}
	return out
}

func TestRoutesReplyFollowsLinks(t *testing.T) {
	w := NewWorld(WorldOptions{})
	// Written from the world's configuration: untrust is ENI device 2 in
	// 10.0.2.0/24, trust device 3 in 10.0.3.0/24, plus the routed
	// sub-interfaces of the vm-aws profile.
	want := map[string]string{
		"10.0.2.0/24 via 0.0.0.0 dev ethernet1/2":       "A C",
		"10.0.3.0/24 via 0.0.0.0 dev ethernet1/3":       "A C",
		"10.0.100.0/24 via 0.0.0.0 dev ethernet1/3.100": "A C",
		"192.168.20.0/24 via 0.0.0.0 dev vlan.20":       "A C",
		"169.254.10.0/30 via 0.0.0.0 dev tunnel.10":     "A C",
		"0.0.0.0/0 via 10.0.2.1 dev ethernet1/2":        "A S",
		"10.0.0.0/16 via 10.0.3.1 dev ethernet1/3":      "A S",
	}
	got := routeSet(t, w, PeerA)
	for k, flags := range want {
		if got[k] != flags {
			t.Errorf("route %s: flags %q, want %q", k, got[k], flags)
		}
	}
	if got["10.255.0.1/32 via 0.0.0.0 dev "] != "A H" {
		t.Errorf("no host route of loopback.1 in %v", got)
	}
	w.SetInterface(PeerA, IfaceUntrust, false)
	got = routeSet(t, w, PeerA)
	if _, ok := got["10.0.2.0/24 via 0.0.0.0 dev ethernet1/2"]; ok {
		t.Error("connected route of a down port still in the table")
	}
	if f := got["0.0.0.0/0 via 10.0.2.1 dev ethernet1/2"]; f != "S" {
		t.Errorf("default route out of a down port: flags %q, want S (inactive)", f)
	}
	if f := got["10.0.0.0/16 via 10.0.3.1 dev ethernet1/3"]; f != "A S" {
		t.Errorf("route out of the trust port: flags %q, want A S", f)
	}
}

// routeEntryOrder returns the element names of a reply's first route
// entry, and the first child of result.
func routeEntryOrder(t *testing.T, body []byte) (first string, entry []string) {
	t.Helper()
	var r struct {
		Result struct {
			Children []struct{ XMLName xml.Name } `xml:",any"`
			Entries  []struct {
				Children []struct{ XMLName xml.Name } `xml:",any"`
			} `xml:"entry"`
		} `xml:"result"`
	}
	if err := xml.Unmarshal(body, &r); err != nil || len(r.Result.Entries) == 0 || len(r.Result.Children) == 0 {
		t.Fatalf("decode: %v\n%s", err, body)
	}
	for _, c := range r.Result.Entries[0].Children {
		entry = append(entry, c.XMLName.Local)
	}
	return r.Result.Children[0].XMLName.Local, entry
}

// TestRoutesReplyShape: the simulator's routes look like the recorded
// reply: the legend first, the same elements in each entry in the same
// order.
func TestRoutesReplyShape(t *testing.T) {
	recorded, err := os.ReadFile(filepath.Join("testdata", "show-routing-route-upgrade_assurance.xml"))
	if err != nil {
		t.Fatal(err)
	}
	v, _ := NewWorld(WorldOptions{}).view(PeerA)
	wantFirst, want := routeEntryOrder(t, recorded)
	gotFirst, got := routeEntryOrder(t, []byte(routesReply(v)))
	if gotFirst != wantFirst || !slices.Equal(got, want) {
		t.Errorf("reply starts with %s, entry %v; recorded starts with %s, entry %v", gotFirst, got, wantFirst, want)
	}
}
