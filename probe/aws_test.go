package probe

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/hawatch/hawatch/sim/ec2sim"
)

// awsTestBackend serves a world the test may change between polls.
type awsTestBackend struct {
	mu sync.Mutex
	w  ec2sim.World
}

func (b *awsTestBackend) World() ec2sim.World {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w
}

func (b *awsTestBackend) change(f func(w *ec2sim.World)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f(&b.w)
}

type awsNoBackoff struct{}

func (awsNoBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

// awsTestEnv isolates the SDK's configuration from the machine's.
func awsTestEnv(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	for _, k := range []string{"AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EC2", "AWS_REGION", "AWS_DEFAULT_REGION"} {
		t.Setenv(k, "")
	}
}

// awsTestClientOptions give a client static test credentials and a fast
// retryer: two attempts, no backoff, no retry quota.
func awsTestClientOptions(o *ec2.Options) {
	o.Credentials = credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", "")
	o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
		so.MaxAttempts = 2
		so.Backoff = awsNoBackoff{}
		so.RateLimiter = ratelimit.None
	})
}

// awsHarness is a prober wired through the real SDK client to the
// simulator over real HTTP.
type awsHarness struct {
	backend *awsTestBackend
	sim     *ec2sim.Handler
	prober  *AWSProber
	client  *ec2.Client
}

func newAWSHarness(t *testing.T, w ec2sim.World) *awsHarness {
	t.Helper()
	awsTestEnv(t)
	b := &awsTestBackend{w: w}
	h := ec2sim.NewHandler(b, nil)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := NewEC2Client(context.Background(), "us-east-1", srv.URL, nil, awsTestClientOptions)
	if err != nil {
		t.Fatal(err)
	}
	return &awsHarness{backend: b, sim: h, prober: NewAWSProber(c, "us-east-1", nil), client: c}
}

// poll probes the pair and returns the status and the calls it made.
func (h *awsHarness) poll(t *testing.T, target AWSTarget) (*AWSStatus, map[string]uint64) {
	t.Helper()
	before := h.prober.Calls()
	st := h.prober.Probe(context.Background(), target)
	if st == nil {
		t.Fatal("Probe returned nil")
	}
	calls := map[string]uint64{}
	for op, n := range h.prober.Calls() {
		if d := n - before[op]; d > 0 {
			calls[op] = d
		}
	}
	return st, calls
}

func awsTotal(calls map[string]uint64) (n uint64) {
	for _, c := range calls {
		n += c
	}
	return n
}

var awsPairTarget = AWSTarget{Pair: "edge", Peers: []AWSPeer{
	{Name: "fw1", InstanceID: "i-fw1", MgmtIP: "10.0.0.10"},
	{Name: "fw2", InstanceID: "i-fw2", MgmtIP: "10.0.0.11"},
}}

// awsPairWorld is a VM-Series pair in a VPC with one unrelated instance.
// fw1 is active and holds the data-plane ENIs.
func awsPairWorld() ec2sim.World {
	eni := func(id, subnet, instance string, dev int, ips ...string) ec2sim.ENI {
		e := ec2sim.ENI{ID: id, SubnetID: subnet, VPCID: "vpc-1", AZ: "us-east-1a", Status: "in-use",
			InstanceID: instance, DeviceIndex: dev, AttachmentStatus: "attached", SourceDestCheck: dev < 2,
			MAC: "0e:00:00:00:00:0" + id[len(id)-1:]}
		for i, ip := range ips {
			e.PrivateIPs = append(e.PrivateIPs, ec2sim.PrivateIP{IP: ip, Primary: i == 0})
		}
		return e
	}
	return ec2sim.World{
		Region: "us-east-1", VPCID: "vpc-1",
		Instances: []ec2sim.Instance{
			{ID: "i-fw1", State: "running", SystemStatus: "ok", InstanceStatus: "ok", PrivateIP: "10.0.0.10",
				SubnetID: "subnet-mgmt", AZ: "us-east-1a", VPCID: "vpc-1", InstanceType: "m5.xlarge"},
			{ID: "i-fw2", State: "running", SystemStatus: "ok", InstanceStatus: "impaired", PrivateIP: "10.0.0.11",
				SubnetID: "subnet-mgmt", AZ: "us-east-1a", VPCID: "vpc-1", InstanceType: "m5.xlarge"},
			{ID: "i-web", State: "running", PrivateIP: "10.0.3.5", SubnetID: "subnet-trust", AZ: "us-east-1a", VPCID: "vpc-1"},
		},
		ENIs: []ec2sim.ENI{
			eni("eni-mgmt1", "subnet-mgmt", "i-fw1", 0, "10.0.0.10"),
			eni("eni-mgmt2", "subnet-mgmt", "i-fw2", 0, "10.0.0.11"),
			eni("eni-ha1", "subnet-ha", "i-fw1", 1, "10.0.1.10"),
			eni("eni-ha2", "subnet-ha", "i-fw2", 1, "10.0.1.11"),
			eni("eni-untrust", "subnet-untrust", "i-fw1", 2, "10.0.2.10", "10.0.2.100"),
			eni("eni-trust", "subnet-trust", "i-fw1", 3, "10.0.3.10"),
			eni("eni-web", "subnet-trust", "i-web", 0, "10.0.3.5"),
		},
		Subnets: []ec2sim.Subnet{
			{ID: "subnet-mgmt", VPCID: "vpc-1", CIDR: "10.0.0.0/24", AZ: "us-east-1a"},
			{ID: "subnet-ha", VPCID: "vpc-1", CIDR: "10.0.1.0/24", AZ: "us-east-1a"},
			{ID: "subnet-untrust", VPCID: "vpc-1", CIDR: "10.0.2.0/24", AZ: "us-east-1a"},
			{ID: "subnet-trust", VPCID: "vpc-1", CIDR: "10.0.3.0/24", AZ: "us-east-1a"},
			{ID: "subnet-elsewhere", VPCID: "vpc-2", CIDR: "10.9.0.0/24", AZ: "us-east-1b"},
		},
		RouteTables: []ec2sim.RouteTable{
			{ID: "rtb-trust", VPCID: "vpc-1", Subnets: []string{"subnet-trust"}, Routes: []ec2sim.Route{
				{Destination: "10.0.0.0/16", GatewayID: "local"},
				{Destination: "0.0.0.0/0", ENI: "eni-trust"},
			}},
			{ID: "rtb-untrust", VPCID: "vpc-1", Subnets: []string{"subnet-untrust"}, Routes: []ec2sim.Route{
				{Destination: "10.0.0.0/16", GatewayID: "local"},
				{Destination: "0.0.0.0/0", GatewayID: "igw-1"},
			}},
			{ID: "rtb-web", VPCID: "vpc-1", Routes: []ec2sim.Route{
				{Destination: "10.7.0.0/16", ENI: "eni-web"},
			}},
			{ID: "rtb-vpc2", VPCID: "vpc-2", Routes: []ec2sim.Route{
				{Destination: "0.0.0.0/0", ENI: "eni-trust"},
			}},
		},
		Addresses: []ec2sim.Address{
			{AllocationID: "eipalloc-mgmt1", PublicIP: "198.51.100.1", AssociationID: "eipassoc-m1", ENI: "eni-mgmt1", PrivateIP: "10.0.0.10"},
			{AllocationID: "eipalloc-untrust", PublicIP: "198.51.100.9", AssociationID: "eipassoc-u", ENI: "eni-untrust", PrivateIP: "10.0.2.100"},
			{AllocationID: "eipalloc-web", PublicIP: "198.51.100.5", AssociationID: "eipassoc-w", ENI: "eni-web", PrivateIP: "10.0.3.5"},
		},
	}
}

func awsENIIDs(st *AWSStatus) []string {
	var ids []string
	for _, e := range st.ENIs {
		ids = append(ids, e.ID)
	}
	return ids
}

func awsFindENI(st *AWSStatus, id string) (AWSENI, bool) {
	i := slices.IndexFunc(st.ENIs, func(e AWSENI) bool { return e.ID == id })
	if i < 0 {
		return AWSENI{}, false
	}
	return st.ENIs[i], true
}

func awsAllocations(st *AWSStatus) []string {
	var ids []string
	for _, a := range st.Addresses {
		ids = append(ids, a.AllocationID+"@"+a.ENI)
	}
	slices.Sort(ids)
	return ids
}
