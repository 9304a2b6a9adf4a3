package probe

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// awsBatch is one AWS poll of many pairs of one region: each Describe call
// is made once, filtered on the union of what the pairs need (see
// awsFilterFor for many values), and every pair gets the items a call
// filtered on that pair alone would have returned, so that its status is
// the one a poll of that pair alone would have built. A failed call fails
// that operation for every pair that needed it, with the same error.
//
// The calls run in rounds, as each needs what the previous returned:
// discovery by management IP; instances and their ENIs; status checks
// and ENIs that left the instances; then subnets, routes and Elastic IPs.
type awsBatch struct {
	p     *AWSProber
	polls []*awsPoll
}

func (b *awsBatch) run(ctx context.Context) {
	awsShare(ctx, b, OpDescribeNetworkInterfaces, (*awsPoll).missingIPs,
		func(ctx context.Context, ips []string) ([]types.NetworkInterface, error) {
			return b.p.listENIs(ctx, "addresses.private-ip-address", ips)
		}, eniIPsKey,
		func(q *awsPoll, enis []types.NetworkInterface, err error) {
			if len(q.missing) == 0 {
				return
			}
			if err != nil {
				q.fail(ctx, OpDescribeNetworkInterfaces, fmt.Errorf("discover instances by management ip: %w", err))
				return
			}
			q.discovered(ctx, enis)
		})
	for _, q := range b.polls {
		q.settleIDs()
	}

	var wg sync.WaitGroup
	wg.Go(func() { b.instances(ctx) })
	wg.Go(func() { b.networkInterfaces(ctx) })
	wg.Wait()

	for _, q := range b.polls {
		q.vpcs = q.pairVPCs()
		if len(q.vpcs) > 0 {
			q.next.vpcs = q.vpcs
		}
	}
	wg.Go(func() {
		awsShare(ctx, b, OpDescribeSubnets, (*awsPoll).subnetsMissed, b.p.listSubnets, subnetIDKey,
			func(q *awsPoll, s []types.Subnet, err error) { q.subnetsRead(ctx, s, err) })
	})
	wg.Go(func() {
		awsShare(ctx, b, OpDescribeRouteTables, func(q *awsPoll) []string { return q.vpcs },
			b.p.listRouteTables, routeTableVPCKey,
			func(q *awsPoll, t []types.RouteTable, err error) { q.routeTablesRead(ctx, t, err) })
	})
	wg.Go(func() { b.addresses(ctx) })
	wg.Wait()
	for _, q := range b.polls {
		q.rememberENIs()
		q.markNotCalled()
	}
}

// instances reads the instances, then their status checks.
func (b *awsBatch) instances(ctx context.Context) {
	awsShare(ctx, b, OpDescribeInstances, func(q *awsPoll) []string { return q.ids },
		b.p.listInstances, instanceIDKey,
		func(q *awsPoll, items []types.Instance, err error) {
			if len(q.ids) > 0 {
				q.instancesRead(ctx, items, err)
			}
		})
	awsShare(ctx, b, OpDescribeInstanceStatus, func(q *awsPoll) []string { return q.statusIDs },
		b.p.listStatuses, statusIDKey,
		func(q *awsPoll, items []types.InstanceStatus, err error) {
			if len(q.ids) > 0 {
				q.statusesRead(ctx, items, err)
			}
		})
}

// networkInterfaces reads the ENIs attached to the pairs' instances, then
// any seen before that is no longer attached to them.
func (b *awsBatch) networkInterfaces(ctx context.Context) {
	list := func(filter string) func(context.Context, []string) ([]types.NetworkInterface, error) {
		return func(ctx context.Context, v []string) ([]types.NetworkInterface, error) {
			return b.p.listENIs(ctx, filter, v)
		}
	}
	awsShare(ctx, b, OpDescribeNetworkInterfaces, func(q *awsPoll) []string { return q.ids },
		list("attachment.instance-id"), eniAttachedKey,
		func(q *awsPoll, items []types.NetworkInterface, err error) { q.attachedRead(ctx, items, err) })
	awsShare(ctx, b, OpDescribeNetworkInterfaces, func(q *awsPoll) []string { return q.leftENIs },
		list("network-interface-id"), eniIDKey,
		func(q *awsPoll, items []types.NetworkInterface, err error) { q.leftRead(ctx, items, err) })
}

// addresses reads the Elastic IPs on the pairs' ENIs, then those seen
// before that are no longer on them.
func (b *awsBatch) addresses(ctx context.Context) {
	list := func(filter string) func(context.Context, []string) ([]types.Address, error) {
		return func(ctx context.Context, v []string) ([]types.Address, error) {
			return b.p.listAddresses(ctx, filter, v)
		}
	}
	awsShare(ctx, b, OpDescribeAddresses, (*awsPoll).pairENIs, list("network-interface-id"), addressENIKey,
		func(q *awsPoll, items []types.Address, err error) { q.addressesRead(ctx, items, err) })
	awsShare(ctx, b, OpDescribeAddresses, func(q *awsPoll) []string { return q.leftAllocations },
		list("allocation-id"), addressAllocKey,
		func(q *awsPoll, items []types.Address, err error) { q.leftAddressesRead(ctx, items, err) })
}

// awsShare makes one listing for the union of what the pairs want and
// calls read for every pair with its share: the items matching what it
// wants, and the error only when it wanted something (a pair that wanted
// nothing had no call made for it).
func awsShare[T any](ctx context.Context, b *awsBatch, op string, want func(*awsPoll) []string,
	list func(context.Context, []string) ([]T, error), key func(T) []string, read func(*awsPoll, []T, error)) {
	wants := make([][]string, len(b.polls))
	union := awsSet{}
	asking := 0
	for i, q := range b.polls {
		wants[i] = want(q)
		union.add(wants[i]...)
		if len(wants[i]) > 0 {
			asking++
		}
	}
	var items []T
	var err error
	if len(union) > 0 {
		items, err = list(ctx, union.sorted())
	}
	if err != nil {
		e := newAWSCallError(ctx, "", op, err)
		b.p.logger.Debug("ec2 call failed", "region", b.p.region, "operation", op, "pairs", asking, "code", e.Code, "err", e.Err)
	}
	var idx awsIndex[T]
	for i, q := range b.polls {
		if len(wants[i]) == 0 {
			read(q, nil, nil)
			continue
		}
		if err != nil {
			read(q, nil, err)
			continue
		}
		mine := items
		if len(b.polls) > 1 || len(union) > b.p.maxFilterValues {
			if idx.byKey == nil {
				idx = newAWSIndex(items, key)
			}
			mine = idx.keep(wants[i])
		}
		read(q, mine, nil)
	}
}
