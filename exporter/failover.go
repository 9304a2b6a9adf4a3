package exporter

import (
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// maxFailoverChecks bounds the per-check series of one pair: the checks
// grow with the interfaces, ENIs, floating IPs and IAM actions of the pair.
const maxFailoverChecks = 64

// collectFailover writes the failover prediction of a pair: whether a
// failover would work now, and each check that could be made. Unknown
// results give no sample, as for the AWS checks.
func (c *Collector) collectFailover(e *emitter, pair string, v *snapshot.FailoverView) {
	d := c.d
	if v.Ready != probe.Unknown {
		e.boolean(d.failoverReady, v.Ready == probe.Yes, pair)
	}
	seen := map[[3]string]bool{}
	n := 0
	for _, ck := range v.Checks {
		k := [3]string{ck.Check, ck.Peer, ck.Item}
		if ck.Result == probe.Unknown || seen[k] || n >= maxFailoverChecks {
			continue
		}
		seen[k] = true
		n++
		e.boolean(d.failoverCheck, ck.Result == probe.Yes, pair, ck.Check, ck.Peer, ck.Item)
	}
}
