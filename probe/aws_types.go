package probe

import "time"

// AWS HA modes of a VM-Series pair.
const (
	AWSModeSecondaryIP   = "secondary-ip"
	AWSModeInterfaceMove = "interface-move"
	AWSModeAuto          = "auto"
)

// AWSInstance is an EC2 instance of a peer and its status checks.
type AWSInstance struct {
	ID    string
	Peer  string // peer label; empty when not mapped
	State string // pending, running, stopping, stopped, ...
	// SystemStatus and InstanceStatus are the status checks: ok, impaired,
	// initializing, insufficient-data, not-applicable.
	SystemStatus   string
	InstanceStatus string
	PrivateIP      string
	SubnetID       string
	AZ             string
	VPCID          string
	// InstanceType is the EC2 instance type ("m5.xlarge"); it bounds the
	// private IPs an ENI of the instance can hold.
	InstanceType string
	// IAMProfileARN is the ARN of the IAM instance profile associated with
	// the instance, empty when it has none. The VM-Series HA plugin signs
	// its failover calls with this profile's role.
	IAMProfileARN string
}

// AWSPrivateIP is one private IPv4 address of an ENI.
type AWSPrivateIP struct {
	IP      string
	Primary bool
	// PublicIP is the Elastic or public IP associated with it, if any.
	PublicIP string
}

// AWSENI is an elastic network interface of a peer.
type AWSENI struct {
	ID       string
	SubnetID string
	VPCID    string
	AZ       string
	Status   string // available, in-use, attaching, detaching
	MAC      string
	// Attachment; InstanceID is empty when the ENI is detached.
	InstanceID       string
	DeviceIndex      int    // -1 when detached
	AttachmentStatus string // attaching, attached, detaching, detached
	PrivateIPs       []AWSPrivateIP
	SourceDestCheck  bool
	Description      string
	// AttachmentID names the attachment ("eni-attach-…"); empty when the
	// ENI is detached.
	AttachmentID string
	// DeleteOnTermination is the attachment's flag: AWS deletes the ENI,
	// and with it its addresses, when the instance is terminated.
	DeleteOnTermination bool
}

// AWSSubnet is a subnet of a peer ENI.
type AWSSubnet struct {
	ID    string
	VPCID string
	CIDR  string
	AZ    string
}

// AWSRoute is one route of a route table that targets a peer ENI or
// instance.
type AWSRoute struct {
	Destination string // IPv4 or IPv6 CIDR, or a prefix list ID
	ENI         string // target network interface; may be empty
	InstanceID  string // target instance; may be empty
	State       string // active or blackhole
}

// AWSRouteTable is a route table with the routes that matter to the pair.
type AWSRouteTable struct {
	ID     string
	VPCID  string
	Routes []AWSRoute
}

// AWSAddress is an Elastic IP and where it is associated.
type AWSAddress struct {
	AllocationID  string
	PublicIP      string
	AssociationID string
	ENI           string
	PrivateIP     string
	InstanceID    string
}

// AWSStatus is everything one AWS poll learnt about a pair. It is never
// modified after the poll that built it returns.
type AWSStatus struct {
	Region      string
	Instances   []AWSInstance
	ENIs        []AWSENI
	Subnets     []AWSSubnet
	RouteTables []AWSRouteTable
	Addresses   []AWSAddress
	// Errors maps an EC2 operation (e.g. "DescribeNetworkInterfaces") to
	// its error this poll; an operation that failed leaves its part empty,
	// which then means "unknown", not "nothing there".
	Errors map[string]error
	// Throttled is set when any call was throttled this poll.
	Throttled bool
	Start     time.Time
	End       time.Time
}

// OK reports whether every EC2 call of the poll succeeded.
func (a *AWSStatus) OK() bool { return a != nil && len(a.Errors) == 0 }
