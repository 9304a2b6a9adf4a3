package probe

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// newPeerTransport returns the transport to hand to pango for one peer, and
// the round tripper behind it.
//
// pango builds its own http.Client around the *http.Transport it is given:
// that client follows redirects (re-posting the form, API key included, to
// wherever a 307 points), reads the whole body with io.ReadAll and parses
// it whatever the HTTP status. Neither the client nor the read is exposed.
// The one hook a concrete *http.Transport offers over every request it
// carries is RegisterProtocol: the returned transport only routes the http
// and https schemes to boundedRT, which sends the request to the peer only
// (see peerRoundTripper) and refuses what must not reach pango.
func newPeerTransport(base *http.Transport, host string, port uint, lim replyLimits) (*http.Transport, *boundedRT) {
	if port == 0 {
		port = 443
	}
	addr := net.JoinHostPort(strings.Trim(host, "[]"), strconv.FormatUint(uint64(port), 10))
	rt := &boundedRT{addr: addr, lim: lim, inner: peerRoundTripper(base, strings.Trim(host, "[]"), addr)}
	shell := &http.Transport{
		// An empty TLSNextProto keeps net/http from installing HTTP/2 on
		// the shell, which would claim the https scheme for itself.
		TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{},
	}
	shell.RegisterProtocol("https", rt)
	shell.RegisterProtocol("http", rt)
	return shell, rt
}

// innerRT sends a peer's requests; closing its idle connections is how a
// peer is closed.
type innerRT interface {
	http.RoundTripper
	CloseIdleConnections()
}

// peerRoundTripper returns what sends the requests to the peer at addr:
// hawatch's own single-connection client (peerConn), or, when base sends
// the peer's requests through a proxy or dials TLS its own way, a clone of
// base. net/http keeps the proxy path: CONNECT tunnels, proxy
// authentication and the proxy's own TLS are its business, and the few
// peers behind a proxy can afford its per-connection goroutines.
func peerRoundTripper(base *http.Transport, host, addr string) innerRT {
	if base == nil {
		base = &http.Transport{}
	}
	if base.DialTLSContext != nil || proxied(base, addr) {
		return pinnedClone(base, addr)
	}
	return newPeerConn(base, host, addr)
}

// proxied reports whether base would send a request to addr through a
// proxy; an error choosing one leaves it to net/http, which reports it.
func proxied(base *http.Transport, addr string) bool {
	u, err := proxyFor(base, addr)
	return err != nil || u != nil
}

// proxyFor is the proxy base sends a request to addr through, if any.
func proxyFor(base *http.Transport, addr string) (*url.URL, error) {
	if base.Proxy == nil {
		return nil, nil
	}
	return base.Proxy(&http.Request{URL: &url.URL{Scheme: "https", Host: addr}})
}

// dialerOf is base's dialer, or net/http's default one.
func dialerOf(base *http.Transport) func(ctx context.Context, network, addr string) (net.Conn, error) {
	if base.DialContext != nil {
		return base.DialContext
	}
	return defaultDial
}

// defaultDial is net/http's default dialer, one for all peers.
var defaultDial = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext

// pinnedClone clones base with a dialer that connects only to addr, or to
// the proxy base would use for it.
func pinnedClone(base *http.Transport, addr string) *http.Transport {
	tr := base.Clone()
	allowed := map[string]bool{strings.ToLower(addr): true}
	if u, err := proxyFor(base, addr); err == nil && u != nil {
		allowed[strings.ToLower(canonicalAddr(u))] = true
	}
	dial := dialerOf(base)
	tr.DialContext = func(ctx context.Context, network, a string) (net.Conn, error) {
		if !allowed[strings.ToLower(a)] {
			return nil, fmt.Errorf("refusing to connect to %s: the peer is %s", a, addr)
		}
		return dial(ctx, network, a)
	}
	if base.DialTLSContext != nil {
		dialTLS := base.DialTLSContext
		tr.DialTLSContext = func(ctx context.Context, network, a string) (net.Conn, error) {
			if !allowed[strings.ToLower(a)] {
				return nil, fmt.Errorf("refusing to connect to %s: the peer is %s", a, addr)
			}
			return dialTLS(ctx, network, a)
		}
	}
	return tr
}

// canonicalAddr is u's host:port, with the scheme's default port.
func canonicalAddr(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// replyLimits bound what one reply may cost.
type replyLimits struct {
	maxBytes int64
	xml      XMLLimits
}

// boundedRT sends pango's requests to one peer and hands back only replies
// that are bounded, 2xx and XML, read in full before pango sees them.
type boundedRT struct {
	addr  string // host:port of the peer
	lim   replyLimits
	inner innerRT
	// call is the context of the call in progress; pango's requests carry
	// none, so this is how a poll's deadline cancels them.
	call atomic.Pointer[context.Context]
	// cert is the certificate the peer presented on the latest reply.
	cert atomic.Pointer[CertInfo]
	// leaf is the certificate cert was made from.
	leaf atomic.Pointer[x509.Certificate]
}

// bind makes ctx cancel the requests sent until the returned func is called.
func (rt *boundedRT) bind(ctx context.Context) func() {
	rt.call.Store(&ctx)
	return func() { rt.call.Store(nil) }
}

// RoundTrip implements http.RoundTripper for pango's requests: the reply
// is read in full and checked as XML before pango parses it.
func (rt *boundedRT) RoundTrip(req *http.Request) (*http.Response, error) {
	var buf bytes.Buffer
	resp, err := rt.send(req, &buf)
	if err != nil {
		return nil, err
	}
	if err := checkXMLReply(buf.Bytes(), rt.lim.xml); err != nil {
		return nil, err
	}
	out := *resp
	out.Body = io.NopCloser(&buf)
	out.ContentLength = int64(buf.Len())
	return &out, nil
}

// post sends an encoded form to the peer's API for hawatch's own parsers and
// returns the reply in a buffer of replyBufs, to be handed back with
// putReplyBuf once parsed. The reply's XML is not checked here: the parser
// enforces the limits in its single pass.
func (rt *boundedRT) post(ctx context.Context, apiURL, form string) (*bytes.Buffer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, apiURL, strings.NewReader(form))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	buf := replyBufs.Get().(*bytes.Buffer)
	buf.Reset()
	if _, err := rt.send(req, buf); err != nil { //nolint:bodyclose // send closes the body it read
		putReplyBuf(buf)
		return nil, err
	}
	return buf, nil
}

// replyBufs holds read buffers between requests: a poll reads four replies
// per peer, and growing a fresh buffer for each was a good part of the
// garbage of a poll. A sync.Pool drops what the collector finds idle, so
// it does not keep one buffer per peer.
var replyBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledReply is the largest buffer given back to replyBufs: the rare
// huge reply must not stay in memory for the next small one.
const maxPooledReply = 1 << 20

// putReplyBuf gives buf back to replyBufs; nothing may refer to its bytes.
func putReplyBuf(buf *bytes.Buffer) {
	if buf.Cap() <= maxPooledReply {
		replyBufs.Put(buf)
	}
}

// send sends req to the peer, canceled with the call in progress, and reads
// the reply into buf. It returns the response, whose body is closed.
func (rt *boundedRT) send(req *http.Request, buf *bytes.Buffer) (*http.Response, error) {
	if req.URL.Scheme != "https" || !strings.EqualFold(canonicalAddr(req.URL), rt.addr) {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, fmt.Errorf("refusing a request to %s://%s: the peer is https://%s", req.URL.Scheme, req.URL.Host, rt.addr)
	}
	ctx := req.Context()
	if call := rt.call.Load(); call != nil {
		// A pango call: its request carries no context of its own.
		c, cancel := context.WithCancelCause(ctx)
		defer cancel(nil)
		stop := context.AfterFunc(*call, func() { cancel(context.Cause(*call)) })
		defer stop()
		ctx, req = c, req.WithContext(c)
	}
	resp, err := rt.inner.RoundTrip(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w (%w)", context.Cause(ctx), err)
		}
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	rt.noteCert(resp.TLS)
	return resp, rt.read(resp, buf)
}

// read reads a reply of at most lim.maxBytes into buf. Closing a body that
// was not read to its end closes the connection, so nothing past the limit
// is read; a reply read to its end leaves the connection for the next.
func (rt *boundedRT) read(resp *http.Response, buf *bytes.Buffer) error {
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status}
	}
	limit := rt.lim.maxBytes
	if resp.ContentLength > limit {
		return fmt.Errorf("%w: %d bytes announced, the limit is %d", ErrReplyTooLarge, resp.ContentLength, limit)
	}
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength) + 1) // +1: ReadFrom wants room to see EOF
	}
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1)); err != nil {
		return fmt.Errorf("read reply: %w", err)
	}
	body := buf.Bytes()
	if int64(len(body)) > limit {
		return fmt.Errorf("%w: more than the limit of %d bytes", ErrReplyTooLarge, limit)
	}
	bad := checkReplyStart(body, resp.Header.Get("Content-Type"))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if bad == nil {
			bad = checkXMLReply(body, rt.lim.xml)
		}
		// PAN-OS answers a refused key with 403 and an error document: keep
		// it an *APIError so that the key is generated again.
		var apiErr *APIError
		if bad == nil && errors.As(CheckResponse(body), &apiErr) {
			apiErr.HTTPStatus = resp.StatusCode
			return apiErr
		}
		return &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status, Err: bad}
	}
	return bad
}

// checkReplyStart fails, wrapping ErrMalformed, when body cannot be an XML
// document: a proxy's or load balancer's HTML page must not be read as a
// reply. It looks at the content type and the first byte only.
func checkReplyStart(body []byte, contentType string) error {
	if isHTML(contentType) {
		return fmt.Errorf("%w: text/html page, not xml", ErrMalformed)
	}
	trimmed := bytes.TrimLeft(body, " \t\r\n\ufeff")
	if len(trimmed) == 0 {
		return fmt.Errorf("%w: empty reply", ErrMalformed)
	}
	if trimmed[0] != '<' {
		return fmt.Errorf("%w: reply is not xml", ErrMalformed)
	}
	return nil
}

// isHTML reports whether a content type is text/html. ParseMediaType
// allocates: only what may be HTML pays for it.
func isHTML(contentType string) bool {
	if mt, _, _ := strings.Cut(contentType, ";"); !strings.EqualFold(strings.TrimSpace(mt), "text/html") {
		return false
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "text/html"
}

// checkXMLReply fails, wrapping ErrMalformed, when body is not a bounded XML
// document whose root is response.
func checkXMLReply(body []byte, lim XMLLimits) error {
	root, err := CheckXML(body, lim)
	if err != nil {
		return err
	}
	if root != "response" {
		return fmt.Errorf("%w: root element <%s>, not <response>", ErrMalformed, root)
	}
	return nil
}
