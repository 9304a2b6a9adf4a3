package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"strconv"
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

// pangoConn is one pango client to one peer. pango's calls take no context:
// each runs in a goroutine that the caller abandons at its deadline, and the
// client's own timeout (never longer than the poll timeout) ends it.
type pangoConn struct {
	c *pango.Client
}

// newPangoConn prepares, without connecting, a pango client for address
// (host or host:port).
func newPangoConn(address string, creds Credentials, tr *http.Transport, timeout time.Duration) (*pangoConn, error) {
	host, port, err := splitAddress(address)
	if err != nil {
		return nil, err
	}
	secs := int(math.Ceil(timeout.Seconds()))
	if secs < 1 {
		secs = 1
	}
	return &pangoConn{c: &pango.Client{
		Hostname:  host,
		Port:      port,
		Protocol:  "https",
		ApiKey:    creds.APIKey,
		Username:  creds.Username,
		Password:  creds.Password,
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

// run calls f in a goroutine and gives up when ctx ends, returning the
// context's cause.
func run(ctx context.Context, f func() error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// initialize connects: it generates a key when only a username and password
// are given, and reads `show system info`, which pango does on its own.
func (p *pangoConn) initialize(ctx context.Context) (map[string]string, error) {
	var info map[string]string
	err := run(ctx, func() error {
		if err := p.c.Initialize(); err != nil {
			return err
		}
		info = make(map[string]string, len(p.c.SystemInfo))
		for k, v := range p.c.SystemInfo {
			info[k] = v
		}
		return nil
	})
	return info, convertErr(err)
}

// op runs one operational command and returns the raw reply.
func (p *pangoConn) op(ctx context.Context, cmd string) ([]byte, error) {
	var body []byte
	err := run(ctx, func() error {
		b, err := p.c.Op(cmd, "", nil, nil)
		body = b
		return err
	})
	return body, convertErr(err)
}

// keygen asks for a new API key with the configured username and password.
func (p *pangoConn) keygen(ctx context.Context) error {
	return convertErr(run(ctx, p.c.RetrieveApiKey))
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
