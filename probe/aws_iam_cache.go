package probe

import (
	"context"
	"strings"
	"sync"
	"time"
)

// DefaultIAMInterval is how long an IAM answer is trusted: roles change
// rarely, and IAM's API is rate-limited per account.
const DefaultIAMInterval = time.Hour

// IAMCache asks IAM only when needed: for a profile it has no answer for
// (a new profile, or a peer whose profile changed), for one whose answer
// is older than the interval, or after a failed call. A caller may thus
// run Check on every AWS poll: failures are retried on the next one,
// answers cost nothing until they are due. It is safe for concurrent use.
type IAMCache struct {
	prober   *IAMProber
	interval time.Duration

	mu      sync.Mutex
	answers map[string]iamAnswer // by profile ARN and actions
}

// NewIAMCache returns a cache in front of p; an interval of zero or less
// is DefaultIAMInterval.
func NewIAMCache(p *IAMProber, interval time.Duration) *IAMCache {
	if interval <= 0 {
		interval = DefaultIAMInterval
	}
	return &IAMCache{prober: p, interval: interval, answers: map[string]iamAnswer{}}
}

// Check returns what the target's instance profiles allow, asking IAM for
// the profiles whose answer is missing or due. Errors holds only the
// failures of calls made by this check.
func (c *IAMCache) Check(ctx context.Context, t IAMTarget) *IAMStatus {
	now := c.prober.now()
	answers := map[string]iamAnswer{}
	var due []string
	c.mu.Lock()
	for k, a := range c.answers {
		if now.Sub(a.checked) >= c.interval {
			delete(c.answers, k) // stale, or a profile no peer uses any more
		}
	}
	for _, arn := range iamProfiles(t) {
		if a, ok := c.answers[iamCacheKey(arn, t.Actions)]; ok {
			answers[arn] = a
		} else {
			due = append(due, arn)
		}
	}
	c.mu.Unlock()

	fresh := map[string]iamAnswer{}
	for _, arn := range due {
		a := c.prober.ask(ctx, t.Pair, arn, t.Actions)
		answers[arn], fresh[arn] = a, a
		// Keep IAM's word (allowed, denied, no such profile or role);
		// a failure to ask is retried on the next check.
		if !a.checked.IsZero() {
			c.mu.Lock()
			c.answers[iamCacheKey(arn, t.Actions)] = a
			c.mu.Unlock()
		}
	}
	return c.prober.status(t, answers, fresh)
}

func iamCacheKey(arn string, actions []string) string {
	return arn + "\x00" + strings.Join(actions, "\x00")
}
