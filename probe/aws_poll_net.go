package probe

import (
	"cmp"
	"context"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
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

// subnets reads the subnets of the pair's ENIs and instances; subnets read
// before come from the cache.
func (q *awsPoll) subnets(ctx context.Context, enisOK bool) {
	need := awsSet{}
	for _, e := range q.st.ENIs {
		need.add(e.SubnetID)
	}
	for _, i := range q.st.Instances {
		need.add(i.SubnetID)
	}
	if len(need) == 0 {
		return
	}
	var missing []string
	for _, id := range need.sorted() {
		if _, ok := q.mem.subnets[id]; !ok {
			missing = append(missing, id)
		}
	}
	fetched := map[string]AWSSubnet{}
	if len(missing) > 0 {
		pg := ec2.NewDescribeSubnetsPaginator(q.p.api, &ec2.DescribeSubnetsInput{
			Filters: awsFilter("subnet-id", missing),
		}, func(o *ec2.DescribeSubnetsPaginatorOptions) {
			o.Limit = q.p.pageSize
			o.StopOnDuplicateToken = true
		})
		err := awsEachPage(ctx, pg, q.p.maxPages, func(out *ec2.DescribeSubnetsOutput) {
			for _, s := range out.Subnets {
				sn := awsSubnetOf(s)
				fetched[sn.ID] = sn
			}
		})
		if err != nil {
			q.fail(ctx, OpDescribeSubnets, err)
			return
		}
	}
	cache := map[string]AWSSubnet{}
	if !enisOK {
		// Only part of the pair is known: keep the whole cache.
		maps.Copy(cache, q.mem.subnets)
	}
	for _, id := range need.sorted() {
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

// routeTables reads the route tables of the pair's VPCs and keeps the
// routes that target a pair ENI or instance, blackholes included. EC2 has
// no filter for a route's ENI, so the matching is done here.
func (q *awsPoll) routeTables(ctx context.Context) bool {
	if len(q.vpcs) == 0 {
		return true
	}
	targets := awsSet{}
	targets.add(q.pairENIs()...)
	targets.add(q.ids...)
	pg := ec2.NewDescribeRouteTablesPaginator(q.p.api, &ec2.DescribeRouteTablesInput{
		Filters: awsFilter("vpc-id", q.vpcs),
	}, func(o *ec2.DescribeRouteTablesPaginatorOptions) {
		o.Limit = min(q.p.pageSize, 100)
		o.StopOnDuplicateToken = true
	})
	byID := map[string]AWSRouteTable{}
	routeENIs, known, kept := awsSet{}, awsSet{}, awsSet{}
	known.add(q.mem.routes...)
	err := awsEachPage(ctx, pg, q.p.maxPages, func(out *ec2.DescribeRouteTablesOutput) {
		for _, rt := range out.RouteTables {
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
	})
	if err != nil {
		q.fail(ctx, OpDescribeRouteTables, err)
		return false
	}
	q.st.RouteTables = slices.SortedFunc(maps.Values(byID), func(a, b AWSRouteTable) int {
		return cmp.Compare(a.ID, b.ID)
	})
	q.routeENIs = routeENIs.sorted()
	q.next.routes = kept.sorted()
	return true
}

// addresses reads the Elastic IPs on the pair's ENIs, then those seen
// before that are no longer on them (left unassociated by a failover).
func (q *awsPoll) addresses(ctx context.Context) {
	byKey := map[string]AWSAddress{}
	add := func(out *ec2.DescribeAddressesOutput) {
		for _, a := range out.Addresses {
			aa := awsAddressOf(a)
			byKey[cmp.Or(aa.AllocationID, aa.PublicIP)] = aa
		}
	}
	// DescribeAddresses is not paginated: one call returns every match.
	if enis := q.pairENIs(); len(enis) > 0 {
		out, err := q.p.api.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{
			Filters: awsFilter("network-interface-id", enis),
		})
		if err != nil {
			q.fail(ctx, OpDescribeAddresses, err)
			return
		}
		add(out)
	}
	left := slices.DeleteFunc(slices.Clone(q.mem.allocations), func(id string) bool { _, ok := byKey[id]; return ok })
	if len(left) > 0 {
		out, err := q.p.api.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{
			Filters: awsFilter("allocation-id", left),
		})
		if err != nil {
			q.fail(ctx, OpDescribeAddresses, err)
			return
		}
		add(out)
	}
	allocs := awsSet{}
	for _, a := range byKey {
		allocs.add(a.AllocationID)
	}
	q.next.allocations = allocs.sorted()
	q.st.Addresses = slices.SortedFunc(maps.Values(byKey), func(a, b AWSAddress) int {
		return cmp.Or(cmp.Compare(a.PublicIP, b.PublicIP), cmp.Compare(a.AllocationID, b.AllocationID))
	})
}

// rememberENIs keeps for the next poll the ENIs read now and those the
// kept routes still target (a deleted ENI behind a blackhole route). A
// part that could not be read keeps what was remembered.
func (q *awsPoll) rememberENIs(enisOK, routesOK bool) {
	s := awsSet{}
	if enisOK {
		for _, e := range q.st.ENIs {
			s.add(e.ID)
		}
	} else {
		s.add(q.mem.enis...)
	}
	if routesOK {
		s.add(q.routeENIs...)
	} else {
		s.add(q.mem.enis...)
	}
	q.next.enis = s.sorted()
}
