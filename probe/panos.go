package probe

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
)

// PANOSPeerOptions configure the prober of one peer.
type PANOSPeerOptions struct {
	Name        string // the peer label
	Address     string // host[:port]
	Credentials Credentials
	Transport   *http.Transport
	// Timeout bounds each request; it is at most the poll timeout.
	Timeout time.Duration
	// MaxReplyBytes bounds the bytes read of one reply (default
	// DefaultMaxReplyBytes); a longer reply is an error and is not read on.
	MaxReplyBytes int64
	// XMLLimits bound the nesting and element count of one reply.
	XMLLimits XMLLimits
	// SystemInfoInterval is how often `show system info` is read again.
	SystemInfoInterval time.Duration
	Logger             *slog.Logger
	Now                func() time.Time
}

// PANOSPeer polls one firewall through pango. Poll must not be called
// concurrently for the same peer; the scheduler guarantees that.
type PANOSPeer struct {
	opts PANOSPeerOptions
	log  *slog.Logger

	mu          sync.Mutex
	conn        *pangoConn
	initialized bool
	system      *SystemInfo
	systemTime  time.Time
	wasUp       bool
	lastErr     string // ErrorKey of the last failure logged
	// keygenHold and keygenUntil hold keygen back after the firewall
	// refused the password, doubling up to maxKeygenHold: an admin
	// account locks after a few failed logins.
	keygenHold  time.Duration
	keygenUntil time.Time
	// noKey is set while the client holds no key (a keygen failed): then
	// pango's Initialize generates one itself.
	noKey bool
}

// Bounds of the hold on keygen after a refused password.
const (
	minKeygenHold = time.Minute
	maxKeygenHold = 30 * time.Minute
)

// NewPANOSPeer returns a prober for one peer. It does not connect.
func NewPANOSPeer(opts PANOSPeerOptions) (*PANOSPeer, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.MaxReplyBytes <= 0 {
		opts.MaxReplyBytes = DefaultMaxReplyBytes
	}
	opts.XMLLimits = opts.XMLLimits.withDefaults()
	log := opts.Logger.With("peer", opts.Name, "address", opts.Address)
	conn, err := newPangoConn(opts, log)
	if err != nil {
		return nil, fmt.Errorf("peer %s: %w", opts.Name, err)
	}
	return &PANOSPeer{opts: opts, log: log, conn: conn}, nil
}

// Poll runs the poll commands on the peer and returns what it learnt. A
// failed command does not stop the others; its error is in Results.
func (p *PANOSPeer) Poll(ctx context.Context) *PeerStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := &PeerStatus{Name: p.opts.Name, Address: p.opts.Address, Start: p.opts.Now()}
	defer func() { st.End = p.opts.Now() }()

	if !p.initialized || p.system == nil || !p.wasUp ||
		p.opts.Now().Sub(p.systemTime) >= p.opts.SystemInfoInterval {
		p.refreshSystem(ctx, st)
	}
	if r, ok := st.Result(CmdSystem); ok && r.Err != nil && !p.initialized {
		// Not connected: the other commands would fail the same way.
		st.Err = r.Err
		p.finish(st)
		return st
	}
	for _, c := range PollCommands {
		p.runCommand(ctx, st, c)
	}
	p.finish(st)
	return st
}

// finish sets Up and Err from the results and keeps the system info.
func (p *PANOSPeer) finish(st *PeerStatus) {
	var errs []error
	for _, r := range st.Results {
		if r.Err == nil {
			st.Up = true
		} else if !r.Unsupported {
			errs = append(errs, fmt.Errorf("%s: %w", r.Command, r.Err))
		}
	}
	if !st.Up {
		st.Err = errors.Join(errs...)
	}
	for _, r := range st.Results {
		if errors.Is(r.Err, ErrPanic) {
			st.Panics++
		}
	}
	st.System, st.SystemTime = p.system, p.systemTime
	p.logChange(st)
	p.wasUp = st.Up
}

// refreshSystem reads `show system info`: through pango's Initialize on the
// first call (which also generates the key), with Op afterwards.
func (p *PANOSPeer) refreshSystem(ctx context.Context, st *PeerStatus) {
	start := p.opts.Now()
	res := CommandResult{Command: CmdSystem}
	if !p.initialized && p.opts.Now().Before(p.keygenUntil) {
		// pango's Initialize would generate a key on its own: hold it
		// back as withKeyRetry does.
		res.Err = &APIError{Status: "error", Code: 403, Message: "the firewall refused the password; no keygen until " +
			p.keygenUntil.UTC().Format(time.RFC3339)}
	} else if !p.initialized {
		res.Requests = 1
		if p.opts.Credentials.APIKey == "" {
			res.Requests++ // keygen
		}
		var info map[string]string
		var err error
		if p.noKey {
			// Initialize generates the key itself: judge that keygen.
			info, err = p.conn.initialize(ctx)
			p.noteKeygen(err)
			res.Requests++
		} else {
			var extra int
			extra, err = p.withKeyRetry(ctx, func() (err error) {
				info, err = p.conn.initialize(ctx)
				return err
			})
			res.Requests += extra
		}
		if err == nil {
			err = checkSystemMap(info)
		}
		if err == nil {
			p.initialized = true
			p.system, p.systemTime = systemInfoFromMap(info), p.opts.Now()
		}
		res.Err = err
	} else {
		var si *SystemInfo
		n, err := p.opWithKeyRetry(ctx, CmdSystem, func(body []byte) (err error) {
			si, err = p.parseSystem(body)
			return err
		})
		if err == nil {
			p.system, p.systemTime = si, p.opts.Now()
		}
		res.Requests, res.Err = n, err
	}
	res.Duration = p.opts.Now().Sub(start)
	p.noteResult(&res)
	st.Results = append(st.Results, res)
}

// runCommand runs one poll command and parses its reply into st.
func (p *PANOSPeer) runCommand(ctx context.Context, st *PeerStatus, c Command) {
	start := p.opts.Now()
	n, err := p.opWithKeyRetry(ctx, c, func(body []byte) error { return p.parseInto(st, c, body) })
	res := CommandResult{Command: c, Requests: n, Err: err}
	res.Duration = p.opts.Now().Sub(start)
	p.noteResult(&res)
	st.Results = append(st.Results, res)
}

// parseInto parses a reply into st; a panic in a parser fails only c.
func (p *PANOSPeer) parseInto(st *PeerStatus, c Command, body []byte) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = recovered(p.log, p.opts.Name, c, v)
		}
	}()
	lim := p.opts.XMLLimits
	switch c {
	case CmdHA:
		st.HA, err = parseHA(body, lim)
	case CmdInterfaces:
		st.Interfaces, err = parseInterfaces(body, lim)
	case CmdSessions:
		st.Sessions, err = parseSessionInfo(body, lim)
	case CmdCounters:
		st.Counters, err = parseCounters(body, lim)
	}
	return err
}

// opWithKeyRetry runs a command and parses its reply, generating a new key
// when the reply says the key was refused. It returns the number of
// requests sent.
func (p *PANOSPeer) opWithKeyRetry(ctx context.Context, cmd Command, parse func([]byte) error) (int, error) {
	extra, err := p.withKeyRetry(ctx, func() error { return p.conn.op(ctx, cmd, parse) })
	return 1 + extra, err
}

// withKeyRetry runs call; when the key is refused and a username and
// password are configured, it generates a new key and calls once more. It
// returns the number of requests it added to call's.
func (p *PANOSPeer) withKeyRetry(ctx context.Context, call func() error) (int, error) {
	err := call()
	var apiErr *APIError
	if err == nil || !errors.As(err, &apiErr) || !apiErr.AuthFailed() ||
		p.opts.Credentials.Username == "" || p.opts.Credentials.Password == "" {
		return 0, err
	}
	if now := p.opts.Now(); now.Before(p.keygenUntil) {
		return 0, fmt.Errorf("key refused (%w); no keygen until %s, the password was refused", err,
			p.keygenUntil.UTC().Format(time.RFC3339))
	}
	p.log.Info("api key refused, generating a new one")
	kerr := p.conn.keygen(ctx)
	p.noteKeygen(kerr)
	if kerr != nil {
		return 1, fmt.Errorf("key refused (%w), keygen failed: %w", err, kerr)
	}
	return 2, call()
}

// noteKeygen books the outcome of a keygen: a refused password holds the
// next one back, doubling the hold; a key clears it.
func (p *PANOSPeer) noteKeygen(err error) {
	var apiErr *APIError
	switch {
	case err == nil:
		p.keygenHold, p.noKey = 0, false
	case errors.As(err, &apiErr) && apiErr.AuthFailed():
		p.noKey = true
		p.keygenHold = min(max(2*p.keygenHold, minKeygenHold), maxKeygenHold)
		p.keygenUntil = p.opts.Now().Add(p.keygenHold)
		p.log.Warn("password refused by keygen; holding keygen back so that the account does not lock",
			"until", p.keygenUntil.UTC().Format(time.RFC3339))
	default:
		p.noKey = true
	}
}

// noteResult marks unsupported commands and keeps errors free of anything
// but the target.
func (p *PANOSPeer) noteResult(res *CommandResult) {
	if res.Err == nil {
		return
	}
	var apiErr *APIError
	if errors.As(res.Err, &apiErr) && apiErr.Unsupported() {
		res.Unsupported = true
	}
	p.log.Debug("command failed", "command", res.Command, "err", res.Err)
}

// parseSystem is ParseSystemInfo with a parser's panic turned into an error.
func (p *PANOSPeer) parseSystem(body []byte) (si *SystemInfo, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = recovered(p.log, p.opts.Name, CmdSystem, v)
		}
	}()
	return parseSystemInfo(body, p.opts.XMLLimits)
}

// checkSystemMap refuses the system info of a reply that is a well-formed
// response without the system element's content: every release sends at
// least the hostname, model or serial.
func checkSystemMap(m map[string]string) error {
	for _, k := range []string{"hostname", "model", "serial"} {
		if strings.TrimSpace(m[k]) != "" {
			return nil
		}
	}
	return fmt.Errorf("system info reply: %w: no hostname, model or serial", ErrMalformed)
}

// systemInfoFromMap converts the map pango's Initialize fills.
func systemInfoFromMap(m map[string]string) *SystemInfo {
	g := func(k string) string { return strings.TrimSpace(m[k]) }
	return &SystemInfo{
		Hostname:        g("hostname"),
		Model:           g("model"),
		Family:          g("family"),
		Serial:          g("serial"),
		SWVersion:       g("sw-version"),
		Uptime:          g("uptime"),
		MgmtIP:          g("ip-address"),
		AppVersion:      g("app-version"),
		ThreatVersion:   g("threat-version"),
		AVVersion:       g("av-version"),
		WildfireVersion: g("wildfire-version"),
		URLVersion:      g("url-filtering-version"),
		VMMode:          g("vm-mode"),
		VMLicense:       g("vm-license"),
		VMUUID:          g("vm-uuid"),
		VMCPUID:         g("vm-cpuid"),
		OperationalMode: g("operational-mode"),
	}
}
