package gate

import (
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
	for _, c := range v.Checks {
		switch {
		case c.Result == probe.No && c.Warning:
			o.passf("warning: %s", c.Problem)
		case c.Result == probe.No:
			o.failf("%s", c.Problem)
		case c.Result == probe.Unknown:
			o.unknownf("%s", c.Problem)
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
	return o.check(CheckFailoverReady)
}
