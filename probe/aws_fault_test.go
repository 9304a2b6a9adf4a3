package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/hawatch/hawatch/sim/ec2sim"
)

// awsAssertErrorClean checks that an error names its operation and pair
// and carries no credential.
func awsAssertErrorClean(t *testing.T, op string, err error) {
	t.Helper()
	msg := err.Error()
	if !strings.Contains(msg, op) || !strings.Contains(msg, "edge") {
		t.Errorf("error %q does not name %s and the pair", msg, op)
	}
	if strings.Contains(msg, "AKIDTEST") || strings.Contains(msg, "secret") {
		t.Errorf("error %q leaks credentials", msg)
	}
}

func TestAWSProbeUnauthorizedOperation(t *testing.T) {
	w := awsPairWorld()
	w.Faults.Unauthorized = []string{"DescribeRouteTables"}
	h := newAWSHarness(t, w)
	st, _ := h.poll(t, awsPairTarget)
	if len(st.Errors) != 1 || st.Throttled {
		t.Fatalf("errors = %v, throttled %v", st.Errors, st.Throttled)
	}
	err := st.Errors[OpDescribeRouteTables]
	var ce *AWSCallError
	if !errors.As(err, &ce) || ce.Code != "UnauthorizedOperation" || ce.Operation != OpDescribeRouteTables || ce.Throttled {
		t.Fatalf("error = %#v", err)
	}
	awsAssertErrorClean(t, OpDescribeRouteTables, err)
	if st.RouteTables != nil || len(st.Instances) != 2 || len(st.ENIs) != 6 || len(st.Addresses) != 2 || len(st.Subnets) != 4 {
		t.Errorf("other parts missing: %+v", st)
	}
	if h.prober.Failures()[OpDescribeRouteTables] != 1 || h.prober.Failures()[OpDescribeInstances] != 0 {
		t.Errorf("failures = %v", h.prober.Failures())
	}
}

func TestAWSProbeStatusWithoutDescribeInstances(t *testing.T) {
	w := awsPairWorld()
	w.Faults.Unauthorized = []string{"DescribeInstances"}
	w.Instances[1].State = "stopped"
	h := newAWSHarness(t, w)
	st, _ := h.poll(t, awsPairTarget)
	if st.Errors[OpDescribeInstances] == nil || len(st.Errors) != 1 {
		t.Fatalf("errors = %v", st.Errors)
	}
	if len(st.Instances) != 2 || st.Instances[1].State != "stopped" || st.Instances[1].Peer != "fw2" ||
		st.Instances[0].SystemStatus != "ok" || st.Instances[0].PrivateIP != "" {
		t.Errorf("instances from status checks = %+v", st.Instances)
	}
}

func TestAWSProbeThrottled(t *testing.T) {
	w := awsPairWorld()
	w.Faults.Throttle = true
	h := newAWSHarness(t, w)
	st, calls := h.poll(t, awsPairTarget)
	if !st.Throttled || len(st.Errors) != 6 {
		t.Fatalf("throttled %v, errors %v", st.Throttled, st.Errors)
	}
	for op, err := range st.Errors {
		if errors.Is(err, ErrNotCalled) {
			if calls[op] != 0 {
				t.Errorf("%s marked not called after %d calls", op, calls[op])
			}
			continue
		}
		var ce *AWSCallError
		if !errors.As(err, &ce) || ce.Code != "RequestLimitExceeded" || !ce.Throttled {
			t.Errorf("%s: error = %v", op, err)
		}
		awsAssertErrorClean(t, op, err)
	}
	if len(st.Instances)+len(st.ENIs)+len(st.RouteTables)+len(st.Addresses)+len(st.Subnets) != 0 {
		t.Errorf("data despite throttling: %+v", st)
	}
	// Nothing to hang subnets and routes on: no VPC or ENI is known yet.
	// Each call that was made was tried twice by the SDK's retryer.
	for op, n := range calls {
		if got := h.sim.Calls()[op]; got != 2*int(n) {
			t.Errorf("%s: %d requests for %d calls", op, got, n)
		}
	}

	// Throttling over, then back during a later poll: the parts that
	// hang off remembered ENIs are still attempted.
	h.backend.change(func(w *ec2sim.World) { w.Faults.Throttle = false })
	if st, _ := h.poll(t, awsPairTarget); !st.OK() || st.Throttled {
		t.Fatalf("after throttling: %v", st.Errors)
	}
	h.backend.change(func(w *ec2sim.World) { w.Faults.Throttle = true })
	st, _ = h.poll(t, awsPairTarget)
	// Subnets hang off this poll's ENIs and instances, which are unknown.
	if len(st.Errors) != 6 || !errors.Is(st.Errors[OpDescribeSubnets], ErrNotCalled) {
		t.Errorf("errors = %v", st.Errors)
	}
}

func TestAWSProbeTimeoutKeepsCause(t *testing.T) {
	w := awsPairWorld()
	w.Faults.DelayMillis = 60_000
	h := newAWSHarness(t, w)
	cause := errors.New("aws poll deadline of pair edge")
	ctx, cancel := context.WithTimeoutCause(context.Background(), 20*time.Millisecond, cause)
	defer cancel()
	st := h.prober.Probe(ctx, awsPairTarget)
	err := st.Errors[OpDescribeInstances]
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, cause) {
		t.Fatalf("error = %v", err)
	}
	var ce *AWSCallError
	if errors.As(err, &ce) && ce.Code != "" {
		t.Errorf("timeout has code %q", ce.Code)
	}
	awsAssertErrorClean(t, OpDescribeInstances, err)
}

// awsManyRouteTables adds n route tables to the VPC, every third with a
// route to the pair.
func awsManyRouteTables(w *ec2sim.World, n int) {
	for i := range n {
		rt := ec2sim.RouteTable{ID: fmt.Sprintf("rtb-%03d", i), VPCID: "vpc-1",
			Routes: []ec2sim.Route{{Destination: "10.0.0.0/16", GatewayID: "local"}}}
		if i%3 == 0 {
			rt.Routes = append(rt.Routes, ec2sim.Route{Destination: fmt.Sprintf("10.%d.0.0/16", 100+i), ENI: "eni-untrust"})
		}
		w.RouteTables = append(w.RouteTables, rt)
	}
}

func TestAWSProbePaginates(t *testing.T) {
	w := awsPairWorld()
	awsManyRouteTables(&w, 27) // 30 tables in vpc-1 with rtb-trust, rtb-untrust, rtb-web
	h := newAWSHarness(t, w)
	h.prober.pageSize = 5
	st, calls := h.poll(t, awsPairTarget)
	if !st.OK() {
		t.Fatal(st.Errors)
	}
	if calls[OpDescribeRouteTables] != 6 {
		t.Errorf("DescribeRouteTables pages = %d, want 6", calls[OpDescribeRouteTables])
	}
	if len(st.RouteTables) != 10 || st.RouteTables[0].ID != "rtb-000" || st.RouteTables[9].ID != "rtb-trust" {
		t.Errorf("route tables = %d %+v", len(st.RouteTables), st.RouteTables)
	}
	if calls[OpDescribeNetworkInterfaces] != 2 || len(st.ENIs) != 6 {
		t.Errorf("ENI pages = %d, enis %v", calls[OpDescribeNetworkInterfaces], awsENIIDs(st))
	}
}

func TestAWSProbePageCap(t *testing.T) {
	w := awsPairWorld()
	awsManyRouteTables(&w, 27)
	h := newAWSHarness(t, w)
	h.prober.pageSize = 5
	h.prober.maxPages = 2
	st, calls := h.poll(t, awsPairTarget)
	if err := st.Errors[OpDescribeRouteTables]; !errors.Is(err, errAWSPageCap) || st.RouteTables != nil {
		t.Errorf("error = %v, route tables %+v", err, st.RouteTables)
	}
	if calls[OpDescribeRouteTables] != 2 {
		t.Errorf("pages = %d, want 2", calls[OpDescribeRouteTables])
	}
}

// awsRepeatTokens forwards to next with NextToken removed, so that every
// page is the first one and carries the same token again.
func awsRepeatTokens(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		form.Del("NextToken")
		enc := form.Encode()
		r.Body = io.NopCloser(strings.NewReader(enc))
		r.ContentLength = int64(len(enc))
		r.Header.Set("Content-Length", strconv.Itoa(len(enc)))
		next.ServeHTTP(w, r)
	})
}

func TestAWSProbeStopsOnRepeatedToken(t *testing.T) {
	awsTestEnv(t)
	w := awsPairWorld()
	awsManyRouteTables(&w, 27)
	sim := ec2sim.NewHandler(&awsTestBackend{w: w}, nil)
	srv := httptest.NewServer(awsRepeatTokens(sim))
	defer srv.Close()
	c, err := NewEC2Client(context.Background(), "us-east-1", srv.URL, nil, awsTestClientOptions)
	if err != nil {
		t.Fatal(err)
	}
	p := NewAWSProber(c, "us-east-1", nil)
	p.pageSize = 5
	st := p.Probe(context.Background(), awsPairTarget)
	if n := p.Calls()[OpDescribeRouteTables]; n != 2 {
		t.Errorf("DescribeRouteTables calls = %d, want 2", n)
	}
	// The first page twice: its tables are not duplicated.
	if len(st.RouteTables) != 2 || st.RouteTables[0].ID != "rtb-000" || st.RouteTables[1].ID != "rtb-trust" {
		t.Errorf("route tables = %+v", st.RouteTables)
	}
}

func TestNewEC2ClientHonoursEndpointEnvironment(t *testing.T) {
	awsTestEnv(t)
	w := awsPairWorld()
	sim := ec2sim.NewHandler(&awsTestBackend{w: w}, nil)
	srv := httptest.NewServer(sim)
	defer srv.Close()
	t.Setenv("AWS_ENDPOINT_URL_EC2", srv.URL)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	c, err := NewEC2Client(context.Background(), "eu-west-1", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.DescribeSubnets(context.Background(), &ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-ha"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Subnets) != 1 || aws.ToString(out.Subnets[0].CidrBlock) != "10.0.1.0/24" {
		t.Errorf("subnets = %+v", out.Subnets)
	}
}

func TestAWSCallErrorRedactsURL(t *testing.T) {
	inner := &url.Error{Op: "Post", URL: "https://user:hunter2@ec2.example.com/?X-Amz-Credential=AKIDTEST", Err: errors.New("dial tcp: refused")}
	err := newAWSCallError(context.Background(), "edge", OpDescribeSubnets, fmt.Errorf("operation error EC2: DescribeSubnets: %w", inner))
	msg := err.Error()
	if strings.Contains(msg, "hunter2") || strings.Contains(msg, "AKIDTEST") || !strings.Contains(msg, "ec2.example.com") {
		t.Errorf("error = %q", msg)
	}
	if err.Code != "" || err.Throttled {
		t.Errorf("network error classified as %q/%v", err.Code, err.Throttled)
	}
}

// With neither instances nor ENIs readable the pair's VPC is unknown, so the
// route tables and Elastic IPs are never asked for; the poll must say so
// instead of returning empty parts that read as "nothing there".
func TestAWSProbeMarksCallsNeverMade(t *testing.T) {
	w := awsPairWorld()
	w.Faults.Unauthorized = []string{"DescribeInstances", "DescribeNetworkInterfaces"}
	h := newAWSHarness(t, w)
	st, _ := h.poll(t, awsPairTarget)
	for _, op := range []string{OpDescribeRouteTables, OpDescribeAddresses, OpDescribeSubnets} {
		if err := st.Errors[op]; !errors.Is(err, ErrNotCalled) {
			t.Errorf("%s: error %v, want ErrNotCalled", op, err)
		}
		if h.prober.Calls()[op] != 0 || h.prober.Failures()[op] != 0 {
			t.Errorf("%s was counted as called: calls %v failures %v", op, h.prober.Calls(), h.prober.Failures())
		}
	}
	var ce *AWSCallError
	if !errors.As(st.Errors[OpDescribeInstances], &ce) || ce.Code != "UnauthorizedOperation" {
		t.Errorf("the real failure must stay as it was: %v", st.Errors[OpDescribeInstances])
	}
}
