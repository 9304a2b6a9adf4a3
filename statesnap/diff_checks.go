package statesnap

import (
	"math"
	"strings"
)

// list joins names for evidence, at most ten of them.
func list(s []string) string {
	if len(s) > 10 {
		return strings.Join(s[:10], ", ") + ", …"
	}
	return strings.Join(s, ", ")
}

// reachable fails when a peer that answered in a does not in b.
func (d *differ) reachable() *findings {
	f := &findings{}
	d.eachPeer(f, "", func(pa, pb *Peer) {
		switch {
		case pa.Reachable && !pb.Reachable:
			f.failf("%s answered in %s but not in %s", pa.Name, d.a.Name, d.b.Name)
		case !pa.Reachable && !pb.Reachable:
			f.unknownf("%s answered in neither snapshot", pa.Name)
		default:
			f.passf("%s answers", pa.Name)
		}
	})
	return f
}

// haState fails when the active peer or a peer's HA state changed.
func (d *differ) haState() *findings {
	f := &findings{}
	if !d.a.HA.Known || !d.b.HA.Known {
		f.unknownf("HA state unknown in %s", d.unknownName(!d.a.HA.Known))
		return f
	}
	if d.a.HA.Active != d.b.HA.Active {
		f.failf("active peer changed from %s to %s", orNone(d.a.HA.Active), orNone(d.b.HA.Active))
	}
	d.eachPeer(f, "", func(pa, pb *Peer) {
		if pa.HAState != pb.HAState {
			f.failf("%s changed from %s to %s", pa.Name, pa.HAState, pb.HAState)
		}
	})
	f.passf("active peer %s, states unchanged", orNone(d.b.HA.Active))
	return f
}

func (d *differ) unknownName(first bool) string {
	if first {
		return d.a.Name
	}
	return d.b.Name
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// versions fails when a peer's PAN-OS or content versions changed.
func (d *differ) versions() *findings {
	f := &findings{}
	d.eachPeer(f, PartContent, func(pa, pb *Peer) {
		if pa.Version == "" || pb.Version == "" {
			f.unknownf("%s: PAN-OS version unknown", pa.Name)
		} else if pa.Version != pb.Version {
			f.failf("%s PAN-OS %s → %s", pa.Name, pa.Version, pb.Version)
		}
		ca, cb := pa.Content, pb.Content
		for _, c := range [][3]string{{"app", ca.App, cb.App}, {"threat", ca.Threat, cb.Threat}, {"av", ca.AV, cb.AV}} {
			if c[1] != c[2] {
				f.failf("%s %s content %s → %s", pa.Name, c[0], orNone(c[1]), orNone(c[2]))
			}
		}
		f.passf("%s runs %s, content unchanged", pa.Name, pb.Version)
	})
	return f
}

// interfaces fails when a port that was up in a is down or gone in b.
// Virtual rows (loopback, tunnel, vlan) are always up and are left out.
func (d *differ) interfaces() *findings {
	f := &findings{}
	d.eachPeer(f, PartInterfaces, func(pa, pb *Peer) {
		now := map[string]Interface{}
		for _, i := range pb.Interfaces {
			now[i.Name] = i
		}
		var lost []string
		up := 0
		for _, i := range pa.Interfaces {
			if !i.Up || !carries(i) || (i.Link && pb.PortsExpectedDown) {
				continue
			}
			up++
			switch j, ok := now[i.Name]; {
			case !ok:
				lost = append(lost, i.Name+" (gone)")
			case !j.Up:
				lost = append(lost, i.Name)
			}
		}
		if len(lost) > 0 {
			f.failf("%s lost %d of %d ports that were up: %s", pa.Name, len(lost), up, list(lost))
			return
		}
		f.passf("%s: all %d ports that were up are up", pa.Name, up)
	})
	return f
}

// carries reports whether a port's up/down state means something: a port
// with a link or a dedicated HA role.
func carries(i Interface) bool { return i.Link || i.Role == "ha" }

// sessions fails when the pair's active sessions moved more than the
// tolerance. The pair's count is the active peer's (after a failover the
// other peer holds the synchronized sessions); with no single active
// peer, the largest count a peer reports.
func (d *differ) sessions() *findings {
	f := &findings{}
	na, whyA := pairSessions(d.a)
	nb, whyB := pairSessions(d.b)
	switch {
	case whyA != "":
		f.unknownf("sessions unknown in %s (%s)", d.a.Name, whyA)
		return f
	case whyB != "":
		f.unknownf("sessions unknown in %s (%s)", d.b.Name, whyB)
		return f
	}
	tol := d.o.SessionsTolerance
	pct := func(n uint64) float64 { return 100 * (float64(n) - float64(na)) / float64(na) }
	switch {
	case na == 0 && nb == 0:
		f.passf("no sessions in either snapshot")
	case na == 0:
		f.failf("sessions rose from 0 to %d", nb)
	case math.Abs(float64(nb)-float64(na)) > tol*float64(na):
		f.failf("active sessions %d → %d (%+.1f %%, tolerance %.0f %%)", na, nb, pct(nb), 100*tol)
	default:
		f.passf("active sessions %d → %d (%+.1f %%, tolerance %.0f %%)", na, nb, pct(nb), 100*tol)
	}
	return f
}

// pairSessions returns the pair's active sessions, or why they are not
// known.
func pairSessions(s *Snapshot) (uint64, string) {
	if a := s.Peer(s.HA.Active); a != nil {
		if ok, why := a.known(PartSessions); !ok {
			return 0, why
		}
		return a.Sessions.Active, ""
	}
	var best uint64
	var whys []string
	seen := false
	for i := range s.Peers {
		p := &s.Peers[i]
		if ok, why := p.known(PartSessions); !ok {
			whys = append(whys, why)
			continue
		}
		seen = true
		best = max(best, p.Sessions.Active)
	}
	if !seen {
		return 0, strings.Join(whys, "; ")
	}
	return best, ""
}

// expectedDown books a peer whose data-plane ports are down by design in
// b as a pass: its routes and neighbors left with its ENIs.
func expectedDown(f *findings, pb *Peer, what string) bool {
	if pb.PortsExpectedDown {
		f.passf("%s: %s not compared, its data-plane ports are down by design (passive in interface-move mode)", pb.Name, what)
	}
	return pb.PortsExpectedDown
}

// routes fails when an active route was removed or one was added.
func (d *differ) routes() *findings {
	f := &findings{}
	d.eachPeer(f, PartRoutes, func(pa, pb *Peer) {
		if expectedDown(f, pb, "routes") {
			return
		}
		set := func(rs []Route) map[string]bool {
			m := map[string]bool{}
			for _, r := range rs {
				if r.Active {
					m[r.Key()] = true
				}
			}
			return m
		}
		gone, added := setDiff(set(pa.Routes), set(pb.Routes))
		if len(gone) > 0 {
			f.failf("%s: %d route(s) removed: %s", pa.Name, len(gone), list(gone))
		}
		if len(added) > 0 {
			f.failf("%s: %d route(s) added: %s", pa.Name, len(added), list(added))
		}
		f.passf("%s: %d active routes, unchanged", pa.Name, len(set(pb.Routes)))
	})
	return f
}

// arp fails when a resolved neighbor of a is missing from b.
func (d *differ) arp() *findings {
	f := &findings{}
	d.eachPeer(f, PartARP, func(pa, pb *Peer) {
		if expectedDown(f, pb, "ARP entries") {
			return
		}
		set := func(es []ARPEntry) map[string]bool {
			m := map[string]bool{}
			for _, e := range es {
				if e.Status != "i" && e.MAC != "" {
					m[e.Key()] = true
				}
			}
			return m
		}
		gone, _ := setDiff(set(pa.ARP), set(pb.ARP))
		if len(gone) > 0 {
			f.failf("%s: %d ARP entr(ies) missing: %s", pa.Name, len(gone), list(gone))
			return
		}
		f.passf("%s: all %d ARP entries present", pa.Name, len(set(pa.ARP)))
	})
	return f
}
