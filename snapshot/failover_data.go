package snapshot

import (
	"cmp"

	"github.com/hawatch/hawatch/probe"
)

// haAction is an EC2 action the VM-Series HA plugin calls at failover.
type haAction struct {
	name      string
	move      bool // needed in interface-move mode
	secondary bool // needed in secondary-ip mode
	// fails says what the new active peer could not do without it.
	fails string
}

// haActions are probe.HAActions with what the new active peer could not
// do without each.
func haActions() []haAction {
	fails := map[string]string{
		"ec2:AttachNetworkInterface":    "attach the data-plane ENIs to itself",
		"ec2:DescribeNetworkInterfaces": "read the ENIs it must move",
		"ec2:DetachNetworkInterface":    "detach the data-plane ENIs from the failed peer",
		"ec2:DescribeInstances":         "find the instances of the pair",
		"ec2:AssociateAddress":          "move the Elastic IPs of the floating addresses",
		"ec2:AssignPrivateIpAddresses":  "take over the floating secondary IPs",
		"ec2:DescribeRouteTables":       "find the routes that point at the failed peer",
		actionReplaceRoute:              "repoint the routes to itself",
	}
	var out []haAction
	for _, a := range probe.HAActions() {
		out = append(out, haAction{name: a.Name, move: a.InterfaceMove, secondary: a.SecondaryIP,
			fails: cmp.Or(fails[a.Name], "do its part of the failover")})
	}
	return out
}

// RequiredHAActions returns the EC2 actions ("ec2:AttachNetworkInterface")
// that Palo Alto Networks documents as needed by a VM-Series HA pair on
// AWS in the given mode (probe.AWSModeInterfaceMove or AWSModeSecondaryIP);
// nil for any other mode. The caller owns the slice.
func RequiredHAActions(mode string) []string {
	var out []string
	for _, a := range haActions() {
		if (mode == probe.AWSModeInterfaceMove && a.move) || (mode == probe.AWSModeSecondaryIP && a.secondary) {
			out = append(out, a.name)
		}
	}
	return out
}

// actionsFor returns the actions to judge in a mode: those of the mode, or
// when the mode is unknown those both modes need.
func actionsFor(mode string) []haAction {
	var out []haAction
	for _, a := range haActions() {
		switch mode {
		case probe.AWSModeInterfaceMove:
			if a.move {
				out = append(out, a)
			}
		case probe.AWSModeSecondaryIP:
			if a.secondary {
				out = append(out, a)
			}
		default:
			if a.move && a.secondary {
				out = append(out, a)
			}
		}
	}
	return out
}

// ipv4PerENI returns how many private IPv4 addresses (the primary one
// included) one network interface of the instance type can hold, for the
// instance types VM-Series runs on. Source: Amazon EC2 User Guide,
// "Maximum IP addresses per network interface",
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/AvailableIpPerENI.html
// (the Ipv4AddressesPerInterface of DescribeInstanceTypes); values checked
// against aws/amazon-vpc-cni-k8s pkg/vpc/vpc_ip_resource_limit.go, which is
// generated from DescribeInstanceTypes.
func ipv4PerENI(instanceType string) (int, bool) {
	switch instanceType {
	case "c5.large", "c5n.large", "m5.large", "m5n.large", "r5.large", "r5n.large",
		"c6i.large", "c6in.large", "m6i.large", "m6in.large", "r6i.large", "c7i.large", "m7i.large":
		return 10, true
	case "c5.xlarge", "c5n.xlarge", "m5.xlarge", "m5n.xlarge", "r5.xlarge", "r5n.xlarge",
		"c6i.xlarge", "c6in.xlarge", "m6i.xlarge", "m6in.xlarge", "r6i.xlarge", "c7i.xlarge", "m7i.xlarge",
		"c5.2xlarge", "c5n.2xlarge", "m5.2xlarge", "m5n.2xlarge", "r5.2xlarge", "r5n.2xlarge",
		"c6i.2xlarge", "c6in.2xlarge", "m6i.2xlarge", "m6in.2xlarge", "r6i.2xlarge", "c7i.2xlarge", "m7i.2xlarge":
		return 15, true
	case "c5.4xlarge", "c5n.4xlarge", "m5.4xlarge", "m5n.4xlarge", "r5.4xlarge", "r5n.4xlarge",
		"c6i.4xlarge", "c6in.4xlarge", "m6i.4xlarge", "m6in.4xlarge", "r6i.4xlarge", "c7i.4xlarge", "m7i.4xlarge",
		"c5.9xlarge", "c5n.9xlarge", "c5.12xlarge",
		"m5.8xlarge", "m5n.8xlarge", "r5.8xlarge", "r5n.8xlarge", "m5.12xlarge", "m5n.12xlarge", "r5.12xlarge", "r5n.12xlarge",
		"c6i.8xlarge", "c6in.8xlarge", "m6i.8xlarge", "m6in.8xlarge", "r6i.8xlarge", "c7i.8xlarge", "m7i.8xlarge",
		"c6i.12xlarge", "c6in.12xlarge", "m6i.12xlarge", "m6in.12xlarge", "r6i.12xlarge", "c7i.12xlarge", "m7i.12xlarge":
		return 30, true
	case "c5.18xlarge", "c5n.18xlarge", "c5.24xlarge", "c5.metal", "c5n.metal",
		"m5.16xlarge", "m5n.16xlarge", "r5.16xlarge", "r5n.16xlarge",
		"m5.24xlarge", "m5n.24xlarge", "r5.24xlarge", "r5n.24xlarge", "m5.metal", "m5n.metal", "r5.metal", "r5n.metal",
		"c6i.16xlarge", "c6in.16xlarge", "m6i.16xlarge", "m6in.16xlarge", "r6i.16xlarge", "c7i.16xlarge", "m7i.16xlarge",
		"c6i.24xlarge", "c6in.24xlarge", "m6i.24xlarge", "m6in.24xlarge", "r6i.24xlarge", "c7i.24xlarge", "m7i.24xlarge",
		"c6i.32xlarge", "c6in.32xlarge", "m6i.32xlarge", "m6in.32xlarge", "r6i.32xlarge", "c7i.32xlarge",
		"c7i.48xlarge", "m7i.48xlarge", "c6i.metal", "c6in.metal", "m6i.metal", "m6in.metal", "r6i.metal":
		return 50, true
	}
	return 0, false
}
