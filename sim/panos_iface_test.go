package sim

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

// Small local views of the replies, decoded here so that these tests do
// not depend on probe's parser.
type ifnetXML struct {
	Name string `xml:"name"`
	Zone string `xml:"zone"`
	Fwd  string `xml:"fwd"`
	Tag  string `xml:"tag"`
	IP   string `xml:"ip"`
	ID   string `xml:"id"`
}

type hwXML struct {
	Name   string `xml:"name"`
	Duplex string `xml:"duplex"`
	Type   string `xml:"type"`
	State  string `xml:"state"`
	St     string `xml:"st"`
	MAC    string `xml:"mac"`
	Mode   string `xml:"mode"`
	Speed  string `xml:"speed"`
	ID     string `xml:"id"`
}

type ifaceAllXML struct {
	Ifnet []ifnetXML `xml:"result>ifnet>entry"`
	HW    []hwXML    `xml:"result>hw>entry"`
}

func decodeXML[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := xml.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode reply: %v\n%s", err, body)
	}
	return v
}

// entryOrders returns, for each entry directly under the element at
// path (e.g. "response/result/hw"), the entry's name and the names of its
// children in document order, nested children as "port/rx-bytes".
func entryOrders(t *testing.T, body []byte, path string) map[string][]string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(body))
	out := map[string][]string{}
	var stack, children []string
	var name string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tk.Name.Local)
			at := strings.Join(stack, "/")
			if rest, ok := strings.CutPrefix(at, path+"/entry/"); ok {
				children = append(children, rest)
			}
		case xml.CharData:
			if strings.Join(stack, "/") == path+"/entry/name" {
				name = strings.TrimSpace(string(tk))
			}
		case xml.EndElement:
			if strings.Join(stack, "/") == path+"/entry" {
				out[name] = children
				children, name = nil, ""
			}
			stack = stack[:len(stack)-1]
		}
	}
}

// childOrder returns the names of the direct children of the first
// element at path, in document order.
func childOrder(t *testing.T, body []byte, path string) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(body))
	var stack, out []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if strings.Join(stack, "/") == path {
				out = append(out, tk.Name.Local)
			}
			stack = append(stack, tk.Name.Local)
		case xml.EndElement:
			if strings.Join(stack, "/") == path {
				// Only the first such element.
				return out
			}
			stack = stack[:len(stack)-1]
		}
	}
}

func findIfnet(t *testing.T, r ifaceAllXML, name string) ifnetXML {
	t.Helper()
	for _, e := range r.Ifnet {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("no ifnet entry %s", name)
	return ifnetXML{}
}

func findHW(t *testing.T, r ifaceAllXML, name string) hwXML {
	t.Helper()
	for _, e := range r.HW {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("no hw entry %s", name)
	return hwXML{}
}

func names[T any](list []T, name func(T) string) []string {
	out := make([]string, 0, len(list))
	for _, e := range list {
		out = append(out, name(e))
	}
	return out
}

func TestInterfacesHaveVirtualAndSubinterfaces(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	_, body := op(t, s, PeerA, cmdInterfaces)
	r := decodeXML[ifaceAllXML](t, body)

	// Ports keep their ids and order: ethernet1/N is ENI device index N.
	wantHW := []string{"ethernet1/1", "ethernet1/2", "ethernet1/3", "ethernet1/4", "vlan", "loopback", "tunnel"}
	if got := names(r.HW, func(e hwXML) string { return e.Name }); !slices.Equal(got, wantHW) {
		t.Errorf("hw rows %v, want %v", got, wantHW)
	}
	for n, id := range []string{"16", "17", "18", "19"} {
		if r.HW[n].ID != id || r.HW[n].Type != "0" {
			t.Errorf("%s: id %s type %s, want id %s type 0", r.HW[n].Name, r.HW[n].ID, r.HW[n].Type, id)
		}
	}
	// Virtual rows as the recordings show them.
	for _, want := range []hwXML{
		{Name: "vlan", Type: "3", ID: "1"},
		{Name: "loopback", Type: "5", ID: "3"},
		{Name: "tunnel", Type: "6", ID: "4"},
	} {
		got := findHW(t, r, want.Name)
		want.Duplex, want.State, want.St, want.Mode, want.Speed = "[n/a]", "up", "[n/a]/[n/a]/up", "(unknown)", "[n/a]"
		want.MAC = "0e:00:00:61:ff:0" + want.ID
		if got != want {
			t.Errorf("hw %s = %+v, want %+v", want.Name, got, want)
		}
	}

	wantIfnet := []string{"ethernet1/1", "ethernet1/2", "ethernet1/3", "ethernet1/3.100", "vlan", "vlan.20",
		"loopback", "loopback.1", "tunnel", "tunnel.10"}
	if got := names(r.Ifnet, func(e ifnetXML) string { return e.Name }); !slices.Equal(got, wantIfnet) {
		t.Errorf("ifnet rows %v, want %v", got, wantIfnet)
	}
	for _, want := range []ifnetXML{
		{Name: "vlan", Fwd: "N/A", Tag: "0", IP: "N/A", ID: "1"},
		{Name: "loopback", Fwd: "N/A", Tag: "0", IP: "N/A", ID: "3"},
		{Name: "tunnel", Fwd: "N/A", Tag: "0", IP: "N/A", ID: "4"},
		{Name: "ethernet1/3.100", Zone: "trust", Fwd: "vr:default", Tag: "100", IP: "10.0.100.1/24", ID: "256"},
		{Name: "vlan.20", Fwd: "vr:default", Tag: "0", IP: "192.168.20.1/24", ID: "257"},
		{Name: "loopback.1", Zone: "trust", Fwd: "vr:default", Tag: "0", IP: "10.255.0.1/32", ID: "258"},
		{Name: "tunnel.10", Zone: "vpn", Fwd: "vr:default", Tag: "0", IP: "169.254.10.1/30", ID: "259"},
	} {
		if got := findIfnet(t, r, want.Name); got != want {
			t.Errorf("ifnet %s = %+v, want %+v", want.Name, got, want)
		}
	}
}

func TestInterfaceRowsFollowRecordedOrder(t *testing.T) {
	rec := fixture(t, "show-interface-all-napalm_panos.xml")
	recIfnet, recHW := entryOrders(t, rec, "response/result/ifnet"), entryOrders(t, rec, "response/result/hw")
	if len(recIfnet["loopback.100"]) != 10 || len(recHW["vlan"]) != 9 {
		t.Fatalf("recorded orders not found: %v %v", recIfnet["loopback.100"], recHW["vlan"])
	}
	for _, profile := range []string{ProfileVMAWS, ProfileHardware} {
		s, _ := testSim(t, WorldOptions{Profile: profile})
		_, body := op(t, s, PeerB, cmdInterfaces)
		for name, got := range entryOrders(t, body, "response/result/ifnet") {
			// The elements' order; addr's members (floating IPs) are
			// its content, as recorded in the ipv6 reply.
			got = slices.DeleteFunc(slices.Clone(got), func(c string) bool { return strings.Contains(c, "/") })
			if want := recIfnet["loopback.100"]; !slices.Equal(got, want) {
				t.Errorf("%s ifnet %s: children %v, want %v (recorded)", profile, name, got, want)
			}
		}
		for name, got := range entryOrders(t, body, "response/result/hw") {
			if want := recHW["vlan"]; !slices.Equal(got, want) {
				t.Errorf("%s hw %s: children %v, want %v (recorded)", profile, name, got, want)
			}
		}
	}
}

type haPortsXML struct {
	HA1Port  string `xml:"result>group>local-info>ha1-port"`
	HA2Port  string `xml:"result>group>local-info>ha2-port"`
	Model    string `xml:"result>group>local-info>platform-model"`
	SyncType string `xml:"result>group>local-info>state-sync-type"`
	HA1      string `xml:"result>group>peer-info>conn-ha1>conn-status"`
	HA2      string `xml:"result>group>peer-info>conn-ha2>conn-status"`
}

func TestHardwareProfile(t *testing.T) {
	s, clk := testSim(t, WorldOptions{Profile: ProfileHardware})
	w := s.World()
	_, body := op(t, s, PeerA, cmdInterfaces)
	r := decodeXML[ifaceAllXML](t, body)
	wantHW := []string{"ethernet1/1", "ethernet1/2", "ethernet1/3", "ethernet1/4", "ethernet1/5", "ethernet1/6",
		"ae1", "ha1", "ha2", "vlan", "loopback", "tunnel"}
	if got := names(r.HW, func(e hwXML) string { return e.Name }); !slices.Equal(got, wantHW) {
		t.Errorf("hw rows %v, want %v", got, wantHW)
	}
	for name, id := range map[string]string{"ha1": "5", "ha2": "6"} {
		if e := findHW(t, r, name); e.Type != "2" || e.ID != id || e.State != "up" {
			t.Errorf("dedicated %s = %+v, want type 2 id %s up", name, e, id)
		}
		if e := findIfnet(t, r, name); e.Fwd != "ha" || e.ID != id {
			t.Errorf("dedicated %s logical = %+v", name, e)
		}
	}
	if e := findIfnet(t, r, "ae1.10"); e.Fwd != "vr:default" || e.Tag != "10" || e.IP != "10.0.110.1/24" {
		t.Errorf("ae1.10 = %+v", e)
	}

	aeState := func() string {
		_, body := op(t, s, PeerA, cmdInterfaces)
		return findHW(t, decodeXML[ifaceAllXML](t, body), IfaceAE).State
	}
	for _, step := range []struct {
		member string
		up     bool
		want   string
	}{
		{IfaceAEMember1, false, "up"},
		{IfaceAEMember2, false, "down"},
		{IfaceAEMember2, true, "up"},
	} {
		w.SetInterface(PeerA, step.member, step.up)
		if got := aeState(); got != step.want {
			t.Errorf("%s %s: ae1 %s, want %s", step.member, upDown(step.up), got, step.want)
		}
	}

	_, body = op(t, s, PeerB, cmdHAAll)
	want := haPortsXML{"dedicated-ha1", "dedicated-ha2", "PA-3220", "ethernet", "up", "up"}
	if got := decodeXML[haPortsXML](t, body); got != want {
		t.Errorf("HA ports %+v, want %+v", got, want)
	}
	w.SetInterface(PeerA, IfaceHA1Dedicated, false)
	w.SetInterface(PeerA, IfaceHA2Dedicated, false)
	_, body = op(t, s, PeerB, cmdHAAll)
	if got := decodeXML[haPortsXML](t, body); got.HA1 != "down" || got.HA2 != "down" {
		t.Errorf("with A's ha1 and ha2 ports down B reports HA1 %s, HA2 %s", got.HA1, got.HA2)
	}
	clk.Advance(time.Second)
	if w.Carrier() != PeerA {
		t.Errorf("carrier %d, want A: the AWS side still carries traffic", w.Carrier())
	}
}

func TestWorldOptionsValidate(t *testing.T) {
	for _, o := range []WorldOptions{{Profile: "pa-7050"}, {Mode: "eni-swap"}, {OffloadShare: 1.5}, {OffloadShare: -0.1}} {
		if err := o.Validate(); err == nil {
			t.Errorf("%+v: no error", o)
		}
		if _, err := Start(t.Context(), Options{Dir: t.TempDir(), WorldOptions: o}); err == nil {
			t.Errorf("Start(%+v): no error", o)
		}
	}
	if err := (WorldOptions{Profile: ProfileHardware, Mode: AWSModeInterfaceMove, OffloadShare: 1}).Validate(); err != nil {
		t.Errorf("valid options: %v", err)
	}
}
