package sim

import (
	"math"
	"slices"
	"strconv"
	"testing"
	"time"
)

type portXML struct {
	RxBytes     uint64 `xml:"rx-bytes"`
	TxBytes     uint64 `xml:"tx-bytes"`
	RxUnicast   uint64 `xml:"rx-unicast"`
	TxUnicast   uint64 `xml:"tx-unicast"`
	RxMulticast uint64 `xml:"rx-multicast"`
	TxMulticast uint64 `xml:"tx-multicast"`
	RxBroadcast uint64 `xml:"rx-broadcast"`
	TxBroadcast uint64 `xml:"tx-broadcast"`
}

type counterXML struct {
	Name      string   `xml:"name"`
	Interface string   `xml:"interface"`
	IBytes    uint64   `xml:"ibytes"`
	OBytes    uint64   `xml:"obytes"`
	IPackets  uint64   `xml:"ipackets"`
	OPackets  uint64   `xml:"opackets"`
	Port      *portXML `xml:"port"`
}

type countersXML struct {
	Logical []counterXML `xml:"result>ifnet>ifnet>entry"`
	HW      []counterXML `xml:"result>hw>entry"`
}

func (c countersXML) hw(t *testing.T, name string) counterXML {
	t.Helper()
	for _, e := range c.HW {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("no hw counters for %s", name)
	return counterXML{}
}

func (c countersXML) logical(t *testing.T, name string) counterXML {
	t.Helper()
	for _, e := range c.Logical {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("no logical counters for %s", name)
	return counterXML{}
}

// nearShare reports whether dp is share of wire, give or take the
// truncation of both to integers.
func nearShare(dp, wire uint64, share float64) bool {
	return math.Abs(float64(dp)-float64(wire)*share) <= 1+share
}

func TestPortCountersAreWireTruth(t *testing.T) {
	for _, share := range []float64{0, 0.5, 1} {
		want := share
		if want == 0 {
			want = DefaultOffloadShare
		}
		t.Run(strconv.FormatFloat(want, 'f', -1, 64), func(t *testing.T) {
			s, clk := testSim(t, WorldOptions{OffloadShare: share})
			clk.Advance(10 * time.Minute)
			_, body := op(t, s, PeerA, cmdCounters)
			c := decodeXML[countersXML](t, body)
			for _, name := range []string{IfaceUntrust, IfaceTrust} {
				in, out := s.World().InterfaceBytes(PeerA, name)
				e := c.hw(t, name)
				if e.Port == nil || e.Port.RxBytes != in || e.Port.TxBytes != out || in == 0 {
					t.Fatalf("%s port %+v, want rx %d tx %d", name, e.Port, in, out)
				}
				if !nearShare(e.IBytes, in, want) || !nearShare(e.OBytes, out, want) {
					t.Errorf("%s ibytes/obytes %d/%d, want %v of %d/%d", name, e.IBytes, e.OBytes, want, in, out)
				}
				if l := c.logical(t, name); l.IBytes != e.IBytes || l.OBytes != e.OBytes {
					t.Errorf("%s logical %d/%d, hw %d/%d: both are the data-plane count", name, l.IBytes, l.OBytes, e.IBytes, e.OBytes)
				}
				rx := e.Port.RxUnicast + e.Port.RxMulticast + e.Port.RxBroadcast
				if !nearShare(e.IPackets, rx, want) || e.Port.RxMulticast == 0 {
					t.Errorf("%s ipackets %d, wire packets %d (%+v)", name, e.IPackets, rx, e.Port)
				}
			}
			// HA2 state sync is not offloaded.
			ha2 := c.hw(t, IfaceHA2)
			if ha2.Port == nil || ha2.Port.TxBytes == 0 || ha2.OBytes != ha2.Port.TxBytes {
				t.Errorf("HA2 counters %+v, port %+v", ha2, ha2.Port)
			}
			for _, name := range []string{"vlan", "loopback", "tunnel"} {
				if e := c.hw(t, name); e.Port != nil || e.Interface != name {
					t.Errorf("virtual %s: %+v, want no <port>", name, e)
				}
			}
		})
	}
}

func TestCounterEntriesFollowRecordedOrder(t *testing.T) {
	rec := entryOrders(t, fixture(t, "show-counter-interface-all-pa5060-7.1-EXCERPT-device_paloalto_firewall_perl.xml"),
		"response/result/hw")
	withPort, virtual := rec["ethernet1/21"], rec["loopback"]
	if len(withPort) != 17 || len(virtual) != 8 {
		t.Fatalf("recorded orders not found: %v %v", withPort, virtual)
	}
	for _, profile := range []string{ProfileVMAWS, ProfileHardware} {
		s, _ := testSim(t, WorldOptions{Profile: profile})
		_, body := op(t, s, PeerA, cmdCounters)
		got := entryOrders(t, body, "response/result/hw")
		for name, children := range got {
			want := withPort
			if slices.Contains([]string{"vlan", "loopback", "tunnel", IfaceAE}, name) {
				want = virtual
			}
			if !slices.Equal(children, want) {
				t.Errorf("%s hw %s: children %v, want %v (recorded)", profile, name, children, want)
			}
		}
		if _, ok := got[IfaceHA1Dedicated]; ok {
			t.Errorf("%s: hw counters for ha1; the recording has none", profile)
		}
	}
}

type haConnXML struct {
	MgmtHB   string `xml:"result>group>local-info>mgmt-hb"`
	MgmtConn string `xml:"result>group>peer-info>conn-mgmt>conn-status"`
	MgmtDesc string `xml:"result>group>peer-info>conn-mgmt>conn-desc"`
	HA1      string `xml:"result>group>peer-info>conn-ha1>conn-status"`
}

func TestHeartbeatBackup(t *testing.T) {
	s, clk := testSim(t, WorldOptions{})
	w := s.World()
	want := func(step, conn, ha1 string, peers ...int) {
		t.Helper()
		for _, i := range peers {
			_, body := op(t, s, i, cmdHAAll)
			got := decodeXML[haConnXML](t, body)
			if got != (haConnXML{"configured", conn, "heartbeat status", ha1}) {
				t.Errorf("%s: peer %s reports %+v, want conn-mgmt %s, conn-ha1 %s", step, PeerName(i), got, conn, ha1)
			}
		}
	}
	want("healthy", "up", "up", PeerA, PeerB)
	w.SetHeartbeatBackup(PeerB, false)
	want("B's management link cut", "down", "up", PeerA, PeerB)
	w.SetHALink(LinkHA1, false)
	w.SetHeartbeatBackup(PeerB, true)
	want("HA1 cut, backup restored", "up", "down", PeerA, PeerB)
	w.SetHALink(LinkHA1, true)
	w.Reboot(PeerB, time.Minute)
	want("B rebooting", "down", "down", PeerA)
	clk.Advance(2 * time.Minute)
	w.SetHeartbeatBackup(PeerA, false)
	w.Reset()
	want("reset", "up", "up", PeerA, PeerB)

	const conn = "response/result/group/peer-info/conn-mgmt"
	rec := childOrder(t, fixture(t, "show-ha-all-pa5060-7.1.9-device_paloalto_firewall_perl.xml"), conn)
	_, body := op(t, s, PeerA, cmdHAAll)
	if got := childOrder(t, body, conn); len(rec) != 2 || !slices.Equal(got, rec) {
		t.Errorf("conn-mgmt children %v, want %v (recorded)", got, rec)
	}
}
