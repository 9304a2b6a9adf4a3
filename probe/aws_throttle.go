package probe

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
)

// throttleNoting is the SDK's retryer that also notes, in the poll's
// context, that EC2 refused a call as throttled. With the adaptive mode a
// throttled call often ends waiting for the client-side rate limiter until
// the poll's deadline, and the error left reads "deadline exceeded": the
// note keeps "throttled" visible in hawatch_aws_throttled and the log.
type throttleNoting struct {
	aws.RetryerV2
}

// GetRetryToken notes a throttling error before the SDK retries it.
func (r throttleNoting) GetRetryToken(ctx context.Context, opErr error) (func(error) error, error) {
	if isThrottle(opErr) {
		if seen, ok := ctx.Value(throttleKey{}).(*atomic.Bool); ok {
			seen.Store(true)
		}
	}
	return r.RetryerV2.GetRetryToken(ctx, opErr)
}

// throttleKey is the context key of a poll's throttle note.
type throttleKey struct{}

// withThrottleNote returns ctx carrying a fresh note for the retryer.
func withThrottleNote(ctx context.Context) context.Context {
	return context.WithValue(ctx, throttleKey{}, new(atomic.Bool))
}

// throttleNoted reports whether a call under ctx was throttled.
func throttleNoted(ctx context.Context) bool {
	seen, ok := ctx.Value(throttleKey{}).(*atomic.Bool)
	return ok && seen.Load()
}

// isThrottle reports whether err is an EC2 throttling error.
func isThrottle(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	_, ok := retry.DefaultThrottleErrorCodes[ae.ErrorCode()]
	return ok
}
