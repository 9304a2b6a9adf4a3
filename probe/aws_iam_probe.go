package probe

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// ErrNoRole marks an instance profile without a role: its instances get no
// credentials, so none of the actions is allowed.
var ErrNoRole = errors.New("instance profile has no role")

// IAMProber asks IAM what the firewalls' instance profiles allow: one
// GetInstanceProfile (profile to role) and one SimulatePrincipalPolicy
// (role against the actions) per distinct profile. It keeps no answers;
// IAMCache does. It is safe for concurrent use.
type IAMProber struct {
	api      *iamCounter
	logger   *slog.Logger
	now      func() time.Time
	maxPages int
}

// NewIAMProber returns a prober calling api, which is usually the client
// from NewIAMClient. A nil logger discards logs.
func NewIAMProber(api IAMAPI, logger *slog.Logger) *IAMProber {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &IAMProber{api: &iamCounter{api: api, calls: map[string]uint64{}, failures: map[string]uint64{}},
		logger: logger, now: time.Now, maxPages: 10}
}

// Calls returns the IAM calls made so far per operation; each page counts
// once. Counts only grow.
func (p *IAMProber) Calls() map[string]uint64 { return p.api.snapshot(false) }

// Failures returns the IAM calls that failed so far per operation, after
// the SDK's retries. Counts only grow.
func (p *IAMProber) Failures() map[string]uint64 { return p.api.snapshot(true) }

// Probe asks IAM about every distinct instance profile of the target. It
// never returns nil and never fails as a whole: a failed call leaves the
// actions of the peers it concerns Unknown and is in Errors.
func (p *IAMProber) Probe(ctx context.Context, t IAMTarget) *IAMStatus {
	answers := map[string]iamAnswer{}
	for _, arn := range iamProfiles(t) {
		answers[arn] = p.ask(ctx, t.Pair, arn, t.Actions)
	}
	return p.status(t, answers, answers)
}

// iamAnswer is what IAM said about one instance profile.
type iamAnswer struct {
	roleARN string
	actions map[string]Tri
	err     error
	checked time.Time // zero when IAM did not answer
}

// ask reads the profile's role and simulates the actions for it.
func (p *IAMProber) ask(ctx context.Context, pair, arn string, actions []string) iamAnswer {
	fail := func(op string, err error) iamAnswer {
		e := newIAMCallError(ctx, pair, arn, op, err)
		p.logger.Debug("iam call failed", "pair", pair, "profile", arn, "operation", op, "code", e.Code, "err", e.Err)
		a := iamAnswer{err: e, actions: iamAll(actions, Unknown)}
		if e.Code == "NoSuchEntity" {
			a.actions, a.checked = iamAll(actions, No), p.now()
		}
		return a
	}
	name, ok := iamProfileName(arn)
	if !ok {
		return iamAnswer{actions: iamAll(actions, Unknown),
			err: fmt.Errorf("pair %s: instance profile %q is not an instance profile ARN", pair, arn)}
	}
	out, err := p.api.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String(name)})
	if err != nil {
		return fail(OpGetInstanceProfile, err)
	}
	if out.InstanceProfile == nil || len(out.InstanceProfile.Roles) == 0 {
		return iamAnswer{actions: iamAll(actions, No), checked: p.now(),
			err: fmt.Errorf("pair %s, instance profile %s: %w", pair, arn, ErrNoRole)}
	}
	a := iamAnswer{roleARN: aws.ToString(out.InstanceProfile.Roles[0].Arn), actions: iamAll(actions, Unknown)}
	if len(actions) == 0 {
		// Nothing to simulate; IAM would refuse an empty list.
		a.checked = p.now()
		return a
	}
	pg := iam.NewSimulatePrincipalPolicyPaginator(p.api, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String(a.roleARN),
		ActionNames:     actions,
	})
	for n := 0; pg.HasMorePages(); n++ {
		if n == p.maxPages {
			return fail(OpSimulatePrincipalPolicy, fmt.Errorf("%w: stopped after %d", errAWSPageCap, n))
		}
		page, err := pg.NextPage(ctx)
		if err != nil {
			b := fail(OpSimulatePrincipalPolicy, err)
			b.roleARN = a.roleARN
			return b
		}
		for _, r := range page.EvaluationResults {
			if k := iamMatch(actions, aws.ToString(r.EvalActionName)); k != "" {
				a.actions[k] = iamDecision(string(r.EvalDecision))
			}
		}
	}
	a.checked = p.now()
	return a
}

// status builds a check's status from the answers per profile; fresh are
// the answers of calls made by this check, whose errors it reports.
func (p *IAMProber) status(t IAMTarget, answers, fresh map[string]iamAnswer) *IAMStatus {
	st := &IAMStatus{Peers: map[string]IAMPeerResult{}, End: p.now()}
	for _, peer := range slices.Sorted(maps.Keys(t.Profiles)) {
		arn := t.Profiles[peer]
		if arn == "" {
			st.Peers[peer] = IAMPeerResult{Profile: No, Actions: iamAll(t.Actions, No)}
			continue
		}
		a := answers[arn]
		st.Peers[peer] = IAMPeerResult{Profile: Yes, ProfileARN: arn, RoleARN: a.roleARN,
			Actions: maps.Clone(a.actions), Err: a.err, Checked: a.checked}
	}
	for _, arn := range slices.Sorted(maps.Keys(fresh)) {
		var e *IAMCallError
		if !errors.As(fresh[arn].err, &e) {
			continue
		}
		if st.Errors == nil {
			st.Errors = map[string]error{}
		}
		if st.Errors[e.Operation] == nil {
			st.Errors[e.Operation] = e
		}
		st.Throttled = st.Throttled || e.Throttled
	}
	return st
}

// iamProfiles returns the distinct profile ARNs of a target, sorted.
func iamProfiles(t IAMTarget) []string {
	var out []string
	for _, arn := range t.Profiles {
		if arn != "" && !slices.Contains(out, arn) {
			out = append(out, arn)
		}
	}
	slices.Sort(out)
	return out
}

// iamProfileName returns the name in an instance profile ARN,
// arn:PARTITION:iam::ACCOUNT:instance-profile/PATH/NAME.
func iamProfileName(arn string) (string, bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" {
		return "", false
	}
	rest, ok := strings.CutPrefix(parts[5], "instance-profile/")
	name := rest[strings.LastIndex(rest, "/")+1:]
	return name, ok && name != ""
}

func iamAll(actions []string, v Tri) map[string]Tri {
	m := make(map[string]Tri, len(actions))
	for _, a := range actions {
		m[a] = v
	}
	return m
}

// iamMatch returns the asked action IAM evaluated: IAM action names are
// case-insensitive, and IAM may spell them its own way. "" when none.
func iamMatch(actions []string, evaluated string) string {
	i := slices.IndexFunc(actions, func(a string) bool { return strings.EqualFold(a, evaluated) })
	if i < 0 {
		return ""
	}
	return actions[i]
}

// iamDecision maps a policy evaluation decision to a Tri.
func iamDecision(d string) Tri {
	switch d {
	case "allowed":
		return Yes
	case "implicitDeny", "explicitDeny":
		return No
	}
	return Unknown
}

// iamCounter counts calls and failures of each IAM operation.
type iamCounter struct {
	api IAMAPI

	mu       sync.Mutex
	calls    map[string]uint64
	failures map[string]uint64
}

func (c *iamCounter) count(op string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[op]++
	if err != nil {
		c.failures[op]++
	}
}

func (c *iamCounter) snapshot(failures bool) map[string]uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if failures {
		return maps.Clone(c.failures)
	}
	return maps.Clone(c.calls)
}

func (c *iamCounter) GetInstanceProfile(ctx context.Context, in *iam.GetInstanceProfileInput, optFns ...func(*iam.Options)) (*iam.GetInstanceProfileOutput, error) {
	out, err := c.api.GetInstanceProfile(ctx, in, optFns...)
	c.count(OpGetInstanceProfile, err)
	return out, err
}

func (c *iamCounter) SimulatePrincipalPolicy(ctx context.Context, in *iam.SimulatePrincipalPolicyInput, optFns ...func(*iam.Options)) (*iam.SimulatePrincipalPolicyOutput, error) {
	out, err := c.api.SimulatePrincipalPolicy(ctx, in, optFns...)
	c.count(OpSimulatePrincipalPolicy, err)
	return out, err
}
