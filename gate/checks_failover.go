package gate

import (
	"fmt"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// checkFailoverReady: if the active peer failed now, the passive could take
// over — its interfaces fit the ENIs or floating IPs it would receive, the
// AWS data plane can move, IAM lets the VM-Series plugin move it, and the
// peers' interfaces and configuration match (snapshot.PredictFailover).
// Gate the "fail over" step of an upgrade on it.
func checkFailoverReady(p *snapshot.Pair) Check {
	var o outcome
	v := p.Failover
	if v == nil {
		o.unknownf("no failover prediction: no AWS poll has completed%s", opErrors(p.AWS))
		return o.check(CheckFailoverReady)
	}
	// Checks of one kind on one peer that end the same way (every IAM
	// action when IAM cannot be asked) are told once, with a count.
	type group struct {
		check, peer string
		result      probe.Tri
		warning     bool
	}
	count := map[group]int{}
	for _, c := range v.Checks {
		count[group{c.Check, c.Peer, c.Result, c.Warning}]++
	}
	passing := 0
	for _, c := range v.Checks {
		g := group{c.Check, c.Peer, c.Result, c.Warning}
		n := count[g]
		if c.Result == probe.Yes {
			passing++
			continue
		}
		if n == 0 {
			continue // told with the first of its group
		}
		count[g] = 0
		switch {
		case c.Warning:
			o.passf("warning: %s%s", c.Problem, likeIt(n))
		case c.Result == probe.No:
			o.failf("%s%s", c.Problem, likeIt(n))
		default:
			o.unknownf("%s%s", c.Problem, likeIt(n))
		}
	}
	if len(v.Checks) == 0 {
		o.unknownf("no check could be made (%s)", v.Reason)
	}
	if passing > 0 {
		o.passf("a failover from %s to %s would work: %d check(s) pass (mode %s)", v.Active, v.Passive, passing, v.Mode)
	}
	for _, r := range v.Routes {
		switch r.Result {
		case probe.Yes:
			o.passf("route %s in %s: %s", r.Destination, r.RouteTable, r.AtFailover)
		case probe.No:
			o.failf("route %s in %s: %s", r.Destination, r.RouteTable, r.Problem)
		default:
			o.unknownf("route %s in %s: %s", r.Destination, r.RouteTable, r.Problem)
		}
	}
	return o.check(CheckFailoverReady)
}

// likeIt is " (and N more like it)" for a group of n checks, or "".
func likeIt(n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(" (and %d more like it)", n-1)
}
