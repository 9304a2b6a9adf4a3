package probe

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"
)

// peerConn is an HTTP/1.1 client for one peer: one kept-alive TLS
// connection, used by one request at a time.
//
// It replaces net/http's Transport where no proxy is involved. A
// Transport keeps, per connection, a read loop and a write loop goroutine
// and a 4 KiB bufio reader and writer; with two peers per pair and a
// connection kept between polls, those were most of a thousand pairs'
// memory. Here an idle connection is only the tls.Conn: the request is
// written from a pooled buffer, the reply is read through a pooled
// bufio.Reader held until its body is read, and no goroutine runs between
// requests.
type peerConn struct {
	addr       string // host:port, the only address ever dialed
	serverName string
	dial       func(ctx context.Context, network, addr string) (net.Conn, error)
	// tlsConf is shared with every peer of the same base and never
	// written; a dial works on a short-lived copy.
	tlsConf          *tls.Config
	handshakeTimeout time.Duration
	idleTimeout      time.Duration

	// turn is held from a request's start until its body is read or
	// closed: requests to a peer are serialized already, this makes sure.
	turn chan struct{}

	mu        sync.Mutex
	idle      *tls.Conn // the connection between requests; nil while in use
	idleSince time.Time
	idleTimer *time.Timer
	gen       uint64 // bumped by CloseIdleConnections: older connections are not kept
}

// Defaults where base leaves them zero, as NewTransport sets them.
const (
	defaultHandshakeTimeout = 10 * time.Second
	defaultIdleTimeout      = 90 * time.Second
	// aliveCheckAfter is how long a connection must have been idle before
	// it is checked for a close by the peer. A poll's requests follow each
	// other within milliseconds; the check costs a system call (up to
	// aliveCheckWait where it cannot peek), and a close it misses costs
	// one retry.
	aliveCheckAfter = time.Second
	aliveCheckWait  = time.Millisecond
)

// errHandshakeTimeout is the cause of a handshake cut by handshakeTimeout.
var errHandshakeTimeout = errors.New("tls handshake timeout")

// newPeerConn returns the client of the peer at addr (host:port) with
// base's dialer and TLS settings.
func newPeerConn(base *http.Transport, host, addr string) *peerConn {
	pc := &peerConn{
		addr: addr, serverName: host, tlsConf: base.TLSClientConfig,
		handshakeTimeout: base.TLSHandshakeTimeout, idleTimeout: base.IdleConnTimeout,
		dial: dialerOf(base), turn: make(chan struct{}, 1),
	}
	if pc.handshakeTimeout <= 0 {
		pc.handshakeTimeout = defaultHandshakeTimeout
	}
	if pc.idleTimeout <= 0 {
		pc.idleTimeout = defaultIdleTimeout
	}
	return pc
}

// RoundTrip sends req on the kept-alive connection, or a new one. The
// response's body must be read to its end or closed: until then the
// connection is the request's and the next request waits.
func (pc *peerConn) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	select {
	case pc.turn <- struct{}{}:
	case <-ctx.Done():
		closeReqBody(req)
		return nil, ctx.Err()
	}
	resp, err := pc.roundTrip(ctx, req)
	if err != nil {
		<-pc.turn
		return nil, err
	}
	return resp, nil
}

// roundTrip sends req once, and once more on a new connection when a
// reused one turns out to be closed before any byte of the reply.
// hawatch's requests to PAN-OS read state and change none (op, keygen,
// show), so sending one twice is safe.
func (pc *peerConn) roundTrip(ctx context.Context, req *http.Request) (*http.Response, error) {
	conn, gen := pc.take()
	reused := conn != nil
	for {
		if conn == nil {
			var err error
			if conn, err = pc.dialTLS(ctx); err != nil {
				closeReqBody(req)
				return nil, settle(ctx, err)
			}
		}
		resp, err := pc.exchange(ctx, conn, req, gen)
		if err == nil {
			return resp, nil
		}
		_ = conn.Close()
		var nothing *nothingReadError
		if !reused || !errors.As(err, &nothing) || ctx.Err() != nil || req.GetBody == nil && req.Body != nil {
			return nil, settle(ctx, err)
		}
		if req, err = rewind(req); err != nil {
			return nil, err
		}
		conn, reused = nil, false
	}
}

// rewind returns req with a fresh body for a second send.
func rewind(req *http.Request) (*http.Request, error) {
	if req.GetBody == nil {
		return req, nil
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, fmt.Errorf("resend request: %w", err)
	}
	out := *req
	out.Body = body
	return &out, nil
}

// handshakes bounds the connections being set up at once, daemon-wide. At
// a start every peer connects in the same second; each handshake's key
// exchange and certificate check take tens of kilobytes of heap and
// stack, and 2,000 of them at once set the daemon's peak memory for the
// rest of its life (the runtime keeps what it grew to). The CPU of a
// handshake is the same whether they wait or not; 64 at a time keeps the
// cores busy and, with a 50 ms round trip, sets up 2,000 peers in about
// 3 s.
var handshakes = make(chan struct{}, maxHandshakes)

const maxHandshakes = 64

// dialTLS connects to the peer and completes the handshake, within the
// handshake timeout and ctx.
func (pc *peerConn) dialTLS(ctx context.Context) (*tls.Conn, error) {
	select {
	case handshakes <- struct{}{}:
		defer func() { <-handshakes }()
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting to connect: %w", context.Cause(ctx))
	}
	raw, err := pc.dial(ctx, "tcp", pc.addr)
	if err != nil {
		return nil, err
	}
	// A copy per dial, dropped once the handshake is done: tls.Client
	// needs the server's name, which the shared config cannot carry for
	// every peer. Dials are rare, as connections are kept.
	cfg := pc.tlsConf.Clone()
	if cfg == nil {
		cfg = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if cfg.ServerName == "" {
		cfg.ServerName = pc.serverName
	}
	// This client speaks HTTP/1.1 only.
	cfg.NextProtos = slices.DeleteFunc(slices.Clone(cfg.NextProtos), func(p string) bool { return p != "http/1.1" })
	conn := tls.Client(raw, cfg)
	hctx, cancel := context.WithTimeoutCause(ctx, pc.handshakeTimeout, errHandshakeTimeout)
	defer cancel()
	if err := conn.HandshakeContext(hctx); err != nil {
		_ = raw.Close()
		if ctx.Err() == nil && errors.Is(context.Cause(hctx), errHandshakeTimeout) {
			return nil, fmt.Errorf("%w after %s (%w)", errHandshakeTimeout, pc.handshakeTimeout, err)
		}
		return nil, err
	}
	return conn, nil
}

// take returns the idle connection, if it is still worth using, and the
// generation a connection taken or dialed now belongs to.
func (pc *peerConn) take() (*tls.Conn, uint64) {
	pc.mu.Lock()
	conn, since, gen := pc.idle, pc.idleSince, pc.gen
	pc.idle = nil
	if pc.idleTimer != nil {
		pc.idleTimer.Stop()
	}
	pc.mu.Unlock()
	if conn == nil {
		return nil, gen
	}
	idle := time.Since(since)
	if idle > pc.idleTimeout || idle >= aliveCheckAfter && !alive(conn) {
		_ = conn.Close()
		return nil, gen
	}
	return conn, gen
}

// alive reports whether the peer has not closed conn while it was idle:
// peekAlive where the platform has it, else waitAlive.
func alive(conn *tls.Conn) bool {
	if ok, known := peekAlive(conn.NetConn()); known {
		return ok
	}
	return waitAlive(conn)
}

// waitAlive reads with a deadline a moment away: a closed connection
// answers at once with EOF (or the peer's close_notify), an open one times
// out. A timeout leaves a tls.Conn usable: crypto/tls keeps an error for
// good only when it is not a net.Error whose Temporary() is true, and a
// timeout is (readRecordOrCCS in crypto/tls/conn.go, line 633 in Go 1.26).
func waitAlive(conn *tls.Conn) bool {
	if err := conn.SetReadDeadline(time.Now().Add(aliveCheckWait)); err != nil {
		return false
	}
	var b [1]byte
	n, err := conn.Read(b[:])
	if n > 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
		return false // closed, or bytes nobody asked for
	}
	return conn.SetReadDeadline(time.Time{}) == nil
}

// put keeps conn for the next request, unless the peer's connections were
// closed since it was taken, and arms the idle timeout.
func (pc *peerConn) put(conn *tls.Conn, gen uint64) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if gen != pc.gen || pc.idle != nil {
		_ = conn.Close()
		return
	}
	pc.idle, pc.idleSince = conn, time.Now()
	if pc.idleTimer == nil {
		pc.idleTimer = time.AfterFunc(pc.idleTimeout, pc.expire)
	} else {
		pc.idleTimer.Reset(pc.idleTimeout)
	}
}

// expire closes the idle connection once it has been idle too long, so
// that a peer no longer polled holds no connection.
func (pc *peerConn) expire() {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.idle != nil && time.Since(pc.idleSince) >= pc.idleTimeout {
		_ = pc.idle.Close()
		pc.idle = nil
	}
}

// CloseIdleConnections closes the idle connection; a connection in use is
// closed when its request ends.
func (pc *peerConn) CloseIdleConnections() {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.gen++
	if pc.idle != nil {
		_ = pc.idle.Close()
		pc.idle = nil
	}
	if pc.idleTimer != nil {
		pc.idleTimer.Stop()
	}
}

// settle waits, when ctx's deadline has passed, for ctx to end: a
// connection's deadline, set from ctx's, can pass a moment before ctx's own
// timer fires, and the caller tells a canceled request by ctx.Err().
func settle(ctx context.Context, err error) error {
	if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
		<-ctx.Done()
	}
	return err
}

// closeReqBody closes the body of a request that will not be sent.
func closeReqBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}
