package daemon

import (
	"fmt"
	"testing"
	"time"

	"github.com/hawatch/hawatch/snapshot"
)

// BenchmarkPublish is the cost of one pair's poll result among N pairs, a
// quarter of which have alerts (one or both peers down, or split):
//
//   - before: what publish did in the poll, evaluating the alerts and then
//     copying and sorting the alerts of every pair for the journal;
//   - after: what the alerts consumer now does off the poll, reading only
//     the pair's own alerts;
//   - poll: what is left in the poll, leaving the snapshot in the
//     consumers' mailboxes.
func BenchmarkPublish(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		d := newTestDaemon(b, Options{})
		snaps := make([]*snapshot.Pair, n)
		end := time.Now()
		for i := range snaps {
			snaps[i] = pairSnap(fmt.Sprintf("pair-%04d", i), i%len(kinds), 1, end)
			d.consume(snaps[i])
		}
		next := func(i int) *snapshot.Pair {
			s := *snaps[i%n]
			s.Seq++
			return &s
		}
		b.Run(fmt.Sprintf("before/pairs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				s := next(i)
				i++
				d.alerts.Update(s)
				d.timeline.record(s, d.alerts.Active())
			}
		})
		b.Run(fmt.Sprintf("after/pairs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				d.consume(next(i))
				i++
			}
		})
		b.Run(fmt.Sprintf("poll/pairs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				d.publish(next(i))
				i++
				if i%n == 0 {
					d.toAlerts.take()
					d.toMetrics.take()
				}
			}
		})
	}
}
