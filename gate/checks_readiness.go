package gate

import (
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// Names of the upgrade-readiness checks, after those of Palo Alto Networks'
// pan-os-upgrade-assurance (see docs/upgrade-readiness.md), plus what an
// HA upgrade needs besides. They run on a pair only when Options.Ops holds
// its on-demand replies.
const (
	CheckActiveSupport   = "active-support"
	CheckExpiredLicenses = "expired-licenses"
	CheckPendingChanges  = "pending-changes"
	CheckContentVersions = "content-versions"
	CheckFreeDiskSpace   = "free-disk-space"
	CheckNTPSync         = "ntp-sync"
	CheckClockSync       = "clock-sync"
	CheckPanorama        = "panorama-connected"
	CheckSessionsExist   = "sessions-exist"
	CheckARPEntries      = "arp-entries"
	CheckIPsecTunnels    = "ipsec-tunnels"
	CheckJobsIdle        = "jobs-idle"
	CheckTargetImage     = "target-image"
	CheckMgmtCertificate = "mgmt-certificate"
)

// ReadinessChecks are the readiness checks in the order they are reported.
var ReadinessChecks = []string{
	CheckActiveSupport, CheckExpiredLicenses, CheckPendingChanges, CheckContentVersions,
	CheckFreeDiskSpace, CheckNTPSync, CheckClockSync, CheckPanorama, CheckSessionsExist,
	CheckARPEntries, CheckIPsecTunnels, CheckJobsIdle, CheckTargetImage, CheckMgmtCertificate,
}

// CheckNames lists every check name --checks and --skip accept.
var CheckNames = append([]string{
	CheckReachable, CheckHAEnabled, CheckHAStates, CheckHALinks, CheckDataPlaneLinks,
	CheckPeersConnected, CheckConfigSync, CheckSessionSync, CheckVersionsMatch,
	CheckExpectedActive, CheckExpectedVersion, CheckAWSInstances, CheckAWSENIs,
	CheckAWSSourceDest, CheckAWSSubnets, CheckAWSRoutes, CheckAWSFloatingIPs,
	CheckFailoverReady, CheckTraffic, CheckUpgradePath,
}, ReadinessChecks...)

// Defaults of ReadinessOptions.
const (
	// DefaultMaxClockSkew is how far a data plane clock may be from the
	// management clock: the two are read by two requests, a second apart
	// at worst, with one-second resolution.
	DefaultMaxClockSkew = 5 * time.Second
	// DefaultFreeSpace is the free space /opt/panrepo needs when the
	// target image's size is not known: pan-os-upgrade-assurance's 3 GB,
	// the largest patch and base images together with a margin.
	DefaultFreeSpace = 3 << 30
)

// ReadinessOptions tune the readiness checks.
type ReadinessOptions struct {
	// MinContentVersion is the oldest applications and threats content
	// version allowed, e.g. "8799-8509"; "" accepts any.
	MinContentVersion string
	// ARP are the addresses the forwarding peer must have ARP entries for;
	// the arp-entries check runs only when some are given.
	ARP []string
	// CertValidFor is how long past the check the management certificate
	// must stay valid.
	CertValidFor time.Duration
	// MaxClockSkew bounds the data plane clocks' distance from the
	// management clock; DefaultMaxClockSkew when zero.
	MaxClockSkew time.Duration
}

// target is the target version as PAN-OS spells it; "" when none.
func (o Options) target() string {
	if o.TargetVersion == nil {
		return ""
	}
	return o.TargetVersion.Canonical()
}

// Validate checks what the operator gave: check names and ARP addresses.
func (o Options) Validate() error {
	if err := ValidateSelection(o.Checks, o.Skip); err != nil {
		return err
	}
	for _, ip := range o.Readiness.ARP {
		if net.ParseIP(ip) == nil {
			return fmt.Errorf("--arp %q: not an IP address", ip)
		}
	}
	if v := o.Readiness.MinContentVersion; v != "" && len(numbers(v)) != 2 {
		return fmt.Errorf("--min-content-version %q: want a content version such as 8799-8509", v)
	}
	return nil
}

// OpsByPair keys the on-demand replies of PollAllWithOps by pair name.
func OpsByPair(snaps []*snapshot.Pair, ops [][]*probe.Ops) map[string][]*probe.Ops {
	out := map[string][]*probe.Ops{}
	for i, p := range snaps {
		if p != nil && i < len(ops) && ops[i] != nil {
			out[p.Name] = ops[i]
		}
	}
	return out
}

// ValidateSelection fails when a name given to --checks or --skip is not a
// check, listing the valid names.
func ValidateSelection(checks, skip []string) error {
	var bad []string
	for _, n := range append(slices.Clone(checks), skip...) {
		if !slices.Contains(CheckNames, n) {
			bad = append(bad, n)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("unknown check %s; valid checks: %s", strings.Join(bad, ", "), strings.Join(CheckNames, ", "))
	}
	return nil
}

// selected reports whether the check named runs under the selection.
func (o Options) selected(name string) bool {
	if len(o.Checks) > 0 && !slices.Contains(o.Checks, name) {
		return false
	}
	return !slices.Contains(o.Skip, name)
}

// filter keeps the selected checks.
func (o Options) filter(checks []Check) []Check {
	return slices.DeleteFunc(checks, func(c Check) bool { return !o.selected(c.Name) })
}

// readinessCommands are the on-demand commands each readiness check reads.
var readinessCommands = map[string][]probe.Command{
	CheckActiveSupport:   {probe.CmdLicenses},
	CheckExpiredLicenses: {probe.CmdLicenses},
	CheckPendingChanges:  {probe.CmdPendingChanges},
	CheckContentVersions: {probe.CmdSystem},
	CheckFreeDiskSpace:   {probe.CmdDiskSpace},
	CheckNTPSync:         {probe.CmdNTP},
	CheckClockSync:       {probe.CmdClock, probe.CmdClockMore},
	CheckPanorama:        {probe.CmdPanorama},
	CheckARPEntries:      {probe.CmdARP},
	CheckIPsecTunnels:    {probe.CmdTunnels},
	CheckJobsIdle:        {probe.CmdJobs},
	CheckTargetImage:     {probe.CmdSoftware, probe.CmdSystem},
	CheckMgmtCertificate: {probe.CmdCert},
}

// ReadinessCommands returns the on-demand commands the selected readiness
// checks need, in probe.OpsCommands order; none when no readiness check
// runs. sessions-exist reads the poll's session counts.
func ReadinessCommands(o Options) []probe.Command {
	need := map[probe.Command]bool{}
	for _, name := range ReadinessChecks {
		if o.selected(name) && o.applies(name) {
			for _, c := range readinessCommands[name] {
				need[c] = true
			}
			// The target image's size comes from the software list,
			// what is still to download from the running version.
			if name == CheckFreeDiskSpace && o.target() != "" {
				need[probe.CmdSoftware], need[probe.CmdSystem] = true, true
			}
		}
	}
	var out []probe.Command
	for _, c := range probe.OpsCommands {
		if need[c] {
			out = append(out, c)
		}
	}
	return out
}

// applies reports whether a readiness check has what it needs to run:
// arp-entries needs addresses and target-image a target version, unless
// named in --checks, where their absence makes them unknown.
func (o Options) applies(name string) bool {
	explicit := slices.Contains(o.Checks, name)
	switch name {
	case CheckARPEntries:
		return len(o.Readiness.ARP) > 0 || explicit
	case CheckTargetImage:
		return o.target() != "" || explicit
	}
	return true
}

// readinessChecks runs the readiness checks on one pair, in order; none
// when the pair has no on-demand replies.
func readinessChecks(p *snapshot.Pair, o Options) []Check {
	ops, ok := o.Ops[p.Name]
	if !ok {
		return nil
	}
	r := readiness{p: p, ops: ops, o: o}
	run := map[string]func() Check{
		CheckActiveSupport: r.activeSupport, CheckExpiredLicenses: r.expiredLicenses,
		CheckPendingChanges: r.pendingChanges, CheckContentVersions: r.contentVersions,
		CheckFreeDiskSpace: r.freeDiskSpace, CheckNTPSync: r.ntpSync, CheckClockSync: r.clockSync,
		CheckPanorama: r.panorama, CheckSessionsExist: r.sessionsExist, CheckARPEntries: r.arpEntries,
		CheckIPsecTunnels: r.ipsecTunnels, CheckJobsIdle: r.jobsIdle, CheckTargetImage: r.targetImage,
		CheckMgmtCertificate: r.mgmtCertificate,
	}
	var out []Check
	for _, name := range ReadinessChecks {
		if o.selected(name) && o.applies(name) {
			out = append(out, run[name]())
		}
	}
	return out
}

// readiness holds what the readiness checks of one pair read.
type readiness struct {
	p   *snapshot.Pair
	ops []*probe.Ops // in peer order
	o   Options
}

// now is the time the checks judge expiry against: the end of the poll.
func (r readiness) now() time.Time { return r.p.End }

// opsOf returns the on-demand replies of a peer.
func (r readiness) opsOf(peer *probe.PeerStatus) *probe.Ops {
	for _, o := range r.ops {
		if o != nil && peer != nil && o.Peer == peer.Name {
			return o
		}
	}
	return nil
}

// cmdText is how the evidence names each on-demand command.
var cmdText = map[probe.Command]string{
	probe.CmdLicenses: "request license info", probe.CmdPendingChanges: "check pending-changes",
	probe.CmdSystem: "show system info", probe.CmdDiskSpace: "show system disk-space",
	probe.CmdNTP: "show ntp", probe.CmdClock: "show clock", probe.CmdClockMore: "show clock more",
	probe.CmdPanorama: "show panorama-status", probe.CmdARP: "show arp entry name = 'all'",
	probe.CmdTunnels: "show running tunnel flow all", probe.CmdJobs: "show jobs all",
	probe.CmdSoftware: "request system software info", probe.CmdCert: "the management certificate",
}

// eachPeer calls judge with the replies of every peer that answered cmds;
// a peer that did not, or a command it refused or failed, is unknown.
func (r readiness) eachPeer(o *outcome, cmds []probe.Command, judge func(peer *probe.PeerStatus, ops *probe.Ops)) {
	for _, peer := range r.p.Peers {
		if ops, why := r.answered(peer, cmds); why != "" {
			o.unknownf("%s", why)
		} else {
			judge(peer, ops)
		}
	}
}

// answered returns the peer's replies when it answered cmds, or why not.
func (r readiness) answered(peer *probe.PeerStatus, cmds []probe.Command) (*probe.Ops, string) {
	if why := unreachable(peer); why != "" {
		return nil, why
	}
	ops := r.opsOf(peer)
	if ops == nil {
		return nil, peer.Name + " was not asked"
	}
	for _, c := range cmds {
		if err := ops.Err(c); err != nil {
			return nil, fmt.Sprintf("%s: `%s` failed: %v", peer.Name, cmdText[c], err)
		}
	}
	return ops, ""
}
