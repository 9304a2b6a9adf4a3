package probe

import (
	"cmp"
	"context"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// awsSet collects distinct non-empty strings.
type awsSet map[string]struct{}

func (s awsSet) add(vs ...string) {
	for _, v := range vs {
		if v != "" {
			s[v] = struct{}{}
		}
	}
}

func (s awsSet) has(v string) bool { _, ok := s[v]; return ok }

func (s awsSet) sorted() []string { return slices.Sorted(maps.Keys(s)) }

// attachedRead takes the ENIs attached to the pair's instances and sets
// the ENIs seen before that are no longer among them: filters are ANDed,
// so those need a call of their own, made only when one has left.
func (q *awsPoll) attachedRead(ctx context.Context, items []types.NetworkInterface, err error) {
	q.eniByID = map[string]AWSENI{}
	if err != nil {
		q.fail(ctx, OpDescribeNetworkInterfaces, err)
		q.enisOK = false
		return
	}
	q.addENIs(items)
	q.leftENIs = slices.DeleteFunc(slices.Clone(q.mem.enis), func(id string) bool { _, ok := q.eniByID[id]; return ok })
}

func (q *awsPoll) addENIs(items []types.NetworkInterface) {
	for _, n := range items {
		if e := awsENIOf(n); e.ID != "" {
			q.eniByID[e.ID] = e
		}
	}
}

// leftRead takes the ENIs that left the instances and sets the pair's
// ENIs.
func (q *awsPoll) leftRead(ctx context.Context, items []types.NetworkInterface, err error) {
	if !q.enisOK {
		return
	}
	if err != nil {
		q.fail(ctx, OpDescribeNetworkInterfaces, err)
		q.enisOK = false
		return
	}
	q.addENIs(items)
	q.st.ENIs = slices.SortedFunc(maps.Values(q.eniByID), q.compareENIs)
}

// compareENIs orders ENIs by peer, then device index; detached ones last.
func (q *awsPoll) compareENIs(a, b AWSENI) int {
	rank := func(e AWSENI) int {
		if i := slices.Index(q.ids, e.InstanceID); i >= 0 && e.InstanceID != "" {
			return i
		}
		return len(q.ids)
	}
	return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a.InstanceID, b.InstanceID),
		cmp.Compare(a.DeviceIndex, b.DeviceIndex), cmp.Compare(a.ID, b.ID))
}

// pairVPCs are the VPCs of the pair's ENIs and instances, or those of the
// last poll when neither could be read.
func (q *awsPoll) pairVPCs() []string {
	s := awsSet{}
	for _, e := range q.st.ENIs {
		s.add(e.VPCID)
	}
	for _, i := range q.st.Instances {
		s.add(i.VPCID)
	}
	if len(s) == 0 {
		return q.mem.vpcs
	}
	return s.sorted()
}

// pairENIs are the ENIs read this poll and those remembered.
func (q *awsPoll) pairENIs() []string {
	s := awsSet{}
	for _, e := range q.st.ENIs {
		s.add(e.ID)
	}
	s.add(q.mem.enis...)
	return s.sorted()
}

// subnetsMissed sets the subnets of the pair's ENIs and instances and
// returns those not cached: a subnet's CIDR, zone and VPC never change.
func (q *awsPoll) subnetsMissed() []string {
	need := awsSet{}
	for _, e := range q.st.ENIs {
		need.add(e.SubnetID)
	}
	for _, i := range q.st.Instances {
		need.add(i.SubnetID)
	}
	q.subnetNeed = need.sorted()
	for _, id := range q.subnetNeed {
		if _, ok := q.mem.subnets[id]; !ok {
			q.subnetsMissing = append(q.subnetsMissing, id)
		}
	}
	return q.subnetsMissing
}

// subnetsRead takes the subnets read and sets the pair's from them and the
// cache.
func (q *awsPoll) subnetsRead(ctx context.Context, items []types.Subnet, err error) {
	if len(q.subnetNeed) == 0 {
		return
	}
	if err != nil {
		q.fail(ctx, OpDescribeSubnets, err)
		return
	}
	fetched := map[string]AWSSubnet{}
	for _, s := range items {
		sn := awsSubnetOf(s)
		fetched[sn.ID] = sn
	}
	cache := map[string]AWSSubnet{}
	if !q.enisOK {
		// Only part of the pair is known: keep the whole cache.
		maps.Copy(cache, q.mem.subnets)
	}
	for _, id := range q.subnetNeed {
		sn, ok := fetched[id]
		if !ok {
			sn, ok = q.mem.subnets[id]
		}
		if ok {
			cache[id] = sn
			q.st.Subnets = append(q.st.Subnets, sn)
		}
	}
	q.next.subnets = cache
}

// routeTablesRead keeps, of the route tables of the pair's VPCs, the
// routes that target a pair ENI or instance, blackholes included. EC2 has
// no filter for a route's ENI, so the matching is done here.
func (q *awsPoll) routeTablesRead(ctx context.Context, items []types.RouteTable, err error) {
	if len(q.vpcs) == 0 {
		return
	}
	if err != nil {
		q.fail(ctx, OpDescribeRouteTables, err)
		q.routesOK = false
		return
	}
	targets := awsSet{}
	targets.add(q.pairENIs()...)
	targets.add(q.ids...)
	byID := map[string]AWSRouteTable{}
	routeENIs, known, kept := awsSet{}, awsSet{}, awsSet{}
	known.add(q.mem.routes...)
	for _, rt := range items {
		t := AWSRouteTable{ID: aws.ToString(rt.RouteTableId), VPCID: aws.ToString(rt.VpcId)}
		for _, r := range rt.Routes {
			ar := awsRouteOf(r)
			key := t.ID + " " + ar.Destination
			if targets.has(ar.ENI) || targets.has(ar.InstanceID) || (known.has(key) && ar.State == "blackhole") {
				t.Routes = append(t.Routes, ar)
				routeENIs.add(ar.ENI)
				kept.add(key)
			}
		}
		if len(t.Routes) > 0 {
			byID[t.ID] = t
		}
	}
	q.st.RouteTables = slices.SortedFunc(maps.Values(byID), func(a, b AWSRouteTable) int {
		return cmp.Compare(a.ID, b.ID)
	})
	q.routeENIs = routeENIs.sorted()
	q.next.routes = kept.sorted()
}

// addressesRead takes the Elastic IPs on the pair's ENIs and sets those
// seen before that are no longer on them (left unassociated by a
// failover), which need a call of their own.
func (q *awsPoll) addressesRead(ctx context.Context, items []types.Address, err error) {
	q.addrByKey = map[string]AWSAddress{}
	if err != nil {
		q.fail(ctx, OpDescribeAddresses, err)
		q.addressesFailed = true
		return
	}
	q.addAddresses(items)
	q.leftAllocations = slices.DeleteFunc(slices.Clone(q.mem.allocations), func(id string) bool {
		_, ok := q.addrByKey[id]
		return ok
	})
}

func (q *awsPoll) addAddresses(items []types.Address) {
	for _, a := range items {
		aa := awsAddressOf(a)
		q.addrByKey[cmp.Or(aa.AllocationID, aa.PublicIP)] = aa
	}
}

// leftAddressesRead takes the Elastic IPs left behind and sets the pair's.
func (q *awsPoll) leftAddressesRead(ctx context.Context, items []types.Address, err error) {
	if q.addressesFailed {
		return
	}
	if err != nil {
		q.fail(ctx, OpDescribeAddresses, err)
		return
	}
	q.addAddresses(items)
	allocs := awsSet{}
	for _, a := range q.addrByKey {
		allocs.add(a.AllocationID)
	}
	q.next.allocations = allocs.sorted()
	q.st.Addresses = slices.SortedFunc(maps.Values(q.addrByKey), func(a, b AWSAddress) int {
		return cmp.Or(cmp.Compare(a.PublicIP, b.PublicIP), cmp.Compare(a.AllocationID, b.AllocationID))
	})
}

// rememberENIs keeps for the next poll the ENIs read now and those the
// kept routes still target (a deleted ENI behind a blackhole route). A
// part that could not be read keeps what was remembered.
func (q *awsPoll) rememberENIs() {
	s := awsSet{}
	if q.enisOK {
		for _, e := range q.st.ENIs {
			s.add(e.ID)
		}
	} else {
		s.add(q.mem.enis...)
	}
	if q.routesOK {
		s.add(q.routeENIs...)
	} else {
		s.add(q.mem.enis...)
	}
	q.next.enis = s.sorted()
}
