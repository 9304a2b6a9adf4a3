package probe_test

import (
	"testing"
	"time"
)

// BenchmarkPoll polls one peer over TLS on a kept-alive connection: the
// client's whole cost of a poll (four requests, reading, checking and
// parsing the replies), plus the in-process fake firewall's, which is the
// same from one version of the client to the next.
func BenchmarkPoll(b *testing.B) {
	f := newFakePeer(b, nil)
	p := newFakeProber(b, fakeOpts(f, "fw-a", nil))
	pollWithin(p, 10*time.Second) // connects and reads system info
	b.ReportAllocs()
	for b.Loop() {
		if st := pollWithin(p, 10*time.Second); !st.Up || st.Err != nil {
			b.Fatalf("poll: up=%v err=%v", st.Up, st.Err)
		}
	}
}
