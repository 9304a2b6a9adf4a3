package probe

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"
)

// EC2 operations the AWS probe calls, spelt as IAM and the EC2 API spell
// them. They key AWSStatus.Errors and the call counters.
const (
	OpDescribeInstances         = "DescribeInstances"
	OpDescribeInstanceStatus    = "DescribeInstanceStatus"
	OpDescribeNetworkInterfaces = "DescribeNetworkInterfaces"
	OpDescribeSubnets           = "DescribeSubnets"
	OpDescribeRouteTables       = "DescribeRouteTables"
	OpDescribeAddresses         = "DescribeAddresses"
)

// AWSOperations returns every EC2 operation the AWS probe may call, sorted.
func AWSOperations() []string {
	return []string{
		OpDescribeAddresses, OpDescribeInstanceStatus, OpDescribeInstances,
		OpDescribeNetworkInterfaces, OpDescribeRouteTables, OpDescribeSubnets,
	}
}

// EC2API is the part of the EC2 client the AWS probe uses: the SDK's own
// paginated client interfaces, plus DescribeAddresses, which EC2 does not
// paginate.
type EC2API interface {
	ec2.DescribeInstancesAPIClient
	ec2.DescribeInstanceStatusAPIClient
	ec2.DescribeNetworkInterfacesAPIClient
	ec2.DescribeSubnetsAPIClient
	ec2.DescribeRouteTablesAPIClient
	DescribeAddresses(ctx context.Context, params *ec2.DescribeAddressesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeAddressesOutput, error)
}

// NewEC2Client returns an EC2 client for region using the SDK's default
// credential chain. A non-empty endpoint replaces the EC2 endpoint; when it
// is empty the SDK's own settings, such as AWS_ENDPOINT_URL_EC2, apply.
// The SDK's own log lines, the credential chain's included, go to logger
// (nil discards them). optFns adjust the client further (retryer,
// credentials, HTTP client).
func NewEC2Client(ctx context.Context, region, endpoint string, logger *slog.Logger, optFns ...func(*ec2.Options)) (*ec2.Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(region), config.WithLogger(SDKLogger(logger)))
	if err != nil {
		return nil, fmt.Errorf("load aws configuration for region %q: %w", region, err)
	}
	if endpoint != "" {
		optFns = append([]func(*ec2.Options){func(o *ec2.Options) { o.BaseEndpoint = aws.String(endpoint) }}, optFns...)
	}
	return ec2.NewFromConfig(cfg, optFns...), nil
}

// awsMaxAttempts is how many times the SDK tries a call: enough to ride out
// a burst of throttling, few enough to fit an AWS poll's deadline.
const awsMaxAttempts = 4

// NewAWSRetryer returns the SDK's adaptive retryer, which, besides
// retrying with backoff, slows the client's own request rate while EC2
// throttles it: one client serves every pair of a region, so it is the
// one that must back off.
func NewAWSRetryer() aws.Retryer {
	return throttleNoting{retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
		o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) {
			so.MaxAttempts = awsMaxAttempts
		})
	})}
}

// AWSCallError is an EC2 call that failed during a poll, after the SDK's
// own retries.
type AWSCallError struct {
	Pair      string
	Operation string
	// Code is the EC2 error code, such as UnauthorizedOperation or
	// RequestLimitExceeded; empty when no API error came back (timeouts,
	// network errors).
	Code string
	// Throttled is set for throttling error codes.
	Throttled bool
	Err       error
}

// Error names the operation and the pair, then the SDK's error.
func (e *AWSCallError) Error() string {
	return fmt.Sprintf("ec2 %s for pair %s: %v", e.Operation, e.Pair, e.Err)
}

// Unwrap returns the SDK's error.
func (e *AWSCallError) Unwrap() error { return e.Err }

// newAWSCallError classifies err and strips anything secret from it. The
// cause of a canceled poll is kept, so a poll deadline reads as such.
func newAWSCallError(ctx context.Context, pair, op string, err error) *AWSCallError {
	// Request errors carry the endpoint URL, which may hold user info;
	// wrappers may already have formatted it into their message.
	var ue *url.Error
	if errors.As(err, &ue) {
		raw, clean := ue.URL, redactURL(ue.URL)
		ue.URL = clean
		err = &awsRedactedError{msg: strings.ReplaceAll(err.Error(), raw, clean), err: err}
	}
	if ctx.Err() != nil {
		if cause := context.Cause(ctx); !errors.Is(err, cause) {
			err = fmt.Errorf("%w: %w", err, cause)
		}
	}
	e := &AWSCallError{Pair: pair, Operation: op, Err: err}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		e.Code = ae.ErrorCode()
		_, e.Throttled = retry.DefaultThrottleErrorCodes[e.Code]
	}
	if !e.Throttled && throttleNoted(ctx) {
		// The SDK retried a throttled call until the poll ran out of time.
		e.Throttled = true
		e.Err = fmt.Errorf("throttled by EC2 (RequestLimitExceeded or similar), then: %w", e.Err)
	}
	return e
}

// awsRedactedError is an error whose message had secrets removed.
type awsRedactedError struct {
	msg string
	err error
}

func (e *awsRedactedError) Error() string { return e.msg }

func (e *awsRedactedError) Unwrap() error { return e.err }

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<unparsable url>"
	}
	u.User = nil
	u.RawQuery = ""
	u.Fragment = ""
	return u.String()
}

// awsCounter counts calls and failures of each EC2 operation. Every page of
// a paginated call counts once.
type awsCounter struct {
	api EC2API

	mu       sync.Mutex
	calls    map[string]uint64
	failures map[string]uint64
}

func newAWSCounter(api EC2API) *awsCounter {
	return &awsCounter{api: api, calls: map[string]uint64{}, failures: map[string]uint64{}}
}

func (c *awsCounter) count(op string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[op]++
	if err != nil {
		c.failures[op]++
	}
}

func (c *awsCounter) snapshot(m map[string]uint64) map[string]uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]uint64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (c *awsCounter) DescribeInstances(ctx context.Context, in *ec2.DescribeInstancesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeInstancesOutput, error) {
	out, err := c.api.DescribeInstances(ctx, in, optFns...)
	c.count(OpDescribeInstances, err)
	return out, err
}

func (c *awsCounter) DescribeInstanceStatus(ctx context.Context, in *ec2.DescribeInstanceStatusInput, optFns ...func(*ec2.Options)) (*ec2.DescribeInstanceStatusOutput, error) {
	out, err := c.api.DescribeInstanceStatus(ctx, in, optFns...)
	c.count(OpDescribeInstanceStatus, err)
	return out, err
}

func (c *awsCounter) DescribeNetworkInterfaces(ctx context.Context, in *ec2.DescribeNetworkInterfacesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeNetworkInterfacesOutput, error) {
	out, err := c.api.DescribeNetworkInterfaces(ctx, in, optFns...)
	c.count(OpDescribeNetworkInterfaces, err)
	return out, err
}

func (c *awsCounter) DescribeSubnets(ctx context.Context, in *ec2.DescribeSubnetsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error) {
	out, err := c.api.DescribeSubnets(ctx, in, optFns...)
	c.count(OpDescribeSubnets, err)
	return out, err
}

func (c *awsCounter) DescribeRouteTables(ctx context.Context, in *ec2.DescribeRouteTablesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeRouteTablesOutput, error) {
	out, err := c.api.DescribeRouteTables(ctx, in, optFns...)
	c.count(OpDescribeRouteTables, err)
	return out, err
}

func (c *awsCounter) DescribeAddresses(ctx context.Context, in *ec2.DescribeAddressesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeAddressesOutput, error) {
	out, err := c.api.DescribeAddresses(ctx, in, optFns...)
	c.count(OpDescribeAddresses, err)
	return out, err
}

// awsPager is what every SDK paginator offers.
type awsPager[T any] interface {
	HasMorePages() bool
	NextPage(ctx context.Context, optFns ...func(*ec2.Options)) (T, error)
}

// errAWSPageCap reports a listing cut short by the page cap.
var errAWSPageCap = errors.New("too many pages")

// awsEachPage walks a paginator, at most maxPages pages.
func awsEachPage[T any](ctx context.Context, p awsPager[T], maxPages int, fn func(T)) error {
	for n := 0; p.HasMorePages(); n++ {
		if n == maxPages {
			return fmt.Errorf("%w: stopped after %d", errAWSPageCap, maxPages)
		}
		out, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		fn(out)
	}
	return nil
}
