package gate

import (
	"fmt"

	"github.com/hawatch/hawatch/snapshot"
)

// checkTraffic: the active peer forwards traffic. With a byte rate (a poll
// after the first) the active's data-plane rate must be above zero and
// above the configured traffic floor. A single poll, as `hawatch check`
// makes, has no rate; then the active's session table must report
// throughput or new connections (`show session info` kbps or cps > 0).
func checkTraffic(p *snapshot.Pair) Check {
	var o outcome
	// The gate goes by the peers' own reports: the peer that carries
	// traffic is the one that says it is active.
	var name string
	if r := p.HAView().Reporting; len(r) == 1 {
		name = r[0]
	}
	if name == "" {
		if len(p.Reachable()) < len(p.Peers) {
			o.unknownf("the active peer cannot be told while a peer does not answer")
		} else {
			o.failf("no single active peer to carry traffic")
		}
		return o.check(CheckTraffic)
	}
	peer := p.Peer(name)
	sessions := "no session info"
	if s := peer.Sessions; s != nil {
		sessions = fmt.Sprintf("%d kbps, %d new sessions/s, %d active sessions", s.Kbps, s.CPS, s.Active)
	}
	if rate, ok := p.Traffic.PeerBytesPerSecond[name]; ok {
		floor := p.Config.TrafficFloorBytesPerSecond
		switch {
		case rate <= 0:
			o.failf("active %s moved no data-plane bytes since the previous poll (session table: %s)", name, sessions)
		case rate < floor:
			o.failf("active %s forwards %s, below the configured floor of %s", name, byteRate(rate), byteRate(floor))
		default:
			o.passf("active %s forwards %s on its data-plane interfaces", name, byteRate(rate))
		}
		return o.check(CheckTraffic)
	}
	switch s := peer.Sessions; {
	case s == nil:
		o.unknownf("active %s gave no session info and no byte rate is known yet", name)
	case s.Kbps > 0 || s.CPS > 0:
		o.passf("active %s session table: %s (one poll: no byte rate yet)", name, sessions)
	default:
		o.failf("active %s session table reports no throughput and no new sessions (%s)", name, sessions)
	}
	return o.check(CheckTraffic)
}

// byteRate formats a rate in bytes per second with a decimal prefix.
func byteRate(r float64) string {
	units := []string{"B/s", "kB/s", "MB/s", "GB/s"}
	i := 0
	for r >= 1000 && i < len(units)-1 {
		r /= 1000
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f %s", r, units[i])
	}
	return fmt.Sprintf("%.1f %s", r, units[i])
}
