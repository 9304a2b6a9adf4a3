package probe

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// IAM operations the IAM check calls. They key IAMStatus.Errors and the
// call counters.
const (
	OpGetInstanceProfile      = "GetInstanceProfile"
	OpSimulatePrincipalPolicy = "SimulatePrincipalPolicy"
)

// IAMOperations returns every IAM operation the IAM check may call, sorted.
func IAMOperations() []string {
	return []string{OpGetInstanceProfile, OpSimulatePrincipalPolicy}
}

// HAAction is an EC2 action the VM-Series HA feature calls at failover
// and the AWS HA modes that need it.
type HAAction struct {
	Name                       string
	InterfaceMove, SecondaryIP bool
}

// HAActions are the EC2 actions Palo Alto Networks documents as needed in
// each firewall's instance profile for HA on AWS ("IAM Roles for HA"; the
// page's table lost its per-mode marks in the copies read, so the modes
// of the last four are inferred, see docs/failover-readiness.md). They are
// the one list both the IAM check (what to ask) and the failover
// prediction (what to judge) use.
func HAActions() []HAAction {
	return []HAAction{
		{"ec2:AttachNetworkInterface", true, true},
		{"ec2:DescribeNetworkInterfaces", true, true},
		{"ec2:DetachNetworkInterface", true, true},
		{"ec2:DescribeInstances", true, true},
		{"ec2:AssociateAddress", false, true},
		{"ec2:AssignPrivateIpAddresses", false, true},
		{"ec2:DescribeRouteTables", false, true},
		{"ec2:ReplaceRoute", false, true},
	}
}

// VMSeriesHAActions returns the names of the HAActions a firewall's role
// needs for an AWS HA mode (AWSModeInterfaceMove, AWSModeSecondaryIP); for
// any other mode, AWSModeAuto included, those of both modes. Sorted.
func VMSeriesHAActions(mode string) []string {
	var out []string
	for _, a := range HAActions() {
		switch {
		case mode == AWSModeInterfaceMove && !a.InterfaceMove,
			mode == AWSModeSecondaryIP && !a.SecondaryIP:
			continue
		}
		out = append(out, a.Name)
	}
	slices.Sort(out)
	return out
}

// IAMAPI is the part of the IAM client the IAM check uses.
type IAMAPI interface {
	GetInstanceProfile(ctx context.Context, params *iam.GetInstanceProfileInput, optFns ...func(*iam.Options)) (*iam.GetInstanceProfileOutput, error)
	iam.SimulatePrincipalPolicyAPIClient
}

// IAMSigningRegion returns the region IAM requests are signed for in the
// partition of region: IAM is global, with one endpoint per partition.
func IAMSigningRegion(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "cn-north-1"
	case strings.HasPrefix(region, "us-gov-"):
		return "us-gov-west-1"
	}
	return "us-east-1"
}

// NewIAMClient returns an IAM client for the partition of region using the
// SDK's default credential chain. A non-empty endpoint replaces the IAM
// endpoint; when it is empty the SDK's own settings, such as
// AWS_ENDPOINT_URL_IAM, apply. The SDK's own log lines go to logger (nil
// discards them). optFns adjust the client further.
func NewIAMClient(ctx context.Context, region, endpoint string, logger *slog.Logger, optFns ...func(*iam.Options)) (*iam.Client, error) {
	signing := IAMSigningRegion(region)
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(signing), config.WithLogger(SDKLogger(logger)))
	if err != nil {
		return nil, fmt.Errorf("load aws configuration for iam (%s): %w", signing, err)
	}
	if endpoint != "" {
		optFns = append([]func(*iam.Options){func(o *iam.Options) { o.BaseEndpoint = aws.String(endpoint) }}, optFns...)
	}
	return iam.NewFromConfig(cfg, optFns...), nil
}

// IAMTarget says which instance profiles to check for one pair.
type IAMTarget struct {
	Pair string
	// Profiles maps each peer to its instance's profile ARN, "" for an
	// instance without one. A peer whose instance is unknown is left out
	// and gets no result.
	Profiles map[string]string
	// Actions are the EC2 actions to simulate, e.g.
	// "ec2:AttachNetworkInterface" (see VMSeriesHAActions).
	Actions []string
}

// IAMPeerResult is what IAM says one peer's instance profile allows.
type IAMPeerResult struct {
	// Profile is Yes when the instance has a profile, No when it has none.
	Profile    Tri
	ProfileARN string
	// RoleARN is the profile's role; empty for a profile without one, or
	// when the profile could not be read.
	RoleARN string
	// Actions maps each asked EC2 action to Yes (allowed), No (implicitly
	// or explicitly denied, or no role to allow it) or Unknown (IAM could
	// not be asked; Err says why).
	Actions map[string]Tri
	// Err is why the actions are unknown, or why they are all No (the
	// profile or role does not exist); nil otherwise.
	Err error
	// Checked is when IAM answered for this profile; zero when it did not.
	Checked time.Time
}

// IAMStatus is what one IAM check learnt about a pair.
type IAMStatus struct {
	Peers map[string]IAMPeerResult
	// Errors maps an IAM operation to its first error this check; the
	// peers it concerns have Unknown actions.
	Errors map[string]error
	// Throttled is set when any IAM call was throttled.
	Throttled bool
	End       time.Time
}

// OK reports whether every IAM call of the check succeeded.
func (s *IAMStatus) OK() bool { return s != nil && len(s.Errors) == 0 }

// IAMCallError is an IAM call that failed, after the SDK's own retries.
type IAMCallError struct {
	Pair string
	// Profile is the instance profile ARN the call was about; both peers
	// usually share it.
	Profile   string
	Operation string
	// Code is the IAM error code, such as AccessDenied, NoSuchEntity or
	// Throttling; empty when no API error came back.
	Code      string
	Throttled bool
	Err       error
}

// Error names the operation, the pair and the profile, then the SDK's
// error.
func (e *IAMCallError) Error() string {
	return fmt.Sprintf("iam %s for pair %s, instance profile %s: %v", e.Operation, e.Pair, e.Profile, e.Err)
}

// Unwrap returns the SDK's error.
func (e *IAMCallError) Unwrap() error { return e.Err }

// newIAMCallError classifies and redacts err as EC2 call errors are.
func newIAMCallError(ctx context.Context, pair, profile, op string, err error) *IAMCallError {
	a := newAWSCallError(ctx, pair, op, err)
	return &IAMCallError{Pair: pair, Profile: profile, Operation: op, Code: a.Code, Throttled: a.Throttled, Err: a.Err}
}
