package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/PaloAltoNetworks/pango"
	pangoerr "github.com/PaloAltoNetworks/pango/errors"
)

// The operational commands, as the XML API takes them.
var opCommands = map[Command]string{
	CmdHA:         "<show><high-availability><all/></high-availability></show>",
	CmdInterfaces: "<show><interface>all</interface></show>",
	CmdSessions:   "<show><session><info/></session></show>",
	CmdCounters:   "<show><counter><interface>all</interface></counter></show>",
	CmdSystem:     "<show><system><info/></system></show>",
}

// Credentials authenticate hawatch to a peer's XML API: an API key, or a
// username and password from which a key is generated.
type Credentials struct {
	APIKey   string
	Username string
	Password string
}

// TLSOptions control how a peer's certificate is verified.
type TLSOptions struct {
	CAFile             string
	InsecureSkipVerify bool
}

// NewTransport returns the HTTP transport for PAN-OS peers. Verification is
// on unless InsecureSkipVerify; CAFile, when set, replaces the system pool.
func NewTransport(o TLSOptions) (*http.Transport, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: o.InsecureSkipVerify} //nolint:gosec // opt-in, documented
	if o.CAFile != "" {
		pem, err := os.ReadFile(o.CAFile)
		if err != nil {
			return nil, fmt.Errorf("read ca file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("ca file %s: no PEM certificate found", o.CAFile)
		}
		cfg.RootCAs = pool
	}
	return &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		TLSClientConfig:     cfg,
		TLSHandshakeTimeout: 10 * time.Second,
		MaxIdleConnsPerHost: 2,
		IdleConnTimeout:     90 * time.Second,
	}, nil
}

// pangoConn is one pango client to one peer, used by one call at a time.
// pango's calls take no context and write the client's fields (ApiKey, the
// connection), so each pango call runs on a goroutine of its own that holds
// token until pango returns: a caller gives up at its deadline without
// waiting, the request in flight is canceled through rt, and the next call
// waits for the token rather than share the client. The poll's commands
// (op) do without pango's call and its goroutine.
type pangoConn struct {
	peer string
	log  *slog.Logger
	rt   *boundedRT
	// apiURL and timeout are what pango uses for its requests, for the
	// poll's requests sent without it.
	apiURL  string
	timeout time.Duration
	token   chan struct{}
	c       *pango.Client // touched only by the goroutine holding token
	// forms holds the encoded request of each command sent with the key
	// formsKey: a poll sends the same four every time. Touched only by
	// the goroutine holding token.
	forms    map[string]string
	formsKey string
}

// form returns the encoded request of an op command with the current
// key; the caller holds token.
func (p *pangoConn) form(cmd string) string {
	if p.forms == nil || p.formsKey != p.c.ApiKey {
		p.forms, p.formsKey = map[string]string{}, p.c.ApiKey
	}
	f, ok := p.forms[cmd]
	if !ok {
		f = url.Values{"type": {"op"}, "cmd": {cmd}, "key": {p.c.ApiKey}}.Encode()
		if len(p.forms) < maxCachedForms {
			p.forms[cmd] = f
		}
	}
	return f
}

// maxCachedForms bounds forms: on-demand commands (routes of one virtual
// router, ARP of one interface) are many and rare.
const maxCachedForms = 16

// newPangoConn prepares, without connecting, a pango client for the peer.
func newPangoConn(o PANOSPeerOptions, log *slog.Logger) (*pangoConn, error) {
	host, port, err := splitAddress(o.Address)
	if err != nil {
		return nil, err
	}
	secs := int(math.Ceil(o.Timeout.Seconds()))
	if secs < 1 {
		secs = 1
	}
	tr, rt := newPeerTransport(o.Transport, host, port, replyLimits{maxBytes: o.MaxReplyBytes, xml: o.XMLLimits})
	apiURL := "https://" + host + "/api"
	if port != 0 {
		apiURL = "https://" + net.JoinHostPort(strings.Trim(host, "[]"), strconv.FormatUint(uint64(port), 10)) + "/api"
	}
	return &pangoConn{peer: o.Name, log: log, rt: rt, apiURL: apiURL, timeout: time.Duration(secs) * time.Second,
		token: make(chan struct{}, 1), c: &pango.Client{
			Hostname:  host,
			Port:      port,
			Protocol:  "https",
			ApiKey:    o.Credentials.APIKey,
			Username:  o.Credentials.Username,
			Password:  o.Credentials.Password,
			Timeout:   secs,
			Transport: tr,
			Logging:   pango.LogQuiet,
		}}, nil
}

// splitAddress splits host[:port]; IPv6 literals keep their brackets because
// pango builds the URL by concatenation.
func splitAddress(address string) (string, uint, error) {
	host, portStr, err := net.SplitHostPort(address)
	if err != nil {
		// No port: the whole address is the host.
		if ip := net.ParseIP(address); ip != nil && ip.To4() == nil {
			return "[" + address + "]", 0, nil
		}
		return address, 0, nil
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil || port == 0 {
		return "", 0, fmt.Errorf("address %q: bad port", address)
	}
	if ip := net.ParseIP(host); ip != nil && ip.To4() == nil {
		host = "[" + host + "]"
	}
	return host, uint(port), nil
}

// callResult is all a call hands back to its caller: the call's goroutine
// writes nothing else that the caller reads.
type callResult struct {
	info map[string]string
	err  error
}

// do runs f on the client on a goroutine of its own and waits for it until
// ctx ends. A panic in f becomes an error wrapping ErrPanic.
func (p *pangoConn) do(ctx context.Context, cmd Command, f func(*pango.Client) callResult) callResult {
	if ctx.Err() != nil {
		return callResult{err: context.Cause(ctx)}
	}
	select {
	case p.token <- struct{}{}:
	case <-ctx.Done():
		return callResult{err: fmt.Errorf("%w: %w", ErrBusy, context.Cause(ctx))}
	}
	done := make(chan callResult, 1) // never blocks a goroutine given up on
	go func() {
		defer func() { <-p.token }()
		defer p.rt.bind(ctx)()
		done <- p.guard(cmd, f)
	}()
	select {
	case r := <-done:
		r.err = convertErr(r.err)
		return r
	case <-ctx.Done():
		return callResult{err: context.Cause(ctx)}
	}
}

// guard calls f and recovers from its panic.
func (p *pangoConn) guard(cmd Command, f func(*pango.Client) callResult) (res callResult) {
	defer func() {
		if v := recover(); v != nil {
			res = callResult{err: recovered(p.log, p.peer, cmd, v)}
		}
	}()
	return f(p.c)
}

// recovered logs a recovered panic with its stack and returns the error
// that replaces the command's result.
func recovered(log *slog.Logger, peer string, cmd Command, v any) error {
	log.Error("recovered from a panic", "command", cmd, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
	return fmt.Errorf("peer %s: %s: %w: %v", peer, cmd, ErrPanic, v)
}

// initialize connects: it generates a key when only a username and password
// are given, and reads `show system info`, which pango does on its own.
func (p *pangoConn) initialize(ctx context.Context) (map[string]string, error) {
	r := p.do(ctx, CmdSystem, func(c *pango.Client) callResult {
		if err := c.Initialize(); err != nil {
			return callResult{err: err}
		}
		// The map is handed over, not kept: pango reads it only in
		// Connect, which hawatch does not call, and a copy per peer
		// would stay for the daemon's life.
		info := c.SystemInfo
		c.SystemInfo = nil
		return callResult{info: info}
	})
	return r.info, r.err
}

// op runs one poll command and hands its reply to parse, whose error it
// returns.
//
// The request is the one pango's Op sends (type=op, the command, the
// client's current key), sent through the same transport, but the reply
// does not go through pango: pango would unmarshal it in full to look for
// an error document before hawatch's parser reads it again. parse reads it
// once, within the peer's limits, and turns an error document into an
// *APIError, which is what withKeyRetry and the unsupported-command check
// look for. The request carries ctx, so it runs on the caller's goroutine;
// it still takes the token, which a pango call given up on may hold.
func (p *pangoConn) op(ctx context.Context, cmd Command, parse func([]byte) error) error {
	return p.opCmd(ctx, opCommands[cmd], parse)
}

// opCmd is op for a command given in XML.
func (p *pangoConn) opCmd(ctx context.Context, cmd string, parse func([]byte) error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	select {
	case p.token <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("%w: %w", ErrBusy, context.Cause(ctx))
	}
	form := p.form(cmd)
	rctx, cancel := context.WithTimeout(ctx, p.timeout)
	buf, err := p.rt.post(rctx, p.apiURL, form)
	cancel()
	<-p.token
	if err != nil {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		return err
	}
	defer putReplyBuf(buf)
	return parse(buf.Bytes())
}

// keygen asks for a new API key with the configured username and password.
func (p *pangoConn) keygen(ctx context.Context) error {
	return p.do(ctx, CmdKeygen, func(c *pango.Client) callResult {
		return callResult{err: c.RetrieveApiKey()}
	}).err
}

// convertErr turns pango's API errors into *APIError so callers can tell a
// refused key from an unknown command.
func convertErr(err error) error {
	var pe pangoerr.Panos
	if errors.As(err, &pe) {
		return &APIError{Status: "error", Code: pe.Code, Message: pe.Msg}
	}
	return err
}
