package probe

import "testing"

// TestAWSFailoverFields reads, through the real SDK and the simulator's
// EC2 XML, the fields failover prediction needs: instance type, zone and
// instance profile from DescribeInstances, and the attachment ID and
// DeleteOnTermination of each ENI from DescribeNetworkInterfaces.
func TestAWSFailoverFields(t *testing.T) {
	w := awsPairWorld()
	w.Instances[0].IAMProfileARN = "arn:aws:iam::123456789012:instance-profile/vmseries-ha"
	w.Instances[1].AZ = "us-east-1b"
	w.Instances[1].InstanceType = "c5n.2xlarge"
	for i := range w.ENIs {
		switch w.ENIs[i].ID {
		case "eni-untrust":
			w.ENIs[i].DeleteOnTermination = true
		case "eni-trust":
			w.ENIs[i].AttachmentID = "eni-attach-0trust"
		}
	}
	h := newAWSHarness(t, w)
	st, _ := h.poll(t, awsPairTarget)
	if len(st.Errors) > 0 {
		t.Fatalf("errors: %v", st.Errors)
	}
	inst := map[string]AWSInstance{}
	for _, i := range st.Instances {
		inst[i.ID] = i
	}
	want := map[string]AWSInstance{
		"i-fw1": {InstanceType: "m5.xlarge", AZ: "us-east-1a",
			IAMProfileARN: "arn:aws:iam::123456789012:instance-profile/vmseries-ha"},
		"i-fw2": {InstanceType: "c5n.2xlarge", AZ: "us-east-1b"},
	}
	for id, w := range want {
		got := inst[id]
		if got.InstanceType != w.InstanceType || got.AZ != w.AZ || got.IAMProfileARN != w.IAMProfileARN {
			t.Errorf("%s: type %q zone %q profile %q, want %q %q %q", id,
				got.InstanceType, got.AZ, got.IAMProfileARN, w.InstanceType, w.AZ, w.IAMProfileARN)
		}
	}
	eniWant := map[string]struct {
		attachment string
		deleteOnT  bool
	}{
		"eni-mgmt1":   {"eni-attach-mgmt1", true}, // device index 0
		"eni-ha1":     {"eni-attach-ha1", false},
		"eni-untrust": {"eni-attach-untrust", true},
		"eni-trust":   {"eni-attach-0trust", false},
	}
	for id, w := range eniWant {
		e, ok := awsFindENI(st, id)
		if !ok {
			t.Fatalf("no ENI %s", id)
		}
		if e.AttachmentID != w.attachment || e.DeleteOnTermination != w.deleteOnT {
			t.Errorf("%s: attachment %q delete-on-termination %v, want %q %v",
				id, e.AttachmentID, e.DeleteOnTermination, w.attachment, w.deleteOnT)
		}
	}
}
