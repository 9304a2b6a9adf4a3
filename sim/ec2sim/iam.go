package ec2sim

import (
	"slices"
	"strings"
)

// IAMBackend is implemented by a Backend that also simulates IAM. The
// handler answers IAM calls from an empty IAM world (every instance
// profile and role unknown) when its Backend does not implement it.
type IAMBackend interface {
	IAM() IAMWorld
}

// IAMWorld is the IAM side of the simulated account: the instance
// profiles of the firewalls, their roles and what the roles may do.
type IAMWorld struct {
	Profiles []InstanceProfile
	Roles    []Role
	// InstanceProfiles maps an instance ID to the ARN of its instance
	// profile; an instance without a profile is absent. The EC2 world
	// does not carry the association, so tests and scenarios read it
	// here.
	InstanceProfiles map[string]string
	Faults           IAMFaults
}

// InstanceProfile is an IAM instance profile.
type InstanceProfile struct {
	Name string
	ID   string
	// Role is the name of the profile's role; empty for a profile
	// without one, whose instances get no credentials.
	Role string
}

// ARN returns the profile's ARN in the simulated account.
func (p InstanceProfile) ARN() string {
	return "arn:aws:iam::" + ownerID + ":instance-profile/" + p.Name
}

// Role is an IAM role and the effect of its policies.
type Role struct {
	Name string
	ID   string
	// Allow lists the actions its identity policies allow, such as
	// "ec2:AttachNetworkInterface"; a trailing "*" matches any suffix.
	Allow []string
	// Deny lists actions an explicit Deny statement refuses; it wins
	// over Allow.
	Deny []string
}

// ARN returns the role's ARN in the simulated account.
func (r Role) ARN() string { return "arn:aws:iam::" + ownerID + ":role/" + r.Name }

// IAMFaults are faults of the IAM API.
type IAMFaults struct {
	// Throttle makes every IAM call answer Throttling (HTTP 400).
	Throttle bool
	// AccessDenied lists IAM actions ("GetInstanceProfile",
	// "SimulatePrincipalPolicy") the caller is not allowed to call: they
	// answer AccessDenied (HTTP 403).
	AccessDenied []string
}

// VMSeriesHAActions are the EC2 actions the VM-Series HA feature calls at
// failover, for either AWS HA mode (Palo Alto Networks, "IAM Roles for
// HA").
var VMSeriesHAActions = []string{
	"ec2:AssignPrivateIpAddresses",
	"ec2:AssociateAddress",
	"ec2:AttachNetworkInterface",
	"ec2:DescribeInstances",
	"ec2:DescribeNetworkInterfaces",
	"ec2:DescribeRouteTables",
	"ec2:DetachNetworkInterface",
	"ec2:ReplaceRoute",
}

// Names of the IAM objects of VMSeriesIAM.
const (
	VMSeriesProfileName = "vmseries-ha"
	VMSeriesRoleName    = "vmseries-ha-role"
)

// VMSeriesIAM returns an IAM world where every given instance has the
// profile VMSeriesProfileName, whose role allows VMSeriesHAActions.
func VMSeriesIAM(instanceIDs ...string) IAMWorld {
	p := InstanceProfile{Name: VMSeriesProfileName, ID: "AIPA0A00000000000000A", Role: VMSeriesRoleName}
	w := IAMWorld{
		Profiles:         []InstanceProfile{p},
		Roles:            []Role{{Name: VMSeriesRoleName, ID: "AROA0A00000000000000A", Allow: slices.Clone(VMSeriesHAActions)}},
		InstanceProfiles: map[string]string{},
	}
	for _, id := range instanceIDs {
		w.InstanceProfiles[id] = p.ARN()
	}
	return w
}

// ProfileARN returns the ARN of an instance's profile, or "" for an
// instance without one.
func (w IAMWorld) ProfileARN(instanceID string) string { return w.InstanceProfiles[instanceID] }

// profile finds an instance profile by name.
func (w IAMWorld) profile(name string) (InstanceProfile, bool) {
	i := slices.IndexFunc(w.Profiles, func(p InstanceProfile) bool { return p.Name == name })
	if i < 0 {
		return InstanceProfile{}, false
	}
	return w.Profiles[i], true
}

// role finds a role by name.
func (w IAMWorld) role(name string) (Role, bool) {
	i := slices.IndexFunc(w.Roles, func(r Role) bool { return r.Name == name })
	if i < 0 {
		return Role{}, false
	}
	return w.Roles[i], true
}

// Decisions of SimulatePrincipalPolicy.
const (
	decisionAllowed      = "allowed"
	decisionImplicitDeny = "implicitDeny"
	decisionExplicitDeny = "explicitDeny"
)

// decide evaluates one action against the role's policies: an explicit
// deny wins, then an allow, else the implicit deny. IAM action names are
// case-insensitive.
func (r Role) decide(action string) string {
	switch {
	case matchesAny(r.Deny, action):
		return decisionExplicitDeny
	case matchesAny(r.Allow, action):
		return decisionAllowed
	}
	return decisionImplicitDeny
}

func matchesAny(patterns []string, action string) bool {
	a := strings.ToLower(action)
	for _, p := range patterns {
		p = strings.ToLower(p)
		if prefix, ok := strings.CutSuffix(p, "*"); ok && strings.HasPrefix(a, prefix) || p == a {
			return true
		}
	}
	return false
}
