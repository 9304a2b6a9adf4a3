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
	// asking holds the questions being asked, closed when answered: pairs
	// checked at once that share a profile wait for one answer.
	asking map[string]chan struct{}
}

// NewIAMCache returns a cache in front of p; an interval of zero or less
// is DefaultIAMInterval.
func NewIAMCache(p *IAMProber, interval time.Duration) *IAMCache {
	if interval <= 0 {
		interval = DefaultIAMInterval
	}
	return &IAMCache{prober: p, interval: interval, answers: map[string]iamAnswer{}, asking: map[string]chan struct{}{}}
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
		a, asked := c.answer(ctx, t, arn)
		answers[arn] = a
		if asked {
			fresh[arn] = a
		}
	}
	return c.prober.status(t, answers, fresh)
}

// answer asks IAM about one profile, unless another check is asking the
// same question: then it waits for that answer, and asks itself only when
// that one failed. It reports whether it asked.
func (c *IAMCache) answer(ctx context.Context, t IAMTarget, arn string) (iamAnswer, bool) {
	key := iamCacheKey(arn, t.Actions)
	c.mu.Lock()
	if wait, ok := c.asking[key]; ok {
		c.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
		}
		c.mu.Lock()
		a, ok := c.answers[key]
		c.mu.Unlock()
		if ok {
			return a, false
		}
		return c.prober.ask(ctx, t.Pair, arn, t.Actions), true
	}
	done := make(chan struct{})
	c.asking[key] = done
	c.mu.Unlock()

	a := c.prober.ask(ctx, t.Pair, arn, t.Actions)
	c.mu.Lock()
	// Keep IAM's word (allowed, denied, no such profile or role); a
	// failure to ask is retried on the next check.
	if !a.checked.IsZero() {
		c.answers[key] = a
	}
	delete(c.asking, key)
	c.mu.Unlock()
	close(done)
	return a, true
}

func iamCacheKey(arn string, actions []string) string {
	return arn + "\x00" + strings.Join(actions, "\x00")
}
