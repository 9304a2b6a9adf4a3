package probe

import (
	"bufio"
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// wireServer answers every request on its TLS connections with reply,
// written as is, and closes a connection after a reply when closeAfter.
type wireServer struct {
	addr  string
	conns atomic.Int64
	pc    *peerConn
}

func newWireServer(t *testing.T, reply string, closeAfter bool) *wireServer {
	t.Helper()
	ts := httptest.NewTLSServer(http.NotFoundHandler()) // for its certificate and trusting client
	t.Cleanup(ts.Close)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", ts.TLS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	s := &wireServer{addr: ln.Addr().String()}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.conns.Add(1)
			go serveWire(c, reply, closeAfter)
		}
	}()
	s.pc = newPeerConn(ts.Client().Transport.(*http.Transport), "127.0.0.1", s.addr)
	t.Cleanup(s.pc.CloseIdleConnections)
	return s
}

func serveWire(c net.Conn, reply string, closeAfter bool) {
	defer func() { _ = c.Close() }()
	br := bufio.NewReader(c)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		_, _ = io.Copy(io.Discard, req.Body)
		if _, err := io.WriteString(c, reply); err != nil || closeAfter {
			return
		}
	}
}

func (s *wireServer) post() (*http.Response, string, error) {
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, "https://"+s.addr+"/api", strings.NewReader("type=op"))
	resp, err := s.pc.RoundTrip(req)
	if err != nil {
		return nil, "", err
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	return resp, string(b), err
}

// The reply shapes a peer or what stands in front of it may send: each is
// read whole, and the connection is kept only when the reply allows it.
func TestPeerConnReplyShapes(t *testing.T) {
	const doc = "<response status='success'/>" // 28 bytes
	for _, c := range []struct {
		name       string
		reply      string
		closeAfter bool
		status     int
		body       string
		conns      int64 // after two requests
	}{
		{"content-length", "HTTP/1.1 200 OK\r\nContent-Length: 28\r\n\r\n" + doc, false, 200, doc, 1},
		{"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
			"a\r\n<response \r\n12\r\nstatus='success'/>\r\n0\r\n\r\n", false, 200, doc, 1},
		{"connection close", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 28\r\n\r\n" + doc, true, 200, doc, 2},
		{"http/1.0 to eof", "HTTP/1.0 200 OK\r\n\r\n" + doc, true, 200, doc, 2},
		{"1xx first", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n" +
			"HTTP/1.1 200 OK\r\nContent-Length: 28\r\n\r\n" + doc, false, 200, doc, 1},
		{"no body", "HTTP/1.1 204 No Content\r\n\r\n", false, 204, "", 1},
		{"empty body", "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", false, 403, "", 1},
	} {
		s := newWireServer(t, c.reply, c.closeAfter)
		for i := range 2 {
			resp, body, err := s.post()
			if err != nil || resp.StatusCode != c.status || body != c.body {
				t.Errorf("%s, request %d: %v, %v, %q", c.name, i, err, resp, body)
			}
			s.pc.mu.Lock()
			kept := s.pc.idle != nil
			s.pc.mu.Unlock()
			if kept != (c.conns == 1) {
				t.Errorf("%s, request %d: connection kept %v", c.name, i, kept)
			}
		}
		if n := s.conns.Load(); n != c.conns {
			t.Errorf("%s: %d connections for two requests, want %d", c.name, n, c.conns)
		}
	}
}

// A reply closed before its end (over the size limit, say) closes the
// connection rather than reading the rest.
func TestPeerConnBodyNotReadCloses(t *testing.T) {
	s := newWireServer(t, "HTTP/1.1 200 OK\r\nContent-Length: 28\r\n\r\n<response status='success'/>", false)
	req, _ := http.NewRequest(http.MethodPost, "https://"+s.addr+"/api", strings.NewReader("x"))
	resp, err := s.pc.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = resp.Body.Read(make([]byte, 5))
	_ = resp.Body.Close()
	if _, _, err := s.post(); err != nil {
		t.Fatal(err)
	}
	if n := s.conns.Load(); n != 2 {
		t.Errorf("%d connections, want 2: the half-read one closed", n)
	}
}
