package ec2sim

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// fixedBackend serves a world that tests may change between calls.
type fixedBackend struct {
	mu sync.Mutex
	w  World
}

func (b *fixedBackend) World() World {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w
}

func (b *fixedBackend) set(f func(*World)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f(&b.w)
}

type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

// start serves w and returns a real SDK client pointed at it.
func start(t *testing.T, w World) (*ec2.Client, *Handler, *fixedBackend, *httptest.Server) {
	t.Helper()
	b := &fixedBackend{w: w}
	h := NewHandler(b, nil)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := ec2.New(ec2.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		HTTPClient:   srv.Client(),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 2
			o.Backoff = noBackoff{}
			o.RateLimiter = ratelimit.None
		}),
	})
	return c, h, b, srv
}

func testWorld() World {
	w := World{Region: "us-east-1", VPCID: "vpc-1"}
	w.Instances = []Instance{
		{ID: "i-a", State: "running", SystemStatus: "ok", InstanceStatus: "ok", PrivateIP: "10.0.0.10",
			SubnetID: "subnet-mgmt", AZ: "us-east-1a", VPCID: "vpc-1", InstanceType: "m5.xlarge"},
		{ID: "i-b", State: "stopped", PrivateIP: "10.0.0.11",
			SubnetID: "subnet-mgmt", AZ: "us-east-1a", VPCID: "vpc-1", InstanceType: "m5.xlarge"},
	}
	w.ENIs = []ENI{
		{ID: "eni-a0", SubnetID: "subnet-mgmt", VPCID: "vpc-1", AZ: "us-east-1a", Status: "in-use",
			InstanceID: "i-a", DeviceIndex: 0, AttachmentStatus: "attached", SourceDestCheck: true,
			PrivateIPs: []PrivateIP{{IP: "10.0.0.10", Primary: true}}},
		{ID: "eni-b0", SubnetID: "subnet-mgmt", VPCID: "vpc-1", AZ: "us-east-1a", Status: "in-use",
			InstanceID: "i-b", DeviceIndex: 0, AttachmentStatus: "attached", SourceDestCheck: true,
			PrivateIPs: []PrivateIP{{IP: "10.0.0.11", Primary: true}}},
		{ID: "eni-data", SubnetID: "subnet-data", VPCID: "vpc-1", AZ: "us-east-1a", Status: "available",
			PrivateIPs: []PrivateIP{{IP: "10.0.1.10", Primary: true}, {IP: "10.0.1.100"}}},
	}
	w.Subnets = []Subnet{
		{ID: "subnet-mgmt", VPCID: "vpc-1", CIDR: "10.0.0.0/24", AZ: "us-east-1a"},
		{ID: "subnet-data", VPCID: "vpc-1", CIDR: "10.0.1.0/24", AZ: "us-east-1a"},
	}
	w.RouteTables = []RouteTable{{ID: "rtb-1", VPCID: "vpc-1", Subnets: []string{"subnet-data"}, Routes: []Route{
		{Destination: "10.0.0.0/16", GatewayID: "local", State: "active"},
		{Destination: "0.0.0.0/0", ENI: "eni-data", State: "active"},
		{Destination: "192.168.0.0/16", InstanceID: "i-a"},
	}}}
	w.Addresses = []Address{
		{AllocationID: "eipalloc-1", PublicIP: "203.0.113.1", AssociationID: "eipassoc-1", ENI: "eni-a0", PrivateIP: "10.0.0.10"},
		{AllocationID: "eipalloc-2", PublicIP: "203.0.113.2"},
	}
	return w
}

func apiCode(t *testing.T, err error) (string, int) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want an API error, got %v", err)
	}
	var re *smithyhttp.ResponseError
	status := 0
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	return ae.ErrorCode(), status
}

func TestUnsignedRequestRejected(t *testing.T) {
	_, h, _, srv := start(t, testWorld())
	resp, err := http.PostForm(srv.URL, url.Values{"Action": {"DescribeInstances"}, "Version": {apiVersion}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status = %d, want 401", resp.StatusCode)
	}
	var body struct {
		XMLName   xml.Name `xml:"Response"`
		Code      string   `xml:"Errors>Error>Code"`
		Message   string   `xml:"Errors>Error>Message"`
		RequestID string   `xml:"RequestID"`
	}
	if err := xml.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if body.Code != "AuthFailure" || body.RequestID == "" || body.Message == "" {
		t.Errorf("error body = %+v", body)
	}
	if len(h.Actions()) != 0 {
		t.Errorf("unsigned call recorded: %v", h.Actions())
	}
}

func TestDescribeInstancesPaginates(t *testing.T) {
	w := testWorld()
	w.Instances = nil
	for i := range 12 {
		w.Instances = append(w.Instances, Instance{ID: fmt.Sprintf("i-%02d", i), State: "running", VPCID: "vpc-1"})
	}
	w.Instances = append(w.Instances, Instance{ID: "i-other", State: "running", VPCID: "vpc-2"})
	c, h, _, _ := start(t, w)
	p := ec2.NewDescribeInstancesPaginator(c, &ec2.DescribeInstancesInput{
		Filters:    []types.Filter{{Name: aws.String("vpc-id"), Values: []string{"vpc-1"}}},
		MaxResults: aws.Int32(5),
	})
	var ids []string
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range out.Reservations {
			for _, in := range r.Instances {
				ids = append(ids, aws.ToString(in.InstanceId))
			}
		}
	}
	if pages != 3 || len(ids) != 12 || slices.Contains(ids, "i-other") {
		t.Errorf("pages=%d ids=%v", pages, ids)
	}
	if got := h.Calls()["DescribeInstances"]; got != 3 {
		t.Errorf("calls = %d, want 3", got)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name   string
		call   func(*ec2.Client) error
		code   string
		status int
	}{
		{"unknown filter", func(c *ec2.Client) error {
			_, err := c.DescribeRouteTables(context.Background(), &ec2.DescribeRouteTablesInput{
				Filters: []types.Filter{{Name: aws.String("route.network-interface-id"), Values: []string{"eni-data"}}}})
			return err
		}, "InvalidParameterValue", 400},
		{"unknown instance", func(c *ec2.Client) error {
			_, err := c.DescribeInstanceStatus(context.Background(), &ec2.DescribeInstanceStatusInput{InstanceIds: []string{"i-gone"}})
			return err
		}, "InvalidInstanceID.NotFound", 400},
		{"instance ids with max results", func(c *ec2.Client) error {
			_, err := c.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{
				InstanceIds: []string{"i-a"}, MaxResults: aws.Int32(5)})
			return err
		}, "InvalidParameterCombination", 400},
		{"max results out of range", func(c *ec2.Client) error {
			_, err := c.DescribeRouteTables(context.Background(), &ec2.DescribeRouteTablesInput{MaxResults: aws.Int32(500)})
			return err
		}, "InvalidParameterValue", 400},
		{"bad token", func(c *ec2.Client) error {
			_, err := c.DescribeSubnets(context.Background(), &ec2.DescribeSubnetsInput{NextToken: aws.String("bogus")})
			return err
		}, "InvalidPaginationToken", 400},
		{"dry run permitted", func(c *ec2.Client) error {
			_, err := c.DescribeSubnets(context.Background(), &ec2.DescribeSubnetsInput{DryRun: aws.Bool(true)})
			return err
		}, "DryRunOperation", 412},
		{"dry run unauthorized", func(c *ec2.Client) error {
			_, err := c.DescribeAddresses(context.Background(), &ec2.DescribeAddressesInput{DryRun: aws.Bool(true)})
			return err
		}, "UnauthorizedOperation", 403},
		{"unauthorized", func(c *ec2.Client) error {
			_, err := c.DescribeAddresses(context.Background(), &ec2.DescribeAddressesInput{})
			return err
		}, "UnauthorizedOperation", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := testWorld()
			w.Faults.Unauthorized = []string{"DescribeAddresses"}
			c, _, _, _ := start(t, w)
			code, status := apiCode(t, tt.call(c))
			if code != tt.code || status != tt.status {
				t.Errorf("got %s/%d, want %s/%d", code, status, tt.code, tt.status)
			}
		})
	}
}

func TestThrottle(t *testing.T) {
	w := testWorld()
	w.Faults.Throttle = true
	c, h, b, _ := start(t, w)
	_, err := c.DescribeSubnets(context.Background(), &ec2.DescribeSubnetsInput{})
	if code, status := apiCode(t, err); code != "RequestLimitExceeded" || status != 503 {
		t.Errorf("got %s/%d", code, status)
	}
	if got := h.Calls()["DescribeSubnets"]; got != 2 {
		t.Errorf("attempts = %d, want 2 (one retry)", got)
	}
	b.set(func(w *World) { w.Faults.Throttle = false })
	if _, err := c.DescribeSubnets(context.Background(), &ec2.DescribeSubnetsInput{}); err != nil {
		t.Errorf("after throttling ends: %v", err)
	}
}

func TestDelayGivesUpWithClient(t *testing.T) {
	w := testWorld()
	w.Faults.DelayMillis = 60_000
	c, _, _, _ := start(t, w)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want deadline exceeded", err)
	}
}

func TestActionsRecorded(t *testing.T) {
	c, h, _, _ := start(t, testWorld())
	ctx := context.Background()
	_, _ = c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	_, _ = c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{})
	_, _ = c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	if got := h.Actions(); !slices.Equal(got, []string{"DescribeAddresses", "DescribeSubnets"}) {
		t.Errorf("actions = %v", got)
	}
	if got := h.Calls(); got["DescribeSubnets"] != 2 || got["DescribeAddresses"] != 1 {
		t.Errorf("calls = %v", got)
	}
}

func TestUnknownAction(t *testing.T) {
	_, _, _, srv := start(t, testWorld())
	req, _ := http.NewRequest(http.MethodPost, srv.URL,
		strings.NewReader(url.Values{"Action": {"RunInstances"}, "Version": {apiVersion}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/20240101/us-east-1/ec2/aws4_request")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("status = %d, want 400", resp.StatusCode)
	}
}
