package journal

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// aws reports the AWS checks that went from Yes to No or back. Both views
// must be known: a failed AWS poll makes every check Unknown, which is not
// a change.
func (d *differ) aws(prev, cur *snapshot.AWSView) {
	if prev == nil || cur == nil || !prev.Known || !cur.Known {
		return
	}
	d.enis(prev.ENIs, cur.ENIs)
	d.subnets(prev.Interfaces, cur.Interfaces)
	d.routes(prev.Routes, cur.Routes)
	d.floatingIPs(prev.FloatingIPs, cur.FloatingIPs)
	d.instances(prev.Instances, cur.Instances)
}

// triEvent adds an AWS event when a check went between Yes and No. yes and
// no name the two values; bad is the message when the check fails, good
// when it passes again.
func (d *differ) triEvent(before, after probe.Tri, peer, subject, yes, no, bad, good string) {
	if before == probe.Unknown || after == probe.Unknown || before == after {
		return
	}
	e := Event{Peer: peer, Kind: KindAWS, Subject: subject, Before: no, After: yes, Message: good}
	if after == probe.No {
		e.Before, e.After, e.Message = yes, no, bad
	}
	d.add(e)
}

func (d *differ) enis(prev, cur []snapshot.ENICheck) {
	was := index(prev, func(c snapshot.ENICheck) string { return c.ENI })
	for _, c := range cur {
		o, ok := was[c.ENI]
		if !ok {
			continue
		}
		name := c.ENI
		if c.Interface != "" {
			name += " (" + c.Interface + ")"
		}
		// The correlator lists the attachment problem first and the
		// source/destination check problem last.
		first, _, _ := strings.Cut(c.Problem, "; ")
		d.triEvent(o.Attached, c.Attached, c.Peer, c.ENI, "attached", "not-attached",
			sentence(first, "ENI "+name+" is not attached where it belongs"),
			fmt.Sprintf("ENI %s is attached where it belongs again%s.", name, onPeer(c.Peer)))
		if c.Role == probe.RoleDataPlane && o.Role == probe.RoleDataPlane && o.SourceDestCheck != c.SourceDestCheck {
			d.triEvent(probe.TriOf(!o.SourceDestCheck), probe.TriOf(!c.SourceDestCheck), c.Peer, c.ENI,
				"disabled", "enabled",
				fmt.Sprintf("Source/destination check was enabled on data-plane ENI %s%s; the firewall cannot forward through it.", name, onPeer(c.Peer)),
				fmt.Sprintf("Source/destination check is disabled again on data-plane ENI %s%s.", name, onPeer(c.Peer)))
		}
	}
}

func (d *differ) subnets(prev, cur []snapshot.SubnetCheck) {
	was := index(prev, func(c snapshot.SubnetCheck) string { return c.Peer + "|" + c.Interface })
	for _, c := range cur {
		o, ok := was[c.Peer+"|"+c.Interface]
		if !ok {
			continue
		}
		d.triEvent(o.Match, c.Match, c.Peer, c.Interface, "match", "mismatch",
			sentence(c.Problem, fmt.Sprintf("%s of %s (%s) no longer matches its ENI's subnet", c.Interface, c.Peer, c.IP)),
			fmt.Sprintf("%s of %s (%s) matches its ENI %s again.", c.Interface, c.Peer, c.IP, c.ENI))
	}
}

func (d *differ) routes(prev, cur []snapshot.RouteCheck) {
	key := func(c snapshot.RouteCheck) string { return c.RouteTable + " " + c.Destination }
	was := index(prev, key)
	for _, c := range cur {
		o, ok := was[key(c)]
		if !ok {
			continue
		}
		target := c.TargetENI
		if target == "" {
			target = c.TargetInstance
		}
		if o.Blackhole != c.Blackhole {
			d.triEvent(probe.TriOf(!o.Blackhole), probe.TriOf(!c.Blackhole), c.TargetPeer, key(c), "active", "blackhole",
				fmt.Sprintf("Route %s in %s became a blackhole (target %s).", c.Destination, c.RouteTable, target),
				fmt.Sprintf("Route %s in %s is no longer a blackhole (target %s).", c.Destination, c.RouteTable, target))
		}
		d.triEvent(o.OnActive, c.OnActive, c.TargetPeer, key(c), "on-active", "not-on-active",
			sentence(lastClause(c.Problem), fmt.Sprintf("Route %s in %s no longer targets the active peer", c.Destination, c.RouteTable)),
			fmt.Sprintf("Route %s in %s targets the active peer %s again (%s).", c.Destination, c.RouteTable, c.TargetPeer, target))
	}
}

func (d *differ) floatingIPs(prev, cur []snapshot.FloatingIPCheck) {
	key := func(c snapshot.FloatingIPCheck) string { return c.Kind + " " + c.IP }
	was := index(prev, key)
	for _, c := range cur {
		o, ok := was[key(c)]
		if !ok {
			continue
		}
		d.triEvent(o.OnActive, c.OnActive, c.Peer, c.IP, "on-active", "not-on-active",
			sentence(c.Problem, fmt.Sprintf("Floating IP %s is no longer on the active peer", c.IP)),
			fmt.Sprintf("Floating IP %s (%s) is on the active peer %s again.", c.IP, c.Kind, c.Peer))
	}
}

func (d *differ) instances(prev, cur []snapshot.InstanceCheck) {
	key := func(c snapshot.InstanceCheck) string { return c.Peer + "|" + c.InstanceID }
	was := index(prev, key)
	for _, c := range cur {
		o, ok := was[key(c)]
		if !ok {
			continue
		}
		d.triEvent(o.OK, c.OK, c.Peer, c.InstanceID, "ok", "failed",
			sentence(c.Problem, fmt.Sprintf("Instance %s of %s fails its status checks (state %s, system %s, instance %s)",
				c.InstanceID, c.Peer, c.State, c.SystemStatus, c.InstanceStatus)),
			fmt.Sprintf("Instance %s of %s passes its status checks again.", c.InstanceID, c.Peer))
	}
}

// index maps checks by key; a later duplicate key wins.
func index[T any](checks []T, key func(T) string) map[string]T {
	m := make(map[string]T, len(checks))
	for _, c := range checks {
		m[key(c)] = c
	}
	return m
}

// sentence turns a problem text, or the fallback when it is empty, into a
// sentence.
func sentence(problem, fallback string) string {
	s := strings.TrimSpace(problem)
	if s == "" {
		s = fallback
	}
	// Capitalize a leading word, never an identifier such as "eni-0a1".
	word, _, _ := strings.Cut(s, " ")
	if strings.IndexFunc(word, func(r rune) bool { return !unicode.IsLetter(r) }) < 0 {
		r, n := utf8.DecodeRuneInString(s)
		s = string(unicode.ToUpper(r)) + s[n:]
	}
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// lastClause returns the last "; "-separated clause of a problem text: for
// a route the blackhole clause comes first and the active-peer clause last.
func lastClause(problem string) string {
	if i := strings.LastIndex(problem, "; "); i >= 0 {
		return problem[i+2:]
	}
	return problem
}

func onPeer(peer string) string {
	if peer == "" {
		return ""
	}
	return " on " + peer
}
