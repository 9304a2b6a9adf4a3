package probe

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// awsPoll is one AWS poll of one pair. The calls run in two rounds: the
// instances and their ENIs, then what hangs off the ENIs (subnets, routes,
// Elastic IPs). Each step writes its own part of the status.
type awsPoll struct {
	p      *AWSProber
	target AWSTarget
	mem    awsMemory // what earlier polls learnt
	next   awsMemory // what this poll leaves for the next
	st     *AWSStatus

	ids       []string          // the pair's instance IDs, in peer order
	peerOf    map[string]string // instance ID -> peer name
	vpcs      []string
	routeENIs []string // ENIs targeted by the routes kept

	mu sync.Mutex // guards st.Errors and st.Throttled
}

func (q *awsPoll) run(ctx context.Context) {
	q.next = q.mem.clone()
	q.resolveInstances(ctx)

	var wg sync.WaitGroup
	var enisOK, routesOK bool
	wg.Go(func() { q.instances(ctx) })
	wg.Go(func() { enisOK = q.networkInterfaces(ctx) })
	wg.Wait()

	q.vpcs = q.pairVPCs()
	if len(q.vpcs) > 0 {
		q.next.vpcs = q.vpcs
	}
	wg.Go(func() { q.subnets(ctx, enisOK) })
	wg.Go(func() { routesOK = q.routeTables(ctx) })
	wg.Go(func() { q.addresses(ctx) })
	wg.Wait()
	q.rememberENIs(enisOK, routesOK)
	q.markNotCalled()
}

// ErrNotCalled marks an EC2 operation that a poll did not call because what
// it needs (instance IDs, ENIs, VPCs) is unknown after another call failed.
// Its part of the poll is then unknown, never "nothing there".
var ErrNotCalled = errors.New("not called")

// markNotCalled records ErrNotCalled for each operation skipped for want of
// input that a failed call should have given.
func (q *awsPoll) markNotCalled() {
	var failed []string
	for _, op := range []string{OpDescribeInstances, OpDescribeNetworkInterfaces} {
		if q.st.Errors[op] != nil {
			failed = append(failed, op)
		}
	}
	if len(failed) == 0 {
		return
	}
	why := fmt.Errorf("%w: it needs what %s should have returned", ErrNotCalled, strings.Join(failed, " and "))
	skipped := map[string]bool{
		OpDescribeInstances:      len(q.ids) == 0,
		OpDescribeInstanceStatus: len(q.ids) == 0,
		OpDescribeRouteTables:    len(q.vpcs) == 0,
		OpDescribeAddresses:      len(q.pairENIs()) == 0,
		OpDescribeSubnets:        len(q.st.Subnets) == 0,
	}
	for op, skip := range skipped {
		if skip && q.st.Errors[op] == nil {
			q.st.Errors[op] = why
		}
	}
}

// fail records a failed operation; the first error of an operation wins.
func (q *awsPoll) fail(ctx context.Context, op string, err error) {
	e := newAWSCallError(ctx, q.target.Pair, op, err)
	q.p.logger.Debug("ec2 call failed", "pair", q.target.Pair, "operation", op, "code", e.Code, "err", e.Err)
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.st.Errors == nil {
		q.st.Errors = map[string]error{}
	}
	if _, ok := q.st.Errors[op]; !ok {
		q.st.Errors[op] = e
	}
	if e.Throttled {
		q.st.Throttled = true
	}
}

// resolveInstances settles the pair's instance IDs: configured ones, then
// remembered discoveries, then a discovery by management IP.
func (q *awsPoll) resolveInstances(ctx context.Context) {
	var mgmtIPs, missing []string
	for _, peer := range q.target.Peers {
		if peer.InstanceID == "" && peer.MgmtIP != "" {
			mgmtIPs = append(mgmtIPs, peer.MgmtIP)
			if q.next.discovered[peer.MgmtIP] == "" {
				missing = append(missing, peer.MgmtIP)
			}
		}
	}
	// Forget discoveries of peers that are no longer configured.
	maps.DeleteFunc(q.next.discovered, func(ip, _ string) bool { return !slices.Contains(mgmtIPs, ip) })
	if len(missing) > 0 {
		q.discover(ctx, missing)
	}
	q.peerOf = map[string]string{}
	for _, peer := range q.target.Peers {
		id := peer.InstanceID
		if id == "" && peer.MgmtIP != "" {
			id = q.next.discovered[peer.MgmtIP]
		}
		if id != "" && q.peerOf[id] == "" {
			q.peerOf[id] = peer.Name
			q.ids = append(q.ids, id)
		}
	}
}

// discover finds the instances whose ENIs hold the management IPs.
func (q *awsPoll) discover(ctx context.Context, ips []string) {
	found := map[string][]string{}
	pg := ec2.NewDescribeNetworkInterfacesPaginator(q.p.api, &ec2.DescribeNetworkInterfacesInput{
		Filters: awsFilter("addresses.private-ip-address", ips),
	}, q.eniPagerOptions)
	err := awsEachPage(ctx, pg, q.p.maxPages, func(out *ec2.DescribeNetworkInterfacesOutput) {
		for _, n := range out.NetworkInterfaces {
			e := awsENIOf(n)
			for _, ip := range e.PrivateIPs {
				if e.InstanceID != "" && slices.Contains(ips, ip.IP) && !slices.Contains(found[ip.IP], e.InstanceID) {
					found[ip.IP] = append(found[ip.IP], e.InstanceID)
				}
			}
		}
	})
	if err != nil {
		q.fail(ctx, OpDescribeNetworkInterfaces, fmt.Errorf("discover instances by management ip: %w", err))
		return
	}
	for _, ip := range ips {
		switch ids := found[ip]; len(ids) {
		case 0:
			q.p.logger.Debug("no ec2 instance holds management ip", "pair", q.target.Pair, "ip", ip)
		case 1:
			if q.next.discovered == nil {
				q.next.discovered = map[string]string{}
			}
			q.next.discovered[ip] = ids[0]
			q.p.logger.Info("discovered ec2 instance", "pair", q.target.Pair, "ip", ip, "instance", ids[0])
		default:
			q.fail(ctx, OpDescribeNetworkInterfaces, fmt.Errorf(
				"management ip %s is held by several instances: %s", ip, strings.Join(ids, ", ")))
		}
	}
}

func (q *awsPoll) eniPagerOptions(o *ec2.DescribeNetworkInterfacesPaginatorOptions) {
	o.Limit = q.p.pageSize
	o.StopOnDuplicateToken = true
}

// instances reads the instances and their status checks. Status checks
// include stopped instances (IncludeAllInstances), else a stopped firewall
// would silently vanish. When DescribeInstances fails the status checks
// still give each instance's state.
func (q *awsPoll) instances(ctx context.Context) {
	if len(q.ids) == 0 {
		return
	}
	byID := map[string]*AWSInstance{}
	pg := ec2.NewDescribeInstancesPaginator(q.p.api, &ec2.DescribeInstancesInput{
		Filters: awsFilter("instance-id", q.ids),
	}, func(o *ec2.DescribeInstancesPaginatorOptions) {
		o.Limit = q.p.pageSize
		o.StopOnDuplicateToken = true
	})
	err := awsEachPage(ctx, pg, q.p.maxPages, func(out *ec2.DescribeInstancesOutput) {
		for _, r := range out.Reservations {
			for _, in := range r.Instances {
				i := awsInstanceOf(in)
				if i.ID != "" && byID[i.ID] == nil {
					byID[i.ID] = &i
				}
			}
		}
	})
	described := err == nil
	statusIDs := q.ids
	if described {
		// Only existing instances: naming a missing one fails the call.
		statusIDs = slices.DeleteFunc(slices.Clone(q.ids), func(id string) bool { return byID[id] == nil })
		q.forgetGone(byID)
	} else {
		q.fail(ctx, OpDescribeInstances, err)
		clear(byID)
	}
	if len(statusIDs) > 0 {
		q.instanceStatus(ctx, statusIDs, byID, described)
	}
	for _, id := range q.ids {
		if i := byID[id]; i != nil {
			i.Peer = q.peerOf[id]
			q.st.Instances = append(q.st.Instances, *i)
		}
	}
}

func (q *awsPoll) instanceStatus(ctx context.Context, ids []string, byID map[string]*AWSInstance, described bool) {
	// InstanceIds excludes MaxResults, and one page holds up to 100 IDs.
	pg := ec2.NewDescribeInstanceStatusPaginator(q.p.api, &ec2.DescribeInstanceStatusInput{
		InstanceIds:         ids,
		IncludeAllInstances: aws.Bool(true),
	}, func(o *ec2.DescribeInstanceStatusPaginatorOptions) { o.StopOnDuplicateToken = true })
	var statuses []types.InstanceStatus
	err := awsEachPage(ctx, pg, q.p.maxPages, func(out *ec2.DescribeInstanceStatusOutput) {
		statuses = append(statuses, out.InstanceStatuses...)
	})
	if err != nil {
		q.fail(ctx, OpDescribeInstanceStatus, err)
		return
	}
	for _, s := range statuses {
		id := aws.ToString(s.InstanceId)
		i := byID[id]
		if i == nil {
			if described || !slices.Contains(ids, id) {
				continue
			}
			i = &AWSInstance{ID: id}
			byID[id] = i
		}
		awsMergeStatus(i, s)
	}
}

// forgetGone drops discovered instances that no longer exist or are being
// terminated, so that the next poll discovers their replacement.
func (q *awsPoll) forgetGone(byID map[string]*AWSInstance) {
	maps.DeleteFunc(q.next.discovered, func(_, id string) bool {
		i := byID[id]
		return i == nil || i.State == string(types.InstanceStateNameTerminated) ||
			i.State == string(types.InstanceStateNameShuttingDown)
	})
}

// networkInterfaces reads the ENIs attached to the pair's instances, then
// any ENI seen before that is no longer attached to them. It reports
// whether every call succeeded.
func (q *awsPoll) networkInterfaces(ctx context.Context) bool {
	byID := map[string]AWSENI{}
	add := func(out *ec2.DescribeNetworkInterfacesOutput) {
		for _, n := range out.NetworkInterfaces {
			if e := awsENIOf(n); e.ID != "" {
				byID[e.ID] = e
			}
		}
	}
	if len(q.ids) > 0 {
		pg := ec2.NewDescribeNetworkInterfacesPaginator(q.p.api, &ec2.DescribeNetworkInterfacesInput{
			Filters: awsFilter("attachment.instance-id", q.ids),
		}, q.eniPagerOptions)
		if err := awsEachPage(ctx, pg, q.p.maxPages, add); err != nil {
			q.fail(ctx, OpDescribeNetworkInterfaces, err)
			return false
		}
	}
	// Filters are ANDed, so ENIs that left the instances need a call of
	// their own; it is only made when one has left.
	left := slices.DeleteFunc(slices.Clone(q.mem.enis), func(id string) bool { _, ok := byID[id]; return ok })
	if len(left) > 0 {
		pg := ec2.NewDescribeNetworkInterfacesPaginator(q.p.api, &ec2.DescribeNetworkInterfacesInput{
			Filters: awsFilter("network-interface-id", left),
		}, q.eniPagerOptions)
		if err := awsEachPage(ctx, pg, q.p.maxPages, add); err != nil {
			q.fail(ctx, OpDescribeNetworkInterfaces, err)
			return false
		}
	}
	q.st.ENIs = slices.SortedFunc(maps.Values(byID), q.compareENIs)
	return true
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
