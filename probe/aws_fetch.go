package probe

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// EC2 limits a batched call must respect.
const (
	// awsMaxFilterValues is the most filter values EC2 accepts in one
	// call (more fail with FilterLimitExceeded).
	awsMaxFilterValues = 200
	// awsMaxStatusIDs is the most instance IDs DescribeInstanceStatus
	// accepts in one call.
	awsMaxStatusIDs = 100
	// awsMaxPageSize is the largest MaxResults of the Describe calls used;
	// DescribeRouteTables stops at 100.
	awsMaxPageSize      = 1000
	awsMaxRoutePageSize = 100
)

// awsFilterFor returns the filters of a listing that must cover values:
// one filter on name when EC2 accepts that many values, else none, so that
// the whole region is listed, a page of up to a thousand items per call,
// and the caller keeps what it asked for. Listing beats chunking once the
// firewalls are a fair part of the account: 2,000 instance IDs are ten
// filtered calls, or two pages of the region's instances.
func (p *AWSProber) awsFilterFor(name string, values []string) []types.Filter {
	if len(values) > p.maxFilterValues {
		return nil
	}
	return awsFilter(name, values)
}

// listENIs returns the ENIs matching the filter name on values, and
// possibly others (see awsFilterFor). No values, no call.
func (p *AWSProber) listENIs(ctx context.Context, name string, values []string) ([]types.NetworkInterface, error) {
	if len(values) == 0 {
		return nil, nil
	}
	var out []types.NetworkInterface
	pg := ec2.NewDescribeNetworkInterfacesPaginator(p.api, &ec2.DescribeNetworkInterfacesInput{
		Filters: p.awsFilterFor(name, values),
	}, func(o *ec2.DescribeNetworkInterfacesPaginatorOptions) {
		o.Limit = p.pageSize
		o.StopOnDuplicateToken = true
	})
	err := awsEachPage(ctx, pg, p.maxPages, func(r *ec2.DescribeNetworkInterfacesOutput) {
		out = append(out, r.NetworkInterfaces...)
	})
	return out, err
}

// listInstances returns the instances with the given IDs, and possibly
// others. A missing ID is no error: the instance-id filter, unlike
// InstanceIds, just finds nothing.
func (p *AWSProber) listInstances(ctx context.Context, ids []string) ([]types.Instance, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var out []types.Instance
	pg := ec2.NewDescribeInstancesPaginator(p.api, &ec2.DescribeInstancesInput{
		Filters: p.awsFilterFor("instance-id", ids),
	}, func(o *ec2.DescribeInstancesPaginatorOptions) {
		o.Limit = p.pageSize
		o.StopOnDuplicateToken = true
	})
	err := awsEachPage(ctx, pg, p.maxPages, func(r *ec2.DescribeInstancesOutput) {
		for _, res := range r.Reservations {
			out = append(out, res.Instances...)
		}
	})
	return out, err
}

// listStatuses returns the status checks of the instances, stopped ones
// included (IncludeAllInstances). EC2 takes at most 100 instance IDs and
// no filter on them; beyond that the region's statuses are listed.
func (p *AWSProber) listStatuses(ctx context.Context, ids []string) ([]types.InstanceStatus, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in := &ec2.DescribeInstanceStatusInput{IncludeAllInstances: aws.Bool(true)}
	limit := int32(0)
	if len(ids) <= awsMaxStatusIDs {
		// InstanceIds excludes MaxResults; all of them fit one page.
		in.InstanceIds = ids
	} else {
		limit = p.pageSize
	}
	var out []types.InstanceStatus
	pg := ec2.NewDescribeInstanceStatusPaginator(p.api, in, func(o *ec2.DescribeInstanceStatusPaginatorOptions) {
		o.Limit = limit
		o.StopOnDuplicateToken = true
	})
	err := awsEachPage(ctx, pg, p.maxPages, func(r *ec2.DescribeInstanceStatusOutput) {
		out = append(out, r.InstanceStatuses...)
	})
	return out, err
}

// listSubnets returns the subnets with the given IDs, and possibly others.
func (p *AWSProber) listSubnets(ctx context.Context, ids []string) ([]types.Subnet, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var out []types.Subnet
	pg := ec2.NewDescribeSubnetsPaginator(p.api, &ec2.DescribeSubnetsInput{
		Filters: p.awsFilterFor("subnet-id", ids),
	}, func(o *ec2.DescribeSubnetsPaginatorOptions) {
		o.Limit = p.pageSize
		o.StopOnDuplicateToken = true
	})
	err := awsEachPage(ctx, pg, p.maxPages, func(r *ec2.DescribeSubnetsOutput) {
		out = append(out, r.Subnets...)
	})
	return out, err
}

// listRouteTables returns the route tables of the VPCs, and possibly
// others.
func (p *AWSProber) listRouteTables(ctx context.Context, vpcs []string) ([]types.RouteTable, error) {
	if len(vpcs) == 0 {
		return nil, nil
	}
	var out []types.RouteTable
	pg := ec2.NewDescribeRouteTablesPaginator(p.api, &ec2.DescribeRouteTablesInput{
		Filters: p.awsFilterFor("vpc-id", vpcs),
	}, func(o *ec2.DescribeRouteTablesPaginatorOptions) {
		o.Limit = min(p.pageSize, awsMaxRoutePageSize)
		o.StopOnDuplicateToken = true
	})
	err := awsEachPage(ctx, pg, p.maxPages, func(r *ec2.DescribeRouteTablesOutput) {
		out = append(out, r.RouteTables...)
	})
	return out, err
}

// listAddresses returns the Elastic IPs matching the filter, and possibly
// others. DescribeAddresses is not paginated: one call returns every match.
func (p *AWSProber) listAddresses(ctx context.Context, name string, values []string) ([]types.Address, error) {
	if len(values) == 0 {
		return nil, nil
	}
	out, err := p.api.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{Filters: p.awsFilterFor(name, values)})
	if err != nil {
		return nil, err
	}
	return out.Addresses, nil
}

// awsIndex finds a region-wide listing's items by key, so that sharing
// one listing among many pairs costs the items plus the pairs' wants, not
// their product.
type awsIndex[T any] struct {
	items []T
	byKey map[string][]int // key to the positions of its items, ascending
}

func newAWSIndex[T any](items []T, keys func(T) []string) awsIndex[T] {
	x := awsIndex[T]{items: items, byKey: make(map[string][]int, len(items))}
	for i, it := range items {
		for _, k := range keys(it) {
			if k == "" {
				continue
			}
			if at := x.byKey[k]; len(at) == 0 || at[len(at)-1] != i {
				x.byKey[k] = append(at, i)
			}
		}
	}
	return x
}

// keep returns the items with a key in want, once each, in the listing's
// order.
func (x awsIndex[T]) keep(want []string) []T {
	var at []int
	for _, w := range want {
		if w != "" {
			at = append(at, x.byKey[w]...)
		}
	}
	if len(at) == 0 {
		return nil
	}
	slices.Sort(at)
	at = slices.Compact(at)
	out := make([]T, len(at))
	for j, i := range at {
		out[j] = x.items[i]
	}
	return out
}

// Keys of the SDK's items, as the filters used match them.

func eniIPsKey(n types.NetworkInterface) []string {
	var out []string
	for _, a := range n.PrivateIpAddresses {
		out = append(out, aws.ToString(a.PrivateIpAddress))
	}
	return out
}

func eniAttachedKey(n types.NetworkInterface) []string {
	if n.Attachment == nil {
		return nil
	}
	return []string{aws.ToString(n.Attachment.InstanceId)}
}

func eniIDKey(n types.NetworkInterface) []string { return []string{aws.ToString(n.NetworkInterfaceId)} }

func instanceIDKey(i types.Instance) []string { return []string{aws.ToString(i.InstanceId)} }

func statusIDKey(s types.InstanceStatus) []string { return []string{aws.ToString(s.InstanceId)} }

func subnetIDKey(s types.Subnet) []string { return []string{aws.ToString(s.SubnetId)} }

func routeTableVPCKey(t types.RouteTable) []string { return []string{aws.ToString(t.VpcId)} }

func addressENIKey(a types.Address) []string { return []string{aws.ToString(a.NetworkInterfaceId)} }

func addressAllocKey(a types.Address) []string { return []string{aws.ToString(a.AllocationId)} }
