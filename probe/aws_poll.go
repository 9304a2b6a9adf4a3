package probe

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// awsPoll is one pair's share of an AWS poll (see awsBatch). The batch
// makes each call once for all pairs and hands every pair what a call
// filtered on that pair alone would have returned; the steps here turn
// that into the pair's status.
type awsPoll struct {
	p      *AWSProber
	target AWSTarget
	mem    awsMemory // what earlier polls learnt
	next   awsMemory // what this poll leaves for the next
	st     *AWSStatus

	missing   []string          // management IPs to discover
	ids       []string          // the pair's instance IDs, in peer order
	peerOf    map[string]string // instance ID -> peer name
	vpcs      []string
	routeENIs []string // ENIs targeted by the routes kept

	// Working state of the steps, between a batch's calls.
	instByID        map[string]*AWSInstance
	described       bool
	statusIDs       []string
	eniByID         map[string]AWSENI
	leftENIs        []string
	enisOK          bool
	routesOK        bool
	subnetNeed      []string
	subnetsMissing  []string
	addrByKey       map[string]AWSAddress
	leftAllocations []string
	addressesFailed bool

	mu sync.Mutex // guards st.Errors and st.Throttled
}

func newAWSPoll(p *AWSProber, t AWSTarget, mem awsMemory) *awsPoll {
	return &awsPoll{p: p, target: t, mem: mem, next: mem.clone(), enisOK: true, routesOK: true,
		st: &AWSStatus{Region: p.region, Start: p.now()}}
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
// The batch logs the failure once for all its pairs.
func (q *awsPoll) fail(ctx context.Context, op string, err error) {
	e := newAWSCallError(ctx, q.target.Pair, op, err)
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

// missingIPs are the management IPs of peers without a configured or
// remembered instance; discoveries of peers no longer configured are
// forgotten.
func (q *awsPoll) missingIPs() []string {
	var mgmtIPs, missing []string
	for _, peer := range q.target.Peers {
		if peer.InstanceID == "" && peer.MgmtIP != "" {
			mgmtIPs = append(mgmtIPs, peer.MgmtIP)
			if q.next.discovered[peer.MgmtIP] == "" {
				missing = append(missing, peer.MgmtIP)
			}
		}
	}
	maps.DeleteFunc(q.next.discovered, func(ip, _ string) bool { return !slices.Contains(mgmtIPs, ip) })
	q.missing = missing
	return missing
}

// discovered finds, in the ENIs holding the missing management IPs, the
// instances behind them.
func (q *awsPoll) discovered(ctx context.Context, enis []types.NetworkInterface) {
	found := map[string][]string{}
	for _, n := range enis {
		e := awsENIOf(n)
		for _, ip := range e.PrivateIPs {
			if e.InstanceID != "" && slices.Contains(q.missing, ip.IP) && !slices.Contains(found[ip.IP], e.InstanceID) {
				found[ip.IP] = append(found[ip.IP], e.InstanceID)
			}
		}
	}
	for _, ip := range q.missing {
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

// settleIDs sets the pair's instance IDs: configured ones, else
// discovered ones.
func (q *awsPoll) settleIDs() {
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

// instancesRead takes the reply of DescribeInstances and sets the IDs to
// ask status checks for. Status checks include stopped instances, else a
// stopped firewall would silently vanish; when DescribeInstances failed
// they still give each instance's state.
func (q *awsPoll) instancesRead(ctx context.Context, items []types.Instance, err error) {
	q.instByID = map[string]*AWSInstance{}
	for _, in := range items {
		i := awsInstanceOf(in)
		if i.ID != "" && q.instByID[i.ID] == nil {
			q.instByID[i.ID] = &i
		}
	}
	q.described = err == nil
	q.statusIDs = q.ids
	if q.described {
		// Only existing instances: naming a missing one fails the call.
		q.statusIDs = slices.DeleteFunc(slices.Clone(q.ids), func(id string) bool { return q.instByID[id] == nil })
		q.forgetGone()
	} else {
		q.fail(ctx, OpDescribeInstances, err)
		clear(q.instByID)
	}
}

// statusesRead merges the status checks in and sets the pair's instances.
func (q *awsPoll) statusesRead(ctx context.Context, statuses []types.InstanceStatus, err error) {
	if err != nil {
		q.fail(ctx, OpDescribeInstanceStatus, err)
		statuses = nil
	}
	for _, s := range statuses {
		id := aws.ToString(s.InstanceId)
		i := q.instByID[id]
		if i == nil {
			if q.described || !slices.Contains(q.statusIDs, id) {
				continue
			}
			i = &AWSInstance{ID: id}
			q.instByID[id] = i
		}
		awsMergeStatus(i, s)
	}
	for _, id := range q.ids {
		if i := q.instByID[id]; i != nil {
			i.Peer = q.peerOf[id]
			q.st.Instances = append(q.st.Instances, *i)
		}
	}
}

// forgetGone drops discovered instances that no longer exist or are being
// terminated, so that the next poll discovers their replacement.
func (q *awsPoll) forgetGone() {
	maps.DeleteFunc(q.next.discovered, func(_, id string) bool {
		i := q.instByID[id]
		return i == nil || i.State == string(types.InstanceStateNameTerminated) ||
			i.State == string(types.InstanceStateNameShuttingDown)
	})
}
