package exporter

import (
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// series returns the label sets of the named family, one string per series.
func series(t *testing.T, src Source, name string) []string {
	t.Helper()
	mfs, err := register(t, src).Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	var out []string
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			var kv []string
			for _, l := range m.GetLabel() {
				kv = append(kv, l.GetName()+"="+l.GetValue())
			}
			out = append(out, strings.Join(kv, ","))
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestRemovedPeerAndInterfaceDisappear(t *testing.T) {
	src := &staticSource{pairs: []*snapshot.Pair{healthyPair()}}
	c := NewCollector(src, nil)
	if n := testutil.CollectAndCount(c, "hawatch_interface_up"); n != 8 {
		t.Fatalf("got %d interface_up series, want 8", n)
	}
	if n := testutil.CollectAndCount(c, "hawatch_peer_up"); n != 2 {
		t.Fatalf("got %d peer_up series, want 2", n)
	}

	next := healthyPair()
	next.Peers = next.Peers[:1]
	a := next.Peers[0]
	a.Interfaces.Hardware = a.Interfaces.Hardware[:3]
	a.Counters.Hardware = a.Counters.Hardware[:1]
	src.pairs = []*snapshot.Pair{next}

	if n := testutil.CollectAndCount(c, "hawatch_peer_up"); n != 1 {
		t.Errorf("got %d peer_up series after peer b left, want 1", n)
	}
	if got := series(t, src, "hawatch_interface_up"); contains(got, "interface=ethernet1/4,pair=edge,peer=a") || len(got) != 3 {
		t.Errorf("interface_up after ethernet1/4 left: %v", got)
	}
	if got := series(t, src, "hawatch_interface_receive_bytes_total"); len(got) != 1 {
		t.Errorf("receive bytes after ethernet1/2 counters left: %v", got)
	}
	for _, name := range []string{"hawatch_ha_state", "hawatch_sessions_active", "hawatch_peer_info", "hawatch_interface_info"} {
		for _, s := range series(t, src, name) {
			if strings.Contains(s, "peer=b") {
				t.Errorf("%s still has series of the removed peer: %s", name, s)
			}
		}
	}

	src.pairs = nil
	if n := testutil.CollectAndCount(c, "hawatch_poll_success"); n != 0 {
		t.Errorf("got %d poll_success series with no pairs, want 0", n)
	}
}

func TestUnknownChecksEmitNoSample(t *testing.T) {
	src := &staticSource{pairs: []*snapshot.Pair{awsPair("cloud")}}
	for name, want := range map[string][]string{
		"hawatch_aws_eni_attached":               {"device_index=1,eni=eni-0a1,pair=cloud,peer=a", "device_index=-1,eni=eni-0b1,pair=cloud,peer=b"},
		"hawatch_aws_interface_subnet_match":     {"eni=eni-0a1,interface=ethernet1/1,pair=cloud,peer=a"},
		"hawatch_aws_route_on_active_peer":       {"destination=0.0.0.0/0,pair=cloud,route_table=rtb-1", "destination=10.9.0.0/16,pair=cloud,route_table=rtb-1"},
		"hawatch_aws_floating_ip_on_active_peer": {"ip=203.0.113.50,kind=secondary-ip,pair=cloud"},
		"hawatch_aws_instance_status_ok":         {"pair=cloud,peer=a"},
		// Not a Tri: every route reports whether it is a blackhole.
		"hawatch_aws_route_blackhole": {"destination=0.0.0.0/0,pair=cloud,route_table=rtb-1", "destination=10.9.0.0/16,pair=cloud,route_table=rtb-1", "destination=pl-0123,pair=cloud,route_table=rtb-2"},
	} {
		got := series(t, src, name)
		slices.Sort(got)
		slices.Sort(want)
		if strings.Join(got, ";") != strings.Join(want, ";") {
			t.Errorf("%s:\n got %v\nwant %v", name, got, want)
		}
	}
}

func TestNoAWSWithoutAWSMonitoring(t *testing.T) {
	src := &staticSource{pairs: []*snapshot.Pair{healthyPair()}}
	mfs, err := register(t, src).Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, mf := range mfs {
		if strings.HasPrefix(mf.GetName(), "hawatch_aws_") {
			t.Errorf("pair without AWS emits %s", mf.GetName())
		}
	}
}

func TestAWSEnabledBeforeFirstAWSPoll(t *testing.T) {
	p := healthyPair()
	p.Config.AWSEnabled = true
	src := &staticSource{pairs: []*snapshot.Pair{p}}
	want := `
# HELP hawatch_aws_up Whether every EC2 call of the last AWS poll of the pair succeeded.
# TYPE hawatch_aws_up gauge
hawatch_aws_up{pair="edge"} 0
`
	if err := testutil.GatherAndCompare(register(t, src), strings.NewReader(want), "hawatch_aws_up", "hawatch_aws_last_poll_timestamp_seconds"); err != nil {
		t.Error(err)
	}
}

func TestInvalidUTF8LabelDoesNotFailScrape(t *testing.T) {
	p := healthyPair()
	p.Peers[0].System.Hostname = "fw-\xff"
	src := &staticSource{pairs: []*snapshot.Pair{p}}
	got := series(t, src, "hawatch_peer_info")
	if !contains(got, "hostname=fw-\uFFFD,model=PA-VM,pair=edge,peer=a,serial=007200001,sw_version=10.1.6-h6") {
		t.Errorf("peer_info with invalid hostname: %v", got)
	}
}

func TestPanicFailsOnlyItsSubCollector(t *testing.T) {
	p := healthyPair()
	p.Peers = append(p.Peers, nil)
	src := &staticSource{pairs: []*snapshot.Pair{p, awsPair("cloud")}}
	want := `
# HELP hawatch_exporter_collector_success Whether a sub-collector of the exporter completed without error.
# TYPE hawatch_exporter_collector_success gauge
hawatch_exporter_collector_success{collector="aws"} 1
hawatch_exporter_collector_success{collector="interfaces"} 0
hawatch_exporter_collector_success{collector="panos"} 0
hawatch_exporter_collector_success{collector="poll"} 0
`
	if err := testutil.GatherAndCompare(register(t, src), strings.NewReader(want), "hawatch_exporter_collector_success"); err != nil {
		t.Error(err)
	}
}

func TestDuplicateNamesKeepFirst(t *testing.T) {
	p := healthyPair()
	a := p.Peers[0]
	a.Interfaces.Hardware = append(a.Interfaces.Hardware, probe.HardwareInterface{Name: "ethernet1/1", Kind: probe.KindPhysical, Up: false, Role: probe.RoleUnused})
	a.Counters.Hardware = append(a.Counters.Hardware, probe.InterfaceCounters{Name: "ethernet1/1"})
	a.HA.Links = append(a.HA.Links, probe.HALink{Name: probe.LinkHA1})
	a.Results = append(a.Results, probe.CommandResult{Command: probe.CmdHA, Err: errFake})
	src := &staticSource{pairs: []*snapshot.Pair{p}}
	if _, err := register(t, src).Gather(); err != nil {
		t.Fatalf("gather with duplicate names: %v", err)
	}
	want := `
# HELP hawatch_interface_up Whether the link of the hardware interface is up; loopback, tunnel and vlan rows are always up and never count as links.
# TYPE hawatch_interface_up gauge
hawatch_interface_up{interface="ethernet1/1",pair="edge",peer="a"} 1
hawatch_interface_up{interface="ethernet1/1",pair="edge",peer="b"} 1
hawatch_interface_up{interface="ethernet1/2",pair="edge",peer="a"} 1
hawatch_interface_up{interface="ethernet1/2",pair="edge",peer="b"} 1
hawatch_interface_up{interface="ethernet1/3",pair="edge",peer="a"} 1
hawatch_interface_up{interface="ethernet1/3",pair="edge",peer="b"} 1
hawatch_interface_up{interface="ethernet1/4",pair="edge",peer="a"} 0
hawatch_interface_up{interface="ethernet1/4",pair="edge",peer="b"} 0
`
	if err := testutil.GatherAndCompare(register(t, src), strings.NewReader(want), "hawatch_interface_up"); err != nil {
		t.Error(err)
	}
}
