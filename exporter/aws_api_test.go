package exporter

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hawatch/hawatch/snapshot"
)

// Pairs sharing an EC2 client carry that client's counters, each as of
// its own last AWS poll: the calls count once, at the latest value, not
// once per pair; a pair with a client of its own adds its calls.
func TestAWSAPICountsSharedClientsOnce(t *testing.T) {
	shared := func(name string, instances, failed uint64) *snapshot.Pair {
		p := awsPair(name)
		p.Stats.AWSClient = "eu-west-1"
		p.Stats.AWSRequests = map[string]uint64{"DescribeInstances": instances}
		p.Stats.AWSFailures = map[string]uint64{"DescribeInstances": failed}
		return p
	}
	own := awsPair("own")
	own.Stats.AWSRequests = map[string]uint64{"DescribeInstances": 5, "GetInstanceProfile": 1}
	own.Stats.AWSFailures = nil
	reg := register(t, &staticSource{pairs: []*snapshot.Pair{
		shared("a", 40, 3), shared("b", 41, 3), shared("c", 40, 2), own,
	}})
	want := `
# HELP hawatch_aws_api_requests_total EC2 and IAM API requests by operation, summed over regions.
# TYPE hawatch_aws_api_requests_total counter
hawatch_aws_api_requests_total{operation="DescribeInstances"} 46
hawatch_aws_api_requests_total{operation="GetInstanceProfile"} 1
# HELP hawatch_aws_api_request_failures_total EC2 and IAM API requests that failed, by operation, summed over regions.
# TYPE hawatch_aws_api_request_failures_total counter
hawatch_aws_api_request_failures_total{operation="DescribeInstances"} 3
hawatch_aws_api_request_failures_total{operation="GetInstanceProfile"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want),
		"hawatch_aws_api_requests_total", "hawatch_aws_api_request_failures_total"); err != nil {
		t.Error(err)
	}
}
