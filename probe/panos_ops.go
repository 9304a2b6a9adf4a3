package probe

import (
	"context"
	"errors"
	"fmt"
)

// The commands fetched on demand (Fetch), never by the regular poll: the
// upgrade readiness checks and state snapshots read them once per run.
const (
	CmdLicenses       Command = "licenses"
	CmdPendingChanges Command = "pending-changes"
	CmdDiskSpace      Command = "disk-space"
	CmdNTP            Command = "ntp"
	CmdClock          Command = "clock"
	CmdClockMore      Command = "clock-more"
	CmdPanorama       Command = "panorama"
	CmdARP            Command = "arp"
	CmdTunnels        Command = "tunnels"
	CmdRoutes         Command = "routes"
	CmdJobs           Command = "jobs"
	CmdSoftware       Command = "software"
	// CmdCert reads the certificate the management interface presented on
	// the connection hawatch already holds; it sends no request of its own
	// unless no reply has been read yet.
	CmdCert Command = "cert"
)

// OpsCommands are every on-demand command, in the order Fetch runs them.
// CmdSessions and CmdSystem (content versions) are poll commands that
// Fetch also runs when asked.
var OpsCommands = []Command{
	CmdLicenses, CmdPendingChanges, CmdSystem, CmdDiskSpace, CmdNTP, CmdClock,
	CmdClockMore, CmdPanorama, CmdSessions, CmdARP, CmdTunnels, CmdRoutes, CmdJobs,
	CmdSoftware, CmdCert,
}

// opsXML are the XML API forms of the on-demand commands.
var opsXML = map[Command]string{
	CmdLicenses:       "<request><license><info/></license></request>",
	CmdPendingChanges: "<check><pending-changes/></check>",
	CmdDiskSpace:      "<show><system><disk-space/></system></show>",
	CmdNTP:            "<show><ntp/></show>",
	CmdClock:          "<show><clock/></show>",
	CmdClockMore:      "<show><clock><more/></clock></show>",
	CmdPanorama:       "<show><panorama-status/></show>",
	CmdARP:            "<show><arp><entry name = 'all'/></arp></show>",
	CmdTunnels:        "<show><running><tunnel><flow><all/></flow></tunnel></running></show>",
	CmdRoutes:         "<show><routing><route/></routing></show>",
	CmdJobs:           "<show><jobs><all/></jobs></show>",
	CmdSoftware:       "<request><system><software><info/></software></system></request>",
}

// OpsXML returns the XML API form of an on-demand or poll command.
func OpsXML(c Command) (string, bool) {
	if s, ok := opsXML[c]; ok {
		return s, true
	}
	s, ok := opCommands[c]
	return s, ok
}

// ErrNotFetched is the error of a command a Fetch did not run.
var ErrNotFetched = errors.New("not fetched")

// Ops is what one Fetch learnt about one peer. A field is set only when its
// command succeeded; Results tells why one is not.
type Ops struct {
	Peer            string
	Licenses        []License
	PendingChanges  bool
	System          *SystemInfo // content versions
	Disk            []DiskPartition
	NTP             *NTPStatus
	Clock           *Clock // management plane
	DataplaneClocks []Clock
	Panorama        *PanoramaStatus
	Sessions        *SessionInfo
	ARP             *ARPTable
	Tunnels         []Tunnel
	Routes          []Route
	Jobs            []Job
	Software        []SoftwareImage
	Cert            *CertInfo
	Results         []CommandResult
}

// Err returns the error of command c: nil when it succeeded, ErrNotFetched
// when it was not run.
func (o *Ops) Err(c Command) error {
	if o == nil {
		return ErrNotFetched
	}
	for _, r := range o.Results {
		if r.Command == c {
			return r.Err
		}
	}
	return ErrNotFetched
}

// Fetch runs the given on-demand commands (OpsCommands when none) on the
// peer, one after the other, and returns what they said. A failed command
// does not stop the others. It connects first when no poll has.
func (p *PANOSPeer) Fetch(ctx context.Context, cmds ...Command) *Ops {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(cmds) == 0 {
		cmds = OpsCommands
	}
	ops := &Ops{Peer: p.opts.Name}
	if !p.initialized {
		st := &PeerStatus{Name: p.opts.Name}
		p.refreshSystem(ctx, st)
		if r, _ := st.Result(CmdSystem); r.Err != nil {
			for _, c := range cmds {
				ops.Results = append(ops.Results, CommandResult{Command: c, Err: r.Err})
			}
			return ops
		}
	}
	for _, c := range cmds {
		ops.Results = append(ops.Results, p.fetchOne(ctx, ops, c))
	}
	return ops
}

// fetchOne runs one on-demand command and stores its parsed reply in ops.
func (p *PANOSPeer) fetchOne(ctx context.Context, ops *Ops, c Command) (res CommandResult) {
	start := p.opts.Now()
	res.Command = c
	defer func() { res.Duration = p.opts.Now().Sub(start) }()
	if c == CmdCert {
		if ops.Cert = p.conn.rt.peerCert(); ops.Cert == nil {
			// No reply read on this connection yet: one cheap request.
			n, err := p.opWithKeyRetry(ctx, CmdSystem, func(body []byte) error {
				_, err := decodeEnvelope[resultHead](body, "system info", p.opts.XMLLimits)
				return err
			})
			res.Requests = n
			if ops.Cert = p.conn.rt.peerCert(); ops.Cert == nil && err == nil {
				err = fmt.Errorf("peer %s: no certificate on the connection", p.opts.Name)
			}
			res.Err = err
		}
		return res
	}
	xml, ok := OpsXML(c)
	if !ok {
		res.Err = fmt.Errorf("peer %s: unknown command %q", p.opts.Name, c)
		return res
	}
	// Like the poll's commands, the reply skips pango's own unmarshalling
	// for errors: the parser reads it once and turns an error document
	// into an *APIError. Unlike them, its parser does not take the peer's
	// XML limits, so the reply is checked against them first.
	extra, err := p.withKeyRetry(ctx, func() error {
		return p.conn.opCmd(ctx, xml, func(body []byte) error {
			if err := checkXMLReply(body, p.opts.XMLLimits); err != nil {
				return err
			}
			return p.parseOps(ops, c, body)
		})
	})
	res.Requests = 1 + extra
	res.Err = err
	p.noteResult(&res)
	return res
}

// parseOps parses a reply into ops; a panic in a parser fails only c.
func (p *PANOSPeer) parseOps(ops *Ops, c Command, body []byte) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = recovered(p.log, p.opts.Name, c, v)
		}
	}()
	switch c {
	case CmdLicenses:
		ops.Licenses, err = ParseLicenses(body)
	case CmdPendingChanges:
		ops.PendingChanges, err = ParsePendingChanges(body)
	case CmdSystem:
		ops.System, err = ParseSystemInfo(body)
	case CmdDiskSpace:
		ops.Disk, err = ParseDiskSpace(body)
	case CmdNTP:
		ops.NTP, err = ParseNTP(body)
	case CmdClock:
		var c Clock
		if c, err = ParseClock(body); err == nil {
			ops.Clock = &c
		}
	case CmdClockMore:
		ops.DataplaneClocks, err = ParseDataplaneClocks(body)
	case CmdPanorama:
		ops.Panorama, err = ParsePanoramaStatus(body)
	case CmdSessions:
		ops.Sessions, err = ParseSessionInfo(body)
	case CmdARP:
		ops.ARP, err = ParseARP(body)
	case CmdRoutes:
		ops.Routes, err = ParseRoutes(body)
	case CmdTunnels:
		ops.Tunnels, err = ParseTunnels(body)
	case CmdJobs:
		ops.Jobs, err = ParseJobs(body)
	case CmdSoftware:
		ops.Software, err = ParseSoftware(body)
	}
	return err
}
