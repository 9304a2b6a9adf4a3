package scheduler

import (
	"context"

	"github.com/hawatch/hawatch/probe"
)

// FetchOps runs on-demand commands on the peers of a running pair, outside
// its regular polls (see PairWatcher.FetchOps); nil when the pair is not
// running.
func (s *Scheduler) FetchOps(ctx context.Context, pair string, cmds ...probe.Command) []*probe.Ops {
	s.mu.Lock()
	e, ok := s.running[pair]
	s.mu.Unlock()
	if !ok {
		return nil
	}
	return e.w.FetchOps(ctx, cmds...)
}
