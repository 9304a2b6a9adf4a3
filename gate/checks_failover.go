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
	passing := 0
	// Checks of one kind on one peer that fail the same way (every IAM
	// action when IAM cannot be asked) are told once.
	more := map[[2]string]int{}
	for _, c := range v.Checks {
		k := [2]string{c.Check + "/" + c.Result.String(), c.Peer}
		if c.Result != probe.Yes && more[k] > 0 {
			more[k]++
			continue
		}
		more[k] = 1
		switch {
		case c.Result == probe.No && c.Warning:
			o.passf("warning: %s", c.Problem)
		case c.Result == probe.No:
			o.failf("%s%s", c.Problem, likeIt(v.Checks, c))
		case c.Result == probe.Unknown:
			o.unknownf("%s%s", c.Problem, likeIt(v.Checks, c))
		default:
			passing++
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

// likeIt is " (and N more like it)" for the other checks of c's kind and
// result on c's peer, or "".
func likeIt(checks []snapshot.FailoverCheck, c snapshot.FailoverCheck) string {
	n := -1
	for _, o := range checks {
		if o.Check == c.Check && o.Peer == c.Peer && o.Result == c.Result && o.Warning == c.Warning {
			n++
		}
	}
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf(" (and %d more like it)", n)
}
