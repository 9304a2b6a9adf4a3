package e2e

import (
	"bytes"
	"crypto/tls"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hawatch/hawatch/sim"
)

// hostile is a TLS server posing as a firewall's API, answering every
// request with h. It counts the requests it receives and the bytes its
// streaming handlers wrote.
type hostile struct {
	URL      string
	Addr     string
	requests atomic.Int64
	written  atomic.Int64
}

// startHostile serves h over TLS with cert (plain HTTP when cert is nil).
func startHostile(t *testing.T, cert *tls.Certificate, h func(*hostile, http.ResponseWriter, *http.Request)) *hostile {
	t.Helper()
	hs := &hostile{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hs.requests.Add(1)
		h(hs, w, r)
	}))
	// Refused handshakes are what some rows are about; keep them quiet.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if cert != nil {
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12}
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	hs.URL = srv.URL
	hs.Addr = srv.Listener.Addr().String()
	return hs
}

// replyHead opens a successful PAN-OS reply.
const replyHead = `<response status="success"><result>`

// streamHuge streams a reply of total bytes without a Content-Length: a
// well-formed start followed by filler elements, written from one small
// buffer so that neither side of the test ever holds the reply.
func streamHuge(total int64) func(*hostile, http.ResponseWriter, *http.Request) {
	chunk := []byte(strings.Repeat("<entry><name>x</name></entry>", 2200)) // ~64 KiB
	return func(hs *hostile, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		n, err := io.WriteString(w, replyHead)
		hs.written.Add(int64(n))
		for sent := int64(n); err == nil && sent < total; sent += int64(n) {
			n, err = w.Write(chunk)
			hs.written.Add(int64(n))
		}
	}
}

// streamNested streams depth nested start elements that are never closed:
// 3 bytes each, so that a million stay under the 4 MiB reply limit and
// reach the XML checks.
func streamNested(depth int) func(*hostile, http.ResponseWriter, *http.Request) {
	const per = 10000
	chunk := []byte(strings.Repeat("<a>", per))
	return func(hs *hostile, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		n, err := io.WriteString(w, replyHead)
		hs.written.Add(int64(n))
		for i := 0; err == nil && i < depth; i += per {
			n, err = w.Write(chunk)
			hs.written.Add(int64(n))
		}
	}
}

// fixedReply answers every request with status and body.
func fixedReply(status int, contentType, body string) func(*hostile, http.ResponseWriter, *http.Request) {
	return func(_ *hostile, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// malformedXML is a reply whose tags do not match, complete and short.
const malformedXML = `<response status="success"><result><system><hostname>fw-a</host>` +
	`<sw-version>11.1.2</sw-version></system></result></response>`

// redirectTo answers every request with a redirect to location.
func redirectTo(code int, location string) func(*hostile, http.ResponseWriter, *http.Request) {
	return func(_ *hostile, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Location", location)
		w.WriteHeader(code)
	}
}

var swVersion = regexp.MustCompile(`<sw-version>[^<]*</sw-version>`)

// startPanicking serves peer i of the simulator through a reverse proxy
// that rewrites the software version to one pango's Initialize panics on.
func startPanicking(t *testing.T, s *sim.Sim, i int, cert tls.Certificate) *hostile {
	t.Helper()
	target, err := url.Parse("https://" + s.PeerAddr(i))
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.Transport = &http.Transport{TLSClientConfig: s.CA().ClientConfig()}
	rp.ErrorLog = log.New(io.Discard, "", 0)
	rp.ModifyResponse = func(resp *http.Response) error {
		b, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			return err
		}
		b = swVersion.ReplaceAll(b, []byte("<sw-version>garbage</sw-version>"))
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
		return nil
	}
	return startHostile(t, &cert, func(_ *hostile, w http.ResponseWriter, r *http.Request) { rp.ServeHTTP(w, r) })
}
