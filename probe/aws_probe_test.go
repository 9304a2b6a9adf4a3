package probe

import (
	"reflect"
	"slices"
	"testing"

	"github.com/hawatch/hawatch/sim/ec2sim"
)

func TestAWSProbeReadsPair(t *testing.T) {
	h := newAWSHarness(t, awsPairWorld())
	st, calls := h.poll(t, awsPairTarget)
	if !st.OK() {
		t.Fatalf("errors: %v", st.Errors)
	}
	if st.Region != "us-east-1" || st.Start.IsZero() || st.End.Before(st.Start) {
		t.Errorf("region/start/end = %q %v %v", st.Region, st.Start, st.End)
	}
	wantInstances := []AWSInstance{
		{ID: "i-fw1", Peer: "fw1", State: "running", SystemStatus: "ok", InstanceStatus: "ok",
			PrivateIP: "10.0.0.10", SubnetID: "subnet-mgmt", AZ: "us-east-1a", VPCID: "vpc-1", InstanceType: "m5.xlarge"},
		{ID: "i-fw2", Peer: "fw2", State: "running", SystemStatus: "ok", InstanceStatus: "impaired",
			PrivateIP: "10.0.0.11", SubnetID: "subnet-mgmt", AZ: "us-east-1a", VPCID: "vpc-1", InstanceType: "m5.xlarge"},
	}
	if !reflect.DeepEqual(st.Instances, wantInstances) {
		t.Errorf("instances:\n got %+v\nwant %+v", st.Instances, wantInstances)
	}
	wantENIs := []string{"eni-mgmt1", "eni-ha1", "eni-untrust", "eni-trust", "eni-mgmt2", "eni-ha2"}
	if got := awsENIIDs(st); !slices.Equal(got, wantENIs) {
		t.Errorf("enis = %v, want %v", got, wantENIs)
	}
	untrust, _ := awsFindENI(st, "eni-untrust")
	wantUntrust := AWSENI{ID: "eni-untrust", SubnetID: "subnet-untrust", VPCID: "vpc-1", AZ: "us-east-1a",
		Status: "in-use", MAC: "0e:00:00:00:00:0t", InstanceID: "i-fw1", DeviceIndex: 2, AttachmentStatus: "attached",
		PrivateIPs:   []AWSPrivateIP{{IP: "10.0.2.10", Primary: true}, {IP: "10.0.2.100", PublicIP: "198.51.100.9"}},
		AttachmentID: "eni-attach-untrust"}
	if !reflect.DeepEqual(untrust, wantUntrust) {
		t.Errorf("untrust eni:\n got %+v\nwant %+v", untrust, wantUntrust)
	}
	if len(st.Subnets) != 4 || st.Subnets[0] != (AWSSubnet{ID: "subnet-ha", VPCID: "vpc-1", CIDR: "10.0.1.0/24", AZ: "us-east-1a"}) {
		t.Errorf("subnets = %+v", st.Subnets)
	}
	wantRoutes := []AWSRouteTable{{ID: "rtb-trust", VPCID: "vpc-1", Routes: []AWSRoute{
		{Destination: "0.0.0.0/0", ENI: "eni-trust", InstanceID: "i-fw1", State: "active"}}}}
	if !reflect.DeepEqual(st.RouteTables, wantRoutes) {
		t.Errorf("route tables:\n got %+v\nwant %+v", st.RouteTables, wantRoutes)
	}
	if got := awsAllocations(st); !slices.Equal(got, []string{"eipalloc-mgmt1@eni-mgmt1", "eipalloc-untrust@eni-untrust"}) {
		t.Errorf("addresses = %v", got)
	}
	wantCalls := map[string]uint64{
		OpDescribeInstances: 1, OpDescribeInstanceStatus: 1, OpDescribeNetworkInterfaces: 1,
		OpDescribeSubnets: 1, OpDescribeRouteTables: 1, OpDescribeAddresses: 1,
	}
	if !reflect.DeepEqual(calls, wantCalls) {
		t.Errorf("first poll calls = %v, want %v", calls, wantCalls)
	}

	// Subnets never change, so later polls read them from the cache.
	st2, calls := h.poll(t, awsPairTarget)
	delete(wantCalls, OpDescribeSubnets)
	if !reflect.DeepEqual(calls, wantCalls) {
		t.Errorf("steady poll calls = %v, want %v", calls, wantCalls)
	}
	if !reflect.DeepEqual(st2.Subnets, st.Subnets) || !reflect.DeepEqual(st2.ENIs, st.ENIs) {
		t.Errorf("second poll differs: %+v", st2)
	}
	t.Logf("EC2 API calls per pair per poll: first %d, steady %d", 6, awsTotal(calls))
}

func TestAWSProbeStoppedInstanceStaysVisible(t *testing.T) {
	w := awsPairWorld()
	w.Instances[1].State = "stopped"
	h := newAWSHarness(t, w)
	st, _ := h.poll(t, awsPairTarget)
	if len(st.Instances) != 2 {
		t.Fatalf("instances = %+v", st.Instances)
	}
	if i := st.Instances[1]; i.State != "stopped" || i.SystemStatus != "not-applicable" {
		t.Errorf("stopped instance = %+v", i)
	}
}

func TestAWSProbeMissingInstanceIsAbsentNotError(t *testing.T) {
	h := newAWSHarness(t, awsPairWorld())
	target := AWSTarget{Pair: "edge", Peers: []AWSPeer{{Name: "fw1", InstanceID: "i-fw1"}, {Name: "fw2", InstanceID: "i-gone"}}}
	st, _ := h.poll(t, target)
	if !st.OK() {
		t.Fatalf("errors: %v", st.Errors)
	}
	if len(st.Instances) != 1 || st.Instances[0].ID != "i-fw1" {
		t.Errorf("instances = %+v", st.Instances)
	}
}

func TestAWSProbeDiscoversByManagementIP(t *testing.T) {
	h := newAWSHarness(t, awsPairWorld())
	target := AWSTarget{Pair: "edge", Peers: []AWSPeer{
		{Name: "fw1", MgmtIP: "10.0.0.10"}, {Name: "fw2", MgmtIP: "10.0.0.11"},
	}}
	st, calls := h.poll(t, target)
	if !st.OK() {
		t.Fatalf("errors: %v", st.Errors)
	}
	if len(st.Instances) != 2 || st.Instances[0].ID != "i-fw1" || st.Instances[0].Peer != "fw1" ||
		st.Instances[1].ID != "i-fw2" || st.Instances[1].Peer != "fw2" {
		t.Errorf("instances = %+v", st.Instances)
	}
	if calls[OpDescribeNetworkInterfaces] != 2 || awsTotal(calls) != 7 {
		t.Errorf("discovery poll calls = %v", calls)
	}
	_, calls = h.poll(t, target)
	if calls[OpDescribeNetworkInterfaces] != 1 || awsTotal(calls) != 5 {
		t.Errorf("discovered IDs not remembered, calls = %v", calls)
	}

	// fw1 is replaced: its management ENI now belongs to a new instance.
	h.backend.change(func(w *ec2sim.World) {
		w.Instances[0].ID = "i-fw1-new"
		for i := range w.ENIs {
			if w.ENIs[i].InstanceID == "i-fw1" {
				w.ENIs[i].InstanceID = "i-fw1-new"
			}
		}
	})
	st, _ = h.poll(t, target)
	if !st.OK() || len(st.Instances) != 1 || st.Instances[0].ID != "i-fw2" {
		t.Errorf("replaced instance: errors %v, instances %+v", st.Errors, st.Instances)
	}
	st, _ = h.poll(t, target)
	if len(st.Instances) != 2 || st.Instances[0].ID != "i-fw1-new" || st.Instances[0].Peer != "fw1" {
		t.Errorf("replacement not rediscovered: %+v", st.Instances)
	}
}

func TestAWSProbeAmbiguousManagementIP(t *testing.T) {
	w := awsPairWorld()
	// The same private IP in another VPC, on another instance.
	w.ENIs = append(w.ENIs, ec2sim.ENI{ID: "eni-twin", VPCID: "vpc-2", SubnetID: "subnet-elsewhere", Status: "in-use",
		InstanceID: "i-twin", AttachmentStatus: "attached", PrivateIPs: []ec2sim.PrivateIP{{IP: "10.0.0.10", Primary: true}}})
	h := newAWSHarness(t, w)
	st, _ := h.poll(t, AWSTarget{Pair: "edge", Peers: []AWSPeer{{Name: "fw1", MgmtIP: "10.0.0.10"}}})
	if st.Errors[OpDescribeNetworkInterfaces] == nil || len(st.Instances) != 0 {
		t.Errorf("ambiguous ip: errors %v, instances %+v", st.Errors, st.Instances)
	}
}

func TestAWSProbeFollowsDetachedENI(t *testing.T) {
	h := newAWSHarness(t, awsPairWorld())
	h.poll(t, awsPairTarget)

	// A failover that went wrong: the trust ENI was detached from fw1 and
	// never attached to fw2.
	h.backend.change(func(w *ec2sim.World) {
		for i := range w.ENIs {
			if w.ENIs[i].ID == "eni-trust" {
				w.ENIs[i].InstanceID, w.ENIs[i].Status, w.ENIs[i].AttachmentStatus = "", "available", ""
			}
		}
	})
	st, calls := h.poll(t, awsPairTarget)
	if !st.OK() {
		t.Fatalf("errors: %v", st.Errors)
	}
	e, ok := awsFindENI(st, "eni-trust")
	if !ok || e.InstanceID != "" || e.DeviceIndex != -1 || e.Status != "available" || e.AttachmentStatus != "detached" {
		t.Errorf("detached eni = %+v (found %v)", e, ok)
	}
	if calls[OpDescribeNetworkInterfaces] != 2 {
		t.Errorf("DescribeNetworkInterfaces calls = %d, want 2", calls[OpDescribeNetworkInterfaces])
	}
	wantRoute := AWSRoute{Destination: "0.0.0.0/0", ENI: "eni-trust", State: "blackhole"}
	if len(st.RouteTables) != 1 || !reflect.DeepEqual(st.RouteTables[0].Routes, []AWSRoute{wantRoute}) {
		t.Errorf("route tables = %+v", st.RouteTables)
	}

	// The ENI is deleted: it is gone, but the blackhole route to it stays.
	h.backend.change(func(w *ec2sim.World) {
		w.ENIs = slices.DeleteFunc(w.ENIs, func(e ec2sim.ENI) bool { return e.ID == "eni-trust" })
	})
	st, _ = h.poll(t, awsPairTarget)
	if _, ok := awsFindENI(st, "eni-trust"); ok || len(st.RouteTables) != 1 {
		t.Errorf("after delete: enis %v, route tables %+v", awsENIIDs(st), st.RouteTables)
	}

	// Once the route is gone too, the ENI is forgotten and costs no call.
	h.backend.change(func(w *ec2sim.World) { w.RouteTables[0].Routes = w.RouteTables[0].Routes[:1] })
	h.poll(t, awsPairTarget)
	st, calls = h.poll(t, awsPairTarget)
	if len(st.RouteTables) != 0 || calls[OpDescribeNetworkInterfaces] != 1 {
		t.Errorf("after route removal: route tables %+v, calls %v", st.RouteTables, calls)
	}
}

func TestAWSProbeRouteToInstance(t *testing.T) {
	w := awsPairWorld()
	w.RouteTables[1].Routes = append(w.RouteTables[1].Routes, ec2sim.Route{Destination: "10.50.0.0/16", InstanceID: "i-fw2"})
	h := newAWSHarness(t, w)
	st, _ := h.poll(t, awsPairTarget)
	if len(st.RouteTables) != 2 || st.RouteTables[1].ID != "rtb-untrust" ||
		!reflect.DeepEqual(st.RouteTables[1].Routes, []AWSRoute{{Destination: "10.50.0.0/16", ENI: "eni-mgmt2", InstanceID: "i-fw2", State: "active"}}) {
		t.Errorf("route tables = %+v", st.RouteTables)
	}
}

func TestAWSProbeFollowsElasticIPLeftBehind(t *testing.T) {
	h := newAWSHarness(t, awsPairWorld())
	h.poll(t, awsPairTarget)
	h.backend.change(func(w *ec2sim.World) {
		w.Addresses[1].ENI, w.Addresses[1].PrivateIP, w.Addresses[1].AssociationID = "", "", ""
	})
	st, calls := h.poll(t, awsPairTarget)
	if got := awsAllocations(st); !slices.Equal(got, []string{"eipalloc-mgmt1@eni-mgmt1", "eipalloc-untrust@"}) {
		t.Errorf("addresses = %v", got)
	}
	if calls[OpDescribeAddresses] != 2 {
		t.Errorf("DescribeAddresses calls = %d, want 2", calls[OpDescribeAddresses])
	}
	// Re-associated with the other peer after the failover completes.
	h.backend.change(func(w *ec2sim.World) {
		w.Addresses[1].ENI, w.Addresses[1].PrivateIP = "eni-mgmt2", "10.0.0.11"
	})
	st, calls = h.poll(t, awsPairTarget)
	if got := awsAllocations(st); !slices.Equal(got, []string{"eipalloc-mgmt1@eni-mgmt1", "eipalloc-untrust@eni-mgmt2"}) ||
		calls[OpDescribeAddresses] != 1 {
		t.Errorf("addresses = %v, calls %v", got, calls)
	}
	if st.Addresses[1].InstanceID != "i-fw2" {
		t.Errorf("eip instance = %q", st.Addresses[1].InstanceID)
	}
}

// TestAWSProbeKeepsRouteTurnedBlackhole: a route that targeted the pair and
// now points, blackholed, at an ENI the pair never had (the ENI it targeted
// was deleted and replaced) is still the pair's route; an unrelated
// blackhole route in the same VPC is not.
func TestAWSProbeKeepsRouteTurnedBlackhole(t *testing.T) {
	w := awsPairWorld()
	h := newAWSHarness(t, w)
	st, _ := h.poll(t, awsPairTarget)
	if len(st.RouteTables) == 0 || st.RouteTables[0].ID != "rtb-trust" {
		t.Fatalf("route tables = %+v", st.RouteTables)
	}
	dest := st.RouteTables[0].Routes[0].Destination
	h.backend.change(func(w *ec2sim.World) {
		rt := &w.RouteTables[0]
		for i := range rt.Routes {
			if rt.Routes[i].Destination == dest {
				rt.Routes[i] = ec2sim.Route{Destination: dest, ENI: "eni-deleted", State: "blackhole"}
			}
		}
		rt.Routes = append(rt.Routes, ec2sim.Route{Destination: "10.99.0.0/16", ENI: "eni-other", State: "blackhole"})
	})
	st, _ = h.poll(t, awsPairTarget)
	want := []AWSRoute{{Destination: dest, ENI: "eni-deleted", State: "blackhole"}}
	if len(st.RouteTables) == 0 || !reflect.DeepEqual(st.RouteTables[0].Routes, want) {
		t.Errorf("route tables = %+v, want rtb-trust with %+v", st.RouteTables, want)
	}
}
