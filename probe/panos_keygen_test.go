package probe_test

import (
	"strings"
	"testing"
	"time"
)

// TestRefusedPasswordHoldsKeygenBack: when the firewall refuses both the
// key and the password, hawatch tries keygen once and then holds back,
// doubling the hold, instead of logging in with a wrong password for every
// command until the admin account locks.
func TestRefusedPasswordHoldsKeygenBack(t *testing.T) {
	f := newFakePeer(t, func(f *fakePeer) { f.refuseKey, f.refusePW = true, true })
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var buf syncBuffer
	o := fakeOpts(f, "fw-a", &buf)
	o.Now = func() time.Time { return now }
	p := newFakeProber(t, o)
	for range 5 {
		st := pollWithin(p, 5*time.Second)
		if st.Up {
			t.Fatal("a peer that refuses every credential is not up")
		}
		now = now.Add(10 * time.Second)
	}
	if n := f.keygens.Load(); n != 1 {
		t.Errorf("%d keygen requests in 50 s, want 1", n)
	}
	if !strings.Contains(buf.String(), "password refused by keygen") {
		t.Errorf("the hold is not logged:\n%s", buf.String())
	}
	now = now.Add(time.Minute) // past the first hold
	pollWithin(p, 5*time.Second)
	if n := f.keygens.Load(); n != 2 {
		t.Errorf("%d keygen requests after the hold, want 2", n)
	}
	// Once the password works again, keygen succeeds and polling resumes.
	f.set(func(f *fakePeer) { f.refuseKey, f.refusePW = false, false })
	now = now.Add(3 * time.Minute)
	if st := pollWithin(p, 5*time.Second); !st.Up {
		t.Errorf("peer not up after the credentials were fixed: %v", st.Err)
	}
}
