package scheduler

import (
	"context"
	"sync"

	"github.com/hawatch/hawatch/probe"
)

// OpsFetcher runs on-demand commands on one peer; *probe.PANOSPeer
// implements it. A PeerProber that does not is skipped by FetchOps.
type OpsFetcher interface {
	Fetch(ctx context.Context, cmds ...probe.Command) *probe.Ops
}

// FetchOps runs the given on-demand commands (every one when none) on each
// peer of the pair, the peers in parallel, outside the regular poll. The
// result is in peer order; a peer whose prober cannot fetch gets nil.
func (w *PairWatcher) FetchOps(ctx context.Context, cmds ...probe.Command) []*probe.Ops {
	out := make([]*probe.Ops, len(w.peers))
	var wg sync.WaitGroup
	for i, p := range w.peers {
		f, ok := p.(OpsFetcher)
		if !ok {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = f.Fetch(ctx, cmds...)
		}()
	}
	wg.Wait()
	return out
}
