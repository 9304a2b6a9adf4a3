package daemon

import (
	"cmp"
	"context"
	"time"

	"github.com/hawatch/hawatch/journal"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/statesnap"
)

// newRecorder builds the recorder of the state snapshots taken around
// failovers and reboots: on disk under the data directory, in memory
// without one. Its on-demand commands go through the running pairs'
// probers, outside their polls, so a poll's requests stay as they are.
func newRecorder(d *Daemon, opts Options) *statesnap.Recorder {
	var saver statesnap.Saver = statesnap.NewMemStore()
	if opts.Config.DataDir != "" {
		saver = statesnap.Store{Dir: statesnap.DirIn(opts.Config.DataDir)}
	}
	so := opts.StateSnapshots
	// Tests set their own interval; otherwise the configuration's, where
	// 0 turns the automatic snapshots off. Read at start only.
	so.Interval = cmp.Or(so.Interval, opts.Config.StateSnapshotInterval)
	d.snapshotsOn = so.Interval > 0
	return statesnap.NewRecorder(statesnap.RecorderOptions{
		Saver: saver,
		Fetch: func(ctx context.Context, pair string) []*probe.Ops {
			return d.sched.FetchOps(ctx, pair, statesnap.Commands...)
		},
		Interval: so.Interval, AfterDelay: so.AfterDelay, Keep: so.Keep, KeepAuto: so.KeepAuto,
		FirstWithin: FirstSnapshotsWithin(len(opts.Config.OwnedPairs())),
		OnSaved: func(s *statesnap.Snapshot) {
			e := journal.Event{Time: s.TakenAt, Pair: s.Pair, Kind: journal.KindSnapshot, Subject: s.Name,
				After: s.Trigger, Message: s.String()}
			if s.Event != nil {
				// The before snapshot is older than its event; the
				// timeline shows it at the event, where it is read.
				e.Time = s.Event.Time
				e.Peer = s.Event.Peer
			}
			if err := d.journal.Append(e); err != nil {
				d.log.Error("cannot record the snapshot event", "pair", s.Pair, "err", err)
			}
		},
		Logger: d.log.With("component", "statesnap"),
	})
}

// FirstSnapshotsWithin is how long a start on this many pairs takes their
// first rolling state snapshots: about ten pairs a second (a thousand over
// 100 s, at most 2 minutes) rather than one burst of ~13 requests a peer;
// one pair still has its first at once.
func FirstSnapshotsWithin(pairs int) time.Duration {
	return min(2*time.Minute, time.Duration(pairs)*100*time.Millisecond)
}
