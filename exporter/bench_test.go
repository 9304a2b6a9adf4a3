package exporter

import (
	"fmt"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// bigPair returns a healthy pair whose peers have n hardware interfaces,
// each with a logical interface and counters.
func bigPair(n int) *snapshot.Pair {
	p := healthyPair()
	for _, peer := range p.Peers {
		ifs := &probe.Interfaces{}
		cs := &probe.Counters{}
		for i := range n {
			name := fmt.Sprintf("ethernet1/%d", i+1)
			ifs.Hardware = append(ifs.Hardware, probe.HardwareInterface{Name: name, Kind: probe.KindPhysical, Up: true, Role: probe.RoleDataPlane})
			ifs.Logical = append(ifs.Logical, probe.LogicalInterface{Name: name, Zone: "z", IP: fmt.Sprintf("10.0.%d.%d/24", i/250, i%250+1)})
			cs.Hardware = append(cs.Hardware, probe.InterfaceCounters{Name: name, RxBytes: uint64(i), TxBytes: uint64(i)})
		}
		peer.Interfaces, peer.Counters = ifs, cs
	}
	return p
}

func BenchmarkCollect500Interfaces(b *testing.B) {
	c := NewCollector(&staticSource{pairs: []*snapshot.Pair{bigPair(500)}}, nil)
	ch := make(chan prometheus.Metric, 1024)
	done := make(chan int)
	go func() {
		n := 0
		for range ch {
			n++
		}
		done <- n
	}()
	b.ReportAllocs()
	for b.Loop() {
		c.Collect(ch)
	}
	close(ch)
	<-done
}

func BenchmarkGather500Interfaces(b *testing.B) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(NewCollector(&staticSource{pairs: []*snapshot.Pair{bigPair(500)}}, nil))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := reg.Gather(); err != nil {
			b.Fatal(err)
		}
	}
}
