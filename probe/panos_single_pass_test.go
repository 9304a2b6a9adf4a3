package probe_test

import (
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
)

// The poll's replies are parsed once, by hawatch's parsers, without a
// separate check pass: these tests hold that pass to what the check did.

// TestPollEnforcesConfiguredLimits: the peer's XMLLimits, not the
// defaults, bound the poll's replies, exactly at the limit.
func TestPollEnforcesConfiguredLimits(t *testing.T) {
	reply := largeInterfaceReply(50)
	elements, depth := xmlShape(t, reply)
	f := newFakePeer(t, func(f *fakePeer) {
		f.override = map[string]http.HandlerFunc{"<interface>": func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(reply))
		}}
	})
	for _, tc := range []struct {
		name string
		lim  probe.XMLLimits
		want string // in the error; "" for none
	}{
		{"exact", probe.XMLLimits{MaxDepth: depth, MaxElements: elements}, ""},
		{"one element over", probe.XMLLimits{MaxElements: elements - 1}, "more than"},
		{"one level over", probe.XMLLimits{MaxDepth: depth - 1}, "deeper than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := fakeOpts(f, "fw-a", nil)
			o.XMLLimits = tc.lim
			st := pollWithin(newFakeProber(t, o), 10*time.Second)
			r, _ := st.Result(probe.CmdInterfaces)
			if tc.want == "" {
				if r.Err != nil || st.Interfaces == nil || len(st.Interfaces.Logical) != 50 {
					t.Fatalf("interfaces: %v", r.Err)
				}
				return
			}
			if !errors.Is(r.Err, probe.ErrMalformed) || !strings.Contains(r.Err.Error(), tc.want) || st.Interfaces != nil {
				t.Errorf("interfaces: %v, want ErrMalformed saying %q", r.Err, tc.want)
			}
			// The limit is per reply: the other, smaller replies pass it.
			if r, _ := st.Result(probe.CmdHA); tc.lim.MaxDepth == 0 && r.Err != nil {
				t.Errorf("ha: %v", r.Err)
			}
		})
	}
}

// TestPollRefusesWhatFollowsTheReply: the parser reads the document to its
// end, as the check pass did; a reply with garbage after </response> is
// malformed, not half-read.
func TestPollRefusesWhatFollowsTheReply(t *testing.T) {
	f := newFakePeer(t, func(f *fakePeer) {
		f.override = map[string]http.HandlerFunc{"<session>": func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(testdataFile("session-info.xml") + "<extra><a></extra>"))
		}}
	})
	st := pollWithin(newFakeProber(t, fakeOpts(f, "fw-a", nil)), 10*time.Second)
	if r, _ := st.Result(probe.CmdSessions); !errors.Is(r.Err, probe.ErrMalformed) || st.Sessions != nil {
		t.Errorf("sessions: err=%v sessions=%+v, want ErrMalformed", r.Err, st.Sessions)
	}
}

// TestPollErrorDocumentWith200: an error document sent with HTTP 200 is
// an API error of the command: a refused key (code 16) generates a new key
// and the command is sent again; an unknown command (code 17) is
// unsupported, not a failure of the peer.
func TestPollErrorDocumentWith200(t *testing.T) {
	var haCalls atomic.Int64
	f := newFakePeer(t, func(f *fakePeer) {
		f.override = map[string]http.HandlerFunc{
			"high-availability": func(w http.ResponseWriter, _ *http.Request) {
				if haCalls.Add(1) == 1 {
					f.xml(w, http.StatusOK, `<response status="unauth" code="16"><msg><line>Unauthorized request</line></msg></response>`)
					return
				}
				f.xml(w, http.StatusOK, testdataFile("ha-all-active.xml"))
			},
			"<session>": func(w http.ResponseWriter, _ *http.Request) {
				f.xml(w, http.StatusOK, `<response status="error" code="17"><msg><line>show session: invalid syntax</line></msg></response>`)
			},
		}
	})
	st := pollWithin(newFakeProber(t, fakeOpts(f, "fw-a", nil)), 10*time.Second)
	r, _ := st.Result(probe.CmdHA)
	if r.Err != nil || st.HA == nil || r.Requests != 3 || f.keygens.Load() != 1 {
		t.Errorf("ha: err=%v requests=%d keygens=%d, want success after one keygen (3 requests)", r.Err, r.Requests, f.keygens.Load())
	}
	r, _ = st.Result(probe.CmdSessions)
	var apiErr *probe.APIError
	if !errors.As(r.Err, &apiErr) || apiErr.Code != 17 || !r.Unsupported || !st.Up {
		t.Errorf("sessions: err=%v unsupported=%v up=%v, want code 17, unsupported, peer up", r.Err, r.Unsupported, st.Up)
	}
	if !strings.Contains(r.Err.Error(), "invalid syntax") {
		t.Errorf("sessions: %v, want the firewall's message", r.Err)
	}
}

// TestPollKeepsConnection: the poll's replies are read to their end, so
// every request of every poll rides on one connection.
func TestPollKeepsConnection(t *testing.T) {
	f := newFakePeer(t, nil)
	p := newFakeProber(t, fakeOpts(f, "fw-a", nil))
	for range 3 {
		if st := pollWithin(p, 10*time.Second); !st.Up || st.Err != nil {
			t.Fatalf("poll: up=%v err=%v", st.Up, st.Err)
		}
	}
	if n, c := f.requests.Load(), f.conns.Load(); c != 1 {
		t.Errorf("%d requests over %d connections, want 1", n, c)
	}
}
