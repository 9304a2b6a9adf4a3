package sim

import (
	"cmp"
	"slices"

	"github.com/hawatch/hawatch/sim/ec2sim"
)

// iamState is the IAM side of the simulated account: both firewalls carry
// the VM-Series HA instance profile unless a test takes one away, and its
// role allows every action the HA feature needs unless some are denied.
type iamState struct {
	noProfile    [2]bool
	denied       []string
	accessDenied bool // hawatch may not ask IAM at all
}

// profileARN is the instance profile of peer i, "" when it has none.
func (s *iamState) profileARN(i int) string {
	if i < len(s.noProfile) && s.noProfile[i] {
		return ""
	}
	return vmSeriesProfile().ARN()
}

func vmSeriesProfile() ec2sim.InstanceProfile {
	return ec2sim.VMSeriesIAM().Profiles[0]
}

// IAM returns the IAM side of the world, so that *World is an
// ec2sim.IAMBackend.
func (w *World) IAM() ec2sim.IAMWorld {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := &w.aws.iam
	iw := ec2sim.VMSeriesIAM()
	iw.Roles[0].Deny = slices.Clone(s.denied)
	if s.accessDenied {
		iw.Faults.AccessDenied = []string{"GetInstanceProfile", "SimulatePrincipalPolicy"}
	}
	return iw
}

// SetInstanceProfile gives peer i's instance the VM-Series HA instance
// profile, or takes it away.
func (w *World) SetInstanceProfile(i int, present bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.aws.iam.noProfile[i] = !present
	w.logger.Info("instance profile", "peer", PeerName(i), "present", present)
}

// DenyIAMActions makes the firewalls' role deny the given EC2 actions
// ("ec2:ReplaceRoute"); none restores the full policy.
func (w *World) DenyIAMActions(actions ...string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.aws.iam.denied = slices.Clone(actions)
	w.logger.Info("iam actions denied", "actions", actions)
}

// SetIAMAccessDenied makes IAM refuse hawatch's own questions
// (GetInstanceProfile, SimulatePrincipalPolicy).
func (w *World) SetIAMAccessDenied(on bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.aws.iam.accessDenied = on
	w.logger.Info("iam access denied", "on", on)
}

// SetInstanceAZ places peer i's instance in another availability zone
// ("" puts it back in AZ); ENIs cannot follow it there at failover.
func (w *World) SetInstanceAZ(i int, az string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.aws.instanceAZ[i] = az
	w.logger.Info("instance placed", "peer", PeerName(i), "az", cmp.Or(az, AZ))
}
