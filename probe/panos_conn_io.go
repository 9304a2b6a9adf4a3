package probe

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// exchange writes req on conn and reads the reply's header. The body is
// left to the caller, through a body that gives the connection back (or
// closes it) and ends the request's turn once read or closed.
func (pc *peerConn) exchange(ctx context.Context, conn *tls.Conn, req *http.Request, gen uint64) (*http.Response, error) {
	stop := bindConn(ctx, conn)
	if err := writeRequest(conn, req); err != nil {
		stop()
		return nil, err
	}
	r := takeReader(conn)
	resp, err := readResponse(r.br, req)
	if err != nil {
		stop()
		if r.n == 0 {
			err = &nothingReadError{err}
		}
		r.release()
		return nil, err
	}
	state := conn.ConnectionState()
	resp.TLS = &state
	b := &connBody{pc: pc, ctx: ctx, body: resp.Body, conn: conn, r: r, stop: stop, keep: !resp.Close, gen: gen}
	if resp.Body == http.NoBody {
		b.finish(true)
		return resp, nil
	}
	resp.Body = b
	return resp, nil
}

// bindConn makes ctx's deadline and cancellation cut whatever conn is
// blocked in; stop undoes it, and reports false when ctx ended first.
func bindConn(ctx context.Context, conn net.Conn) (stop func() bool) {
	dl, _ := ctx.Deadline() // zero: none
	_ = conn.SetDeadline(dl)
	return context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
}

// maxInformational bounds the 1xx replies read before the final one, as
// net/http does.
const maxInformational = 5

// readResponse reads the final reply to req, skipping informational ones.
func readResponse(br *bufio.Reader, req *http.Request) (*http.Response, error) {
	for i := 0; ; i++ {
		resp, err := http.ReadResponse(br, req)
		if err != nil {
			return nil, err
		}
		switch {
		case resp.StatusCode == http.StatusSwitchingProtocols:
			return nil, errors.New("peer switched protocols")
		case resp.StatusCode >= 200 || resp.StatusCode < 100:
			return resp, nil
		case i == maxInformational:
			return nil, fmt.Errorf("more than %d informational replies", maxInformational)
		}
	}
}

// writeBufs hold requests as they are written: one write, one TLS record.
var writeBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// writeRequest writes req to conn. A failed write to a reused connection
// is a *nothingReadError: the peer has sent nothing.
func writeRequest(conn net.Conn, req *http.Request) error {
	buf := writeBufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 64<<10 {
			buf.Reset()
			writeBufs.Put(buf)
		}
	}()
	// req.Write writes straight into buf, an io.ByteWriter, instead of a
	// bufio.Writer of its own; it closes req.Body.
	if err := req.Write(buf); err != nil {
		return fmt.Errorf("write request: %w", err)
	}
	if _, err := conn.Write(buf.Bytes()); err != nil {
		return &nothingReadError{err}
	}
	return nil
}

// nothingReadError is an error on a connection from which no byte of the
// reply was read: on a kept-alive connection, most likely closed by the
// peer while idle.
type nothingReadError struct{ err error }

func (e *nothingReadError) Error() string { return e.err.Error() }
func (e *nothingReadError) Unwrap() error { return e.err }

// connReader reads the reply from a connection and counts the bytes it
// read, so that a failure before the reply's first byte can be told apart.
// It and its bufio.Reader are pooled: held for one request only.
type connReader struct {
	conn net.Conn
	n    int64
	br   *bufio.Reader
}

func (r *connReader) Read(p []byte) (int, error) {
	n, err := r.conn.Read(p)
	r.n += int64(n)
	return n, err
}

var readers = sync.Pool{New: func() any {
	r := &connReader{}
	r.br = bufio.NewReaderSize(r, 4<<10)
	return r
}}

func takeReader(conn net.Conn) *connReader {
	r := readers.Get().(*connReader)
	r.conn, r.n = conn, 0
	r.br.Reset(r)
	return r
}

func (r *connReader) release() {
	r.conn = nil
	r.br.Reset(r)
	readers.Put(r)
}

// connBody is a reply's body. Read to its end, it gives the connection
// back for the next request; closed before, it closes the connection, so
// that the rest of a reply too large to read is never read.
type connBody struct {
	pc   *peerConn
	ctx  context.Context
	body io.Reader // http.ReadResponse's; never closed, which would drain it
	conn *tls.Conn
	r    *connReader
	stop func() bool
	keep bool // the peer did not ask to close
	gen  uint64
	done bool
}

var errBodyDone = errors.New("read on a finished reply body")

func (b *connBody) Read(p []byte) (int, error) {
	if b.done {
		return 0, errBodyDone
	}
	n, err := b.body.Read(p)
	switch {
	case errors.Is(err, io.EOF):
		b.finish(true)
	case err != nil:
		b.finish(false)
		if err = settle(b.ctx, err); b.ctx.Err() != nil {
			err = fmt.Errorf("%w (%w)", context.Cause(b.ctx), err)
		}
	}
	return n, err
}

func (b *connBody) Close() error {
	if !b.done {
		b.finish(false)
	}
	return nil
}

// finish ends the request: the connection is kept when the body was read
// to its end, the peer did not ask to close, ctx did not cut it and
// nothing follows the reply; the request's turn is given up.
func (b *connBody) finish(complete bool) {
	b.done = true
	keep := b.stop() && complete && b.keep && b.r.br.Buffered() == 0
	b.r.release()
	if keep && b.conn.SetDeadline(time.Time{}) == nil {
		b.pc.put(b.conn, b.gen)
	} else {
		_ = b.conn.Close()
	}
	<-b.pc.turn
}
