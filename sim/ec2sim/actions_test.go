package ec2sim

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestDescribeInstancesDecodes(t *testing.T) {
	c, _, _, _ := start(t, testWorld())
	out, err := c.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{
		Filters: []types.Filter{{Name: aws.String("instance-id"), Values: []string{"i-a", "i-missing"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Reservations) != 1 || len(out.Reservations[0].Instances) != 1 {
		t.Fatalf("reservations = %+v", out.Reservations)
	}
	in := out.Reservations[0].Instances[0]
	if in.State.Name != types.InstanceStateNameRunning || aws.ToInt32(in.State.Code) != 16 ||
		aws.ToString(in.Placement.AvailabilityZone) != "us-east-1a" || aws.ToString(in.PrivateIpAddress) != "10.0.0.10" ||
		len(in.NetworkInterfaces) != 1 || aws.ToString(in.NetworkInterfaces[0].NetworkInterfaceId) != "eni-a0" {
		t.Errorf("instance = %+v", in)
	}
	if out.NextToken != nil {
		t.Errorf("next token without MaxResults: %q", *out.NextToken)
	}
}

func TestInstanceStatusHidesStoppedUnlessAsked(t *testing.T) {
	c, _, _, _ := start(t, testWorld())
	for _, all := range []bool{false, true} {
		out, err := c.DescribeInstanceStatus(context.Background(), &ec2.DescribeInstanceStatusInput{
			InstanceIds: []string{"i-a", "i-b"}, IncludeAllInstances: aws.Bool(all)})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, s := range out.InstanceStatuses {
			got[aws.ToString(s.InstanceId)] = string(s.InstanceState.Name) + "/" +
				string(s.SystemStatus.Status) + "/" + string(s.InstanceStatus.Status)
		}
		want := map[string]string{"i-a": "running/ok/ok"}
		if all {
			want["i-b"] = "stopped/not-applicable/not-applicable"
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("IncludeAllInstances=%v: got %v, want %v", all, got, want)
		}
	}
}

func TestNetworkInterfaces(t *testing.T) {
	c, _, _, _ := start(t, testWorld())
	out, err := c.DescribeNetworkInterfaces(context.Background(), &ec2.DescribeNetworkInterfacesInput{
		Filters: []types.Filter{{Name: aws.String("addresses.private-ip-address"), Values: []string{"10.0.0.10", "10.0.1.100"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.NetworkInterfaces) != 2 {
		t.Fatalf("enis = %d, want 2", len(out.NetworkInterfaces))
	}
	a0, data := out.NetworkInterfaces[0], out.NetworkInterfaces[1]
	if aws.ToString(a0.Attachment.InstanceId) != "i-a" || a0.Attachment.Status != types.AttachmentStatusAttached ||
		aws.ToString(a0.PrivateIpAddresses[0].Association.AllocationId) != "eipalloc-1" {
		t.Errorf("eni-a0 = %+v", a0)
	}
	if data.Attachment != nil || data.Status != types.NetworkInterfaceStatusAvailable || len(data.PrivateIpAddresses) != 2 ||
		aws.ToBool(data.PrivateIpAddresses[1].Primary) {
		t.Errorf("eni-data = %+v", data)
	}
	byInstance, err := c.DescribeNetworkInterfaces(context.Background(), &ec2.DescribeNetworkInterfacesInput{
		Filters: []types.Filter{{Name: aws.String("attachment.instance-id"), Values: []string{"i-a", "i-b"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(byInstance.NetworkInterfaces) != 2 {
		t.Errorf("attached enis = %d, want 2", len(byInstance.NetworkInterfaces))
	}
}

func TestRouteTablesResolveTargets(t *testing.T) {
	c, _, _, _ := start(t, testWorld())
	out, err := c.DescribeRouteTables(context.Background(), &ec2.DescribeRouteTablesInput{
		Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{"vpc-1"}}}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range out.RouteTables[0].Routes {
		got = append(got, fmt.Sprintf("%s>%s/%s/%s/%s", aws.ToString(r.DestinationCidrBlock),
			aws.ToString(r.GatewayId), aws.ToString(r.NetworkInterfaceId), aws.ToString(r.InstanceId), r.State))
	}
	want := []string{
		"10.0.0.0/16>local///active",
		"0.0.0.0/0>/eni-data//blackhole",
		"192.168.0.0/16>/eni-a0/i-a/active",
	}
	if !slices.Equal(got, want) {
		t.Errorf("routes:\n got %v\nwant %v", got, want)
	}
	if s := out.RouteTables[0].Associations; len(s) != 1 || aws.ToString(s[0].SubnetId) != "subnet-data" {
		t.Errorf("associations = %+v", s)
	}
}

func TestAddresses(t *testing.T) {
	c, _, _, _ := start(t, testWorld())
	out, err := c.DescribeAddresses(context.Background(), &ec2.DescribeAddressesInput{
		Filters: []types.Filter{{Name: aws.String("network-interface-id"), Values: []string{"eni-a0", "eni-data"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Addresses) != 1 || aws.ToString(out.Addresses[0].InstanceId) != "i-a" ||
		aws.ToString(out.Addresses[0].PublicIp) != "203.0.113.1" {
		t.Errorf("addresses = %+v", out.Addresses)
	}
	out, err = c.DescribeAddresses(context.Background(), &ec2.DescribeAddressesInput{
		Filters: []types.Filter{{Name: aws.String("allocation-id"), Values: []string{"eipalloc-2"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Addresses) != 1 || out.Addresses[0].AssociationId != nil || out.Addresses[0].NetworkInterfaceId != nil {
		t.Errorf("unassociated address = %+v", out.Addresses)
	}
}

// EC2 refuses more than 200 filter values in one call, so the prober
// cannot count on one call per ID however many pairs it batches.
func TestFilterValuesAreLimited(t *testing.T) {
	c, _, _, _ := start(t, testWorld())
	ids := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("i-%04d", i)
		}
		return out
	}
	if _, err := c.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{
		Filters: []types.Filter{{Name: aws.String("instance-id"), Values: ids(200)}},
	}); err != nil {
		t.Errorf("200 values: %v", err)
	}
	_, err := c.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{
		Filters: []types.Filter{
			{Name: aws.String("instance-id"), Values: ids(150)},
			{Name: aws.String("vpc-id"), Values: ids(51)},
		},
	})
	if err == nil || !strings.Contains(err.Error(), "FilterLimitExceeded") {
		t.Errorf("201 values over two filters: err = %v, want FilterLimitExceeded", err)
	}
}
