// Package ec2sim serves the subset of the EC2 Query API that hawatch calls,
// over plain HTTP, from a World supplied by a Backend. It answers in the
// EC2 XML namespace with the real error format, requires a SigV4
// Authorization header, and records the actions called.
package ec2sim

// Backend supplies the world the server answers from. World must return a
// copy that the server may keep; it is called once per request.
type Backend interface {
	World() World
}

// World is the AWS side of the simulated pair.
type World struct {
	Region      string
	VPCID       string
	Instances   []Instance
	ENIs        []ENI
	Subnets     []Subnet
	RouteTables []RouteTable
	Addresses   []Address
	Faults      Faults
}

// Faults are API-level faults the server injects.
type Faults struct {
	// Throttle makes every call answer RequestLimitExceeded (HTTP 503).
	Throttle bool
	// Unauthorized lists actions answered with UnauthorizedOperation (403).
	Unauthorized []string
	// DelayMillis delays every reply.
	DelayMillis int
}

// Instance is an EC2 instance.
type Instance struct {
	ID             string
	State          string // pending, running, stopping, stopped
	SystemStatus   string // ok, impaired, initializing
	InstanceStatus string
	PrivateIP      string // primary IP of device index 0
	SubnetID       string
	AZ             string
	VPCID          string
	InstanceType   string
	// IAMProfileARN is the ARN of the instance's IAM instance profile;
	// empty for an instance launched without one.
	IAMProfileARN string
}

// PrivateIP is one private IPv4 address of an ENI.
type PrivateIP struct {
	IP      string
	Primary bool
}

// ENI is an elastic network interface.
type ENI struct {
	ID               string
	SubnetID         string
	VPCID            string
	AZ               string
	Status           string // available, in-use, attaching, detaching
	MAC              string
	Description      string
	AttachmentID     string
	InstanceID       string // empty when detached
	DeviceIndex      int
	AttachmentStatus string // attaching, attached, detaching, detached
	PrivateIPs       []PrivateIP
	SourceDestCheck  bool
	// DeleteOnTermination sets the attachment's flag on an ENI attached at
	// a device index other than 0. The primary ENI (device index 0) always
	// has it, as an instance launched with default settings does.
	DeleteOnTermination bool
}

// Subnet is a VPC subnet.
type Subnet struct {
	ID    string
	VPCID string
	CIDR  string
	AZ    string
}

// Route is one route of a route table.
type Route struct {
	Destination string
	GatewayID   string // "local", igw-...
	ENI         string
	InstanceID  string
	State       string // active, blackhole
}

// RouteTable is a VPC route table.
type RouteTable struct {
	ID      string
	VPCID   string
	Subnets []string // associated subnet IDs
	Routes  []Route
}

// Address is an Elastic IP.
type Address struct {
	AllocationID  string
	PublicIP      string
	AssociationID string
	ENI           string
	PrivateIP     string
	InstanceID    string
}
