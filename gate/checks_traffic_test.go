package gate

import (
	"errors"
	"testing"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

func TestTraffic(t *testing.T) {
	runCheckCases(t, []checkCase{{
		name: "first poll: session table shows traffic", check: CheckTraffic, status: StatusPass,
		evidence: []string{"active fw-a session table: 5400 kbps, 35 new sessions/s, 1200 active sessions (one poll: no byte rate yet)"},
		exit:     exitIs(0),
	}, {
		name: "first poll: only new connections",
		mutate: func(p *snapshot.Pair) {
			p.Peers[0].Sessions = &probe.SessionInfo{CPS: 3}
		},
		check: CheckTraffic, status: StatusPass,
	}, {
		name: "first poll: active idle",
		mutate: func(p *snapshot.Pair) {
			p.Peers[0].Sessions = &probe.SessionInfo{Active: 4}
		},
		check: CheckTraffic, status: StatusFail,
		evidence: []string{"active fw-a session table reports no throughput and no new sessions (0 kbps, 0 new sessions/s, 4 active sessions)"},
		exit:     exitIs(1),
	}, {
		name: "first poll: the passive's traffic does not count",
		mutate: func(p *snapshot.Pair) {
			p.Peers[0].Sessions = &probe.SessionInfo{}
			p.Peers[1].Sessions = &probe.SessionInfo{Kbps: 900}
		},
		check: CheckTraffic, status: StatusFail,
	}, {
		name: "byte rate known",
		mutate: func(p *snapshot.Pair) {
			p.Traffic.Known, p.Traffic.PeerBytesPerSecond = true, map[string]float64{"fw-a": 1_250_000, "fw-b": 0}
		},
		check: CheckTraffic, status: StatusPass,
		evidence: []string{"active fw-a forwards 1.2 MB/s on its data-plane interfaces"},
	}, {
		name: "byte rate zero",
		mutate: func(p *snapshot.Pair) {
			p.Traffic.Known, p.Traffic.PeerBytesPerSecond = true, map[string]float64{"fw-a": 0}
		},
		check: CheckTraffic, status: StatusFail,
		evidence: []string{"active fw-a moved no data-plane bytes since the previous poll (session table: 5400 kbps"},
	}, {
		name: "below the configured floor",
		mutate: func(p *snapshot.Pair) {
			p.Traffic.Known, p.Traffic.PeerBytesPerSecond = true, map[string]float64{"fw-a": 800}
			p.Config.TrafficFloorBytesPerSecond = 50_000
		},
		check: CheckTraffic, status: StatusFail,
		evidence: []string{"active fw-a forwards 800 B/s, below the configured floor of 50.0 kB/s"},
	}, {
		name:   "no session info and no rate",
		mutate: func(p *snapshot.Pair) { p.Peers[0].Sessions = nil },
		check:  CheckTraffic, status: StatusUnknown,
		evidence: []string{"active fw-a gave no session info and no byte rate is known yet"}, exit: exitIs(2),
	}, {
		name:   "no active peer",
		mutate: func(p *snapshot.Pair) { p.Peers[0].HA.LocalState = probe.StatePassive },
		check:  CheckTraffic, status: StatusFail,
		evidence: []string{"no single active peer to carry traffic"},
	}, {
		name: "active unknown while a peer is silent",
		mutate: func(p *snapshot.Pair) {
			p.Peers[0].Up, p.Peers[0].Err = false, errors.New("i/o timeout")
		},
		check: CheckTraffic, status: StatusUnknown,
		evidence: []string{"the active peer cannot be told while a peer does not answer"},
	}, {
		name:   "after failover the new active carries it",
		mutate: failover,
		check:  CheckTraffic, status: StatusPass,
		evidence: []string{"active fw-b session table: 5400 kbps"},
	}})
}

func TestByteRate(t *testing.T) {
	tests := map[float64]string{0: "0 B/s", 999: "999 B/s", 1000: "1.0 kB/s", 1_250_000: "1.2 MB/s", 3e9: "3.0 GB/s", 4e12: "4000.0 GB/s"}
	for in, want := range tests {
		if got := byteRate(in); got != want {
			t.Errorf("byteRate(%v) = %q, want %q", in, got, want)
		}
	}
}
