package exporter

import "github.com/hawatch/hawatch/snapshot"

// collectAWS writes the AWS poll status and checks of every pair with AWS
// monitoring on, and the EC2 API counters summed over pairs.
func (c *Collector) collectAWS(e *emitter, pairs []*snapshot.Pair) {
	c.collectAWSPairs(e, pairs)
	collectAWSAPI(e, c.d, pairs)
}

// collectAWSAPI writes the EC2 API counters summed over the EC2 clients.
// Pairs sharing a client carry that client's counters, each as of its own
// poll: the latest, the highest since they only grow, counts once.
func collectAWSAPI(e *emitter, d *descs, pairs []*snapshot.Pair) {
	requests, failures := map[string]uint64{}, map[string]uint64{}
	shared := map[string][2]map[string]uint64{}
	for _, p := range pairs {
		s := p.Stats
		if s.AWSClient == "" {
			addCounts(requests, s.AWSRequests)
			addCounts(failures, s.AWSFailures)
			continue
		}
		c, ok := shared[s.AWSClient]
		if !ok {
			c = [2]map[string]uint64{{}, {}}
			shared[s.AWSClient] = c
		}
		maxCounts(c[0], s.AWSRequests)
		maxCounts(c[1], s.AWSFailures)
	}
	for _, c := range shared {
		addCounts(requests, c[0])
		addCounts(failures, c[1])
	}
	for _, op := range sortedKeys(requests, failures) {
		e.counter(d.awsRequests, float64(requests[op]), op)
		e.counter(d.awsFailures, float64(failures[op]), op)
	}
}

// collectAWSPairs writes the AWS poll status and checks of every pair with
// AWS monitoring on.
func (c *Collector) collectAWSPairs(e *emitter, pairs []*snapshot.Pair) {
	d := c.d
	for _, p := range pairs {
		if !p.AWSOn() {
			continue
		}
		e.boolean(d.awsUp, p.AWS.OK(), p.Name)
		e.counter(d.awsPolls, float64(p.Stats.AWSPolls), p.Name)
		if p.AWS != nil {
			e.boolean(d.awsThrottled, p.AWS.Throttled, p.Name)
			if !p.AWS.End.IsZero() {
				e.gauge(d.awsLastPoll, float64(p.AWS.End.UnixNano())/1e9, p.Name)
			}
		}
		if p.AWSView != nil {
			c.collectAWSView(e, p.Name, p.AWSView)
		}
		if p.Failover != nil {
			c.collectFailover(e, p.Name, p.Failover)
		}
	}
}

// collectAWSView writes the checks of a pair's AWS view. Unknown checks
// give no sample. Duplicate identities, which AWS does not produce, are
// dropped rather than failing the scrape.
func (c *Collector) collectAWSView(e *emitter, pair string, v *snapshot.AWSView) {
	d := c.d
	if v.Mode != "" {
		e.gauge(d.awsModeInfo, 1, pair, v.Mode)
	}
	e.boolean(d.awsInGrace, v.InGrace, pair)
	seen := map[[3]string]bool{}
	first := func(kind string, a, b string) bool {
		k := [3]string{kind, a, b}
		if seen[k] {
			return false
		}
		seen[k] = true
		return true
	}
	for _, x := range v.ENIs {
		if first("eni", x.Peer, x.ENI) {
			e.tri(d.awsENIAttached, x.Attached, pair, x.Peer, x.ENI, itoa(x.DeviceIndex))
			e.gauge(d.awsENIInfo, 1, pair, x.Peer, x.ENI, x.Interface, x.Role)
			e.boolean(d.awsSrcDstCheck, x.SourceDestCheck, pair, x.Peer, x.ENI)
		}
	}
	for _, x := range v.Interfaces {
		if first("if", x.Peer, x.Interface+"\x00"+x.ENI) {
			e.tri(d.awsSubnetMatch, x.Match, pair, x.Peer, x.Interface, x.ENI)
		}
	}
	for _, x := range v.Routes {
		if first("route", x.RouteTable, x.Destination) {
			e.tri(d.awsRouteOnActive, x.OnActive, pair, x.RouteTable, x.Destination)
			e.boolean(d.awsRouteBlackhole, x.Blackhole, pair, x.RouteTable, x.Destination)
		}
	}
	for _, x := range v.FloatingIPs {
		if first("fip", x.IP, x.Kind) {
			e.tri(d.awsFloatingIPOnActive, x.OnActive, pair, x.IP, x.Kind)
		}
	}
	for _, x := range v.Instances {
		if first("instance", x.Peer, "") {
			e.tri(d.awsInstanceOK, x.OK, pair, x.Peer)
		}
	}
}

func addCounts(to, from map[string]uint64) {
	for k, n := range from {
		to[k] += n
	}
}

func maxCounts(to, from map[string]uint64) {
	for k, n := range from {
		to[k] = max(to[k], n)
	}
}
