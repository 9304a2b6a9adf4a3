package probe

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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
// and https schemes to boundedRT, which sends the request on a clone of base
// whose dialer is pinned to the peer, and refuses what must not reach pango.
func newPeerTransport(base *http.Transport, host string, port uint, lim replyLimits) (*http.Transport, *boundedRT) {
	if port == 0 {
		port = 443
	}
	addr := net.JoinHostPort(strings.Trim(host, "[]"), strconv.FormatUint(uint64(port), 10))
	rt := &boundedRT{addr: addr, lim: lim, inner: pinnedClone(base, addr)}
	shell := &http.Transport{
		// An empty TLSNextProto keeps net/http from installing HTTP/2 on
		// the shell, which would claim the https scheme for itself.
		TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{},
	}
	shell.RegisterProtocol("https", rt)
	shell.RegisterProtocol("http", rt)
	return shell, rt
}

// pinnedClone clones base with a dialer that connects only to addr, or to
// the proxy base would use for it.
func pinnedClone(base *http.Transport, addr string) *http.Transport {
	if base == nil {
		base = &http.Transport{}
	}
	tr := base.Clone()
	allowed := map[string]bool{strings.ToLower(addr): true}
	if base.Proxy != nil {
		u, err := base.Proxy(&http.Request{URL: &url.URL{Scheme: "https", Host: addr}})
		if err == nil && u != nil {
			allowed[strings.ToLower(canonicalAddr(u))] = true
		}
	}
	dial := base.DialContext
	if dial == nil {
		dial = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	}
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
	inner *http.Transport
	// call is the context of the call in progress; pango's requests carry
	// none, so this is how a poll's deadline cancels them.
	call atomic.Pointer[context.Context]
	// cert is the certificate the peer presented on the latest reply.
	cert atomic.Pointer[CertInfo]
}

// bind makes ctx cancel the requests sent until the returned func is called.
func (rt *boundedRT) bind(ctx context.Context) func() {
	rt.call.Store(&ctx)
	return func() { rt.call.Store(nil) }
}

// RoundTrip implements http.RoundTripper.
func (rt *boundedRT) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != "https" || !strings.EqualFold(canonicalAddr(req.URL), rt.addr) {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, fmt.Errorf("refusing a request to %s://%s: the peer is https://%s", req.URL.Scheme, req.URL.Host, rt.addr)
	}
	ctx, cancel := context.WithCancelCause(req.Context())
	defer cancel(nil)
	if call := rt.call.Load(); call != nil {
		stop := context.AfterFunc(*call, func() { cancel(context.Cause(*call)) })
		defer stop()
	}
	resp, err := rt.inner.RoundTrip(req.WithContext(ctx))
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w (%w)", context.Cause(ctx), err)
		}
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	rt.noteCert(resp.TLS)
	body, err := rt.read(resp)
	if err != nil {
		return nil, err
	}
	out := *resp
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.ContentLength = int64(len(body))
	return &out, nil
}

// read reads a reply of at most lim.maxBytes and checks it. Closing a body
// that was not read to its end closes the connection, so nothing past the
// limit is read.
func (rt *boundedRT) read(resp *http.Response) ([]byte, error) {
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return nil, &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status}
	}
	limit := rt.lim.maxBytes
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: %d bytes announced, the limit is %d", ErrReplyTooLarge, resp.ContentLength, limit)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read reply: %w", err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%w: more than the limit of %d bytes", ErrReplyTooLarge, limit)
	}
	bad := checkReply(body, resp.Header.Get("Content-Type"), rt.lim.xml)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// PAN-OS answers a refused key with 403 and an error document: keep
		// it an *APIError so that the key is generated again.
		var apiErr *APIError
		if bad == nil && errors.As(CheckResponse(body), &apiErr) {
			apiErr.HTTPStatus = resp.StatusCode
			return nil, apiErr
		}
		return nil, &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status, Err: bad}
	}
	return body, bad
}

// checkReply fails, wrapping ErrMalformed, when body is not a bounded XML
// document whose root is response: a proxy's or load balancer's HTML page
// must not be read as a reply.
func checkReply(body []byte, contentType string, lim XMLLimits) error {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil && mt == "text/html" {
		return fmt.Errorf("%w: %s page, not xml", ErrMalformed, mt)
	}
	trimmed := bytes.TrimLeft(body, " \t\r\n\ufeff")
	if len(trimmed) == 0 {
		return fmt.Errorf("%w: empty reply", ErrMalformed)
	}
	if trimmed[0] != '<' {
		return fmt.Errorf("%w: reply is not xml", ErrMalformed)
	}
	root, err := CheckXML(body, lim)
	if err != nil {
		return err
	}
	if root != "response" {
		return fmt.Errorf("%w: root element <%s>, not <response>", ErrMalformed, root)
	}
	return nil
}
