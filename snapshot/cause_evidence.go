package snapshot

import (
	"cmp"
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strings"

	"github.com/hawatch/hawatch/probe"
)

// MaxEvidence is how many lines of evidence Evidence gives at most: what a
// tired operator reads under the cause before the rest of the findings.
const MaxEvidence = 4

// Evidence is the digest of facts that support the pair's diagnosis, most
// important first, each a fact with its numbers: first the facts of the
// cause itself (the address and the subnet, the route, the HA states),
// then what the cause did (ports down, traffic stopped), then what else
// is wrong. It is nil when nothing is wrong, and holds at most
// MaxEvidence lines. The status page, its API and `hawatch check` print
// it under the cause, in this order and these words.
func Evidence(p *Pair) []string {
	d := Diagnose(p)
	if d.Key == "" {
		return nil
	}
	v := p.HAView()
	var out []string
	add := func(lines ...string) {
		for _, l := range lines {
			if l != "" && !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	add(causeFacts(p, v, d.Key)...)
	add(dataPlaneFact(p, v), trafficFact(p))
	add(awsFacts(p)...)
	add(haFacts(v, d.Key)...)
	if f := p.Failover; f != nil && f.Ready == probe.No && d.Key != "failover-not-ready" {
		add(fmt.Sprintf("a failover to %s would fail: %s", f.Passive, f.FirstProblem()))
	}
	if len(out) > MaxEvidence {
		out = out[:MaxEvidence]
	}
	return out
}

// causeFacts are the facts the cause sentence rests on, by its key.
func causeFacts(p *Pair, v *HAView, key string) []string {
	switch key {
	case "aws":
		// The cause is the first of the failing addresses, else of the
		// data-plane ENIs; awsFacts lists those first.
		if facts := awsFacts(p); len(facts) > 0 {
			return facts[:1]
		}
	case "route":
		for _, r := range p.AWSView.Routes {
			if r.Blackhole || r.OnActive == probe.No {
				return []string{routeFact(r, p.AWSView.ActivePeer)}
			}
		}
	case "split-brain", "no-active":
		var states []string
		for _, ph := range v.Peers {
			states = append(states, ph.Name+" "+string(ph.State))
		}
		return []string{"HA states: " + strings.Join(states, ", ")}
	case "failover-not-ready":
		// The other problems: the cause sentence states the first.
		var out []string
		first := p.Failover.FirstProblem()
		for _, c := range p.Failover.Checks {
			if c.Result == probe.No && !c.Warning && c.Problem != "" && c.Problem != first {
				out = append(out, c.Problem)
			}
		}
		return out
	}
	return nil
}

// dataPlaneFact counts the data-plane ports up on the peers that have
// some down, where they must carry traffic: "0 of 3 data-plane ports up
// on fw-a and fw-b".
func dataPlaneFact(p *Pair, v *HAView) string {
	type count struct {
		c     LinkCount
		peers []string
	}
	var counts []count
	for _, ph := range v.Peers {
		if !ph.Answered || ph.DataPlane.Up == ph.DataPlane.Total || p.PortsExpectedDown(ph.Name) {
			continue
		}
		if i := slices.IndexFunc(counts, func(c count) bool { return c.c == ph.DataPlane }); i >= 0 {
			counts[i].peers = append(counts[i].peers, ph.Name)
		} else {
			counts = append(counts, count{ph.DataPlane, []string{ph.Name}})
		}
	}
	var parts []string
	for _, c := range counts {
		parts = append(parts, fmt.Sprintf("%d of %d data-plane ports up on %s", c.c.Up, c.c.Total, strings.Join(c.peers, " and ")))
	}
	return strings.Join(parts, "; ")
}

// trafficFact states stopped traffic with its numbers, when it counts as
// an outage (see Cause).
func trafficFact(p *Pair) string {
	t := p.Traffic
	if t.Flowing() != probe.No || !(t.EverFlowed || p.Config.TrafficFloorBytesPerSecond > 0) {
		return ""
	}
	s := "traffic " + RateText(t.BytesPerSecond)
	if !t.StoppedSince.IsZero() {
		s += " since " + t.StoppedSince.UTC().Format("15:04:05") + " UTC"
	}
	switch {
	case t.LastFlowingBytesPerSecond > 0:
		s += " (was " + RateText(t.LastFlowingBytesPerSecond) + ")"
	case t.EverFlowed:
		s += " (it had been flowing)"
	default:
		s += " (floor " + RateText(p.Config.TrafficFloorBytesPerSecond) + ")"
	}
	return s + fmt.Sprintf(", %d new connections/s", t.CPS)
}

// awsFacts states the failing AWS checks, root causes first (as
// awsRootCause orders them): addresses outside their subnet, data-plane
// ENIs, then routes and the rest. While AWS
// converges after a failover only the addresses count.
func awsFacts(p *Pair) []string {
	a := p.AWSView
	if a == nil || !a.Known {
		return nil
	}
	var out []string
	for _, c := range a.Interfaces {
		if c.Match == probe.No {
			out = append(out, subnetFact(c))
		}
	}
	if a.InGrace {
		return out
	}
	for _, c := range a.ENIs {
		if c.Attached == probe.No && c.Role == probe.RoleDataPlane && c.Problem != "" {
			out = append(out, c.Problem)
		}
	}
	for _, r := range a.Routes {
		if r.Blackhole || r.OnActive == probe.No {
			out = append(out, routeFact(r, a.ActivePeer))
		}
	}
	for _, c := range a.FloatingIPs {
		if c.OnActive == probe.No && c.Problem != "" {
			out = append(out, c.Problem)
		}
	}
	for _, c := range a.Instances {
		if c.OK == probe.No && c.Problem != "" {
			out = append(out, c.Problem)
		}
	}
	return out
}

// subnetFact is "fw-b ethernet1/2 10.0.9.11/24 — ENI eni-b2 subnet
// 10.0.2.0/24" for an address outside its ENI's subnet, else the
// check's own problem text (an address that is no IP of its ENI).
func subnetFact(c SubnetCheck) string {
	ip, err1 := netip.ParsePrefix(c.IP)
	subnet, err2 := netip.ParsePrefix(c.SubnetCIDR)
	if err1 != nil || err2 != nil || subnet.Contains(ip.Addr()) || c.ENI == "" {
		return cmp.Or(c.Problem, fmt.Sprintf("%s %s %s does not match ENI %s", c.Peer, c.Interface, c.IP, c.ENI))
	}
	return fmt.Sprintf("%s %s %s — ENI %s subnet %s", c.Peer, c.Interface, c.IP, c.ENI, c.SubnetCIDR)
}

// routeFact is "route 0.0.0.0/0 in rtb-1 blackhole (target eni-b2)" or
// "route 0.0.0.0/0 in rtb-1 → eni-a2 on fw-a, active is fw-b".
func routeFact(r RouteCheck, active string) string {
	target := cmp.Or(r.TargetENI, r.TargetInstance)
	if r.Blackhole {
		return fmt.Sprintf("route %s in %s blackhole (target %s)", r.Destination, r.RouteTable, target)
	}
	return fmt.Sprintf("route %s in %s → %s on %s, active is %s", r.Destination, r.RouteTable, target,
		cmp.Or(r.TargetPeer, "no peer"), cmp.Or(active, "unknown"))
}

// haFacts states the HA links down and the peers that do not answer,
// unless the cause (key) already says so.
func haFacts(v *HAView, key string) []string {
	var down, out []string
	for _, ph := range v.Peers {
		if !ph.Answered {
			if key != "blind" && key != "unreachable:"+ph.Name {
				out = append(out, ph.Name+" does not answer the PAN-OS API")
			}
			continue
		}
		var names []string
		for _, l := range ph.Links {
			if !l.Up {
				names = append(names, l.Name)
			}
		}
		if len(names) > 0 {
			down = append(down, ph.Name+" "+strings.Join(names, ", "))
		}
	}
	if len(down) > 0 {
		out = append([]string{"HA links down: " + strings.Join(down, "; ")}, out...)
	}
	return out
}

// RateText formats a byte rate with a decimal unit, e.g. "1.5 MB/s";
// halves round away from zero, as the status page's script does. The
// journal and the page use it too.
func RateText(bps float64) string {
	units := []string{"B/s", "kB/s", "MB/s", "GB/s", "TB/s"}
	i := 0
	for bps >= 1000 && i < len(units)-1 {
		bps /= 1000
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f %s", math.Round(bps), units[i])
	}
	return fmt.Sprintf("%.1f %s", math.Round(bps*10)/10, units[i])
}
