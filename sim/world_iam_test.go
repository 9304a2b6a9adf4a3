package sim

import (
	"slices"
	"testing"
)

func TestIAMControls(t *testing.T) {
	w := NewWorld(WorldOptions{})
	ec2 := w.World()
	for i, in := range ec2.Instances {
		if in.IAMProfileARN == "" || in.IAMProfileARN != w.IAM().Profiles[0].ARN() {
			t.Errorf("instance %d profile %q, want the VM-Series HA profile", i, in.IAMProfileARN)
		}
	}
	w.SetInstanceProfile(1, false)
	w.DenyIAMActions("ec2:ReplaceRoute")
	w.SetIAMAccessDenied(true)
	if got := w.World().Instances[1].IAMProfileARN; got != "" {
		t.Errorf("profile taken away, still %q", got)
	}
	iw := w.IAM()
	if !slices.Equal(iw.Roles[0].Deny, []string{"ec2:ReplaceRoute"}) || len(iw.Faults.AccessDenied) != 2 {
		t.Errorf("iam world %+v", iw)
	}
	w.RestoreAWS()
	if w.World().Instances[1].IAMProfileARN == "" || len(w.IAM().Roles[0].Deny) != 0 || len(w.IAM().Faults.AccessDenied) != 0 {
		t.Error("RestoreAWS must restore IAM too")
	}
}
