package probe_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestFailuresAreLoggedOnce: a peer that was never up is logged at its
// first failure, again only when the error changes, and once when it
// answers.
func TestFailuresAreLoggedOnce(t *testing.T) {
	f := newFakePeer(t, func(f *fakePeer) { f.refuseKey = true })
	var log syncBuffer
	o := fakeOpts(f, "fw-a", &log)
	o.Credentials.Username, o.Credentials.Password = "", "" // no keygen
	p := newFakeProber(t, o)
	count := func(msg string) int { return strings.Count(log.String(), msg) }

	for range 3 {
		pollWithin(p, 10*time.Second)
	}
	if n := count(`level=WARN msg="peer does not answer the api"`); n != 1 {
		t.Fatalf("%d warnings after 3 failed polls, want 1:\n%s", n, log.String())
	}
	line := log.String()
	if !strings.Contains(line, "peer=fw-a") || !strings.Contains(line, "address="+f.Listener.Addr().String()) || !strings.Contains(line, "403") {
		t.Errorf("warning without peer, address or error:\n%s", line)
	}

	f.set(func(f *fakePeer) { f.refuseKey, f.swVersion = false, "" }) // another error: a panic in Initialize
	pollWithin(p, 10*time.Second)
	pollWithin(p, 10*time.Second)
	if n := count(`level=WARN msg="peer does not answer the api"`); n != 2 {
		t.Errorf("%d warnings after the error changed, want 2:\n%s", n, log.String())
	}

	f.set(func(f *fakePeer) { f.swVersion = "10.1.12" })
	pollWithin(p, 10*time.Second)
	pollWithin(p, 10*time.Second)
	if n := count(`level=INFO msg="peer answers the api"`); n != 1 {
		t.Errorf("%d info lines once the peer answers, want 1:\n%s", n, log.String())
	}
}

func TestCertificateErrorIsLogged(t *testing.T) {
	f := newFakePeer(t, nil)
	var log syncBuffer
	o := fakeOpts(f, "fw-a", &log)
	o.Transport = &http.Transport{} // the system pool does not know httptest's CA
	st := pollWithin(newFakeProber(t, o), 10*time.Second)
	if st.Up {
		t.Fatal("up with an untrusted certificate")
	}
	if !strings.Contains(log.String(), `level=WARN msg="peer's tls certificate is not trusted" peer=fw-a`) {
		t.Errorf("certificate error not logged as such:\n%s", log.String())
	}
}
