package probe

import (
	"strings"
	"time"
)

// License is one entry of `request license info`.
type License struct {
	Feature     string // e.g. "Threat Prevention", "Premium"
	Description string
	Issued      string // as the firewall writes it, e.g. "April 20, 2023"
	Expires     string // "December 31, 2023" or "Never"
	// ExpiresAt is Expires parsed (midnight UTC of that day); zero when the
	// license never expires or the date does not parse.
	ExpiresAt time.Time
	// Expired is the firewall's own verdict (<expired>yes</expired>).
	Expired bool
}

// Never reports whether the license has no end date.
func (l License) Never() bool { return strings.EqualFold(strings.TrimSpace(l.Expires), "never") }

// supportFeatures are the feature names of Palo Alto Networks support
// entitlements as `request license info` lists them (the support tiers of
// the licensing portal).
var supportFeatures = []string{"standard", "premium", "platinum", "premium partner", "partner enabled premium", "focused services", "support"}

// IsSupport reports whether the license is a support entitlement rather
// than a feature subscription: its feature is a support tier, or its
// description speaks of support ("24 x 7 phone support; ...").
func (l License) IsSupport() bool {
	f := strings.ToLower(strings.TrimSpace(l.Feature))
	for _, s := range supportFeatures {
		if f == s {
			return true
		}
	}
	return strings.Contains(strings.ToLower(l.Description), "phone support")
}

// DiskPartition is one line of `show system disk-space` (df -h).
type DiskPartition struct {
	Filesystem string
	MountedOn  string
	Size       uint64 // bytes
	Used       uint64 // bytes
	Avail      uint64 // bytes
	UsePercent int
}

// PanRepoMount is where PAN-OS keeps downloaded software images.
const PanRepoMount = "/opt/panrepo"

// NTPServer is one configured NTP server of `show ntp`.
type NTPServer struct {
	Slot      string // "ntp-server-1", "ntp-server-2"
	Name      string
	Status    string // "synched", "available", "rejected", ...
	Reachable bool
	Auth      string // authentication-type
}

// NTPStatus is the reply to `show ntp`.
type NTPStatus struct {
	// Synched is the server the clock follows, or "LOCAL" when none.
	Synched string
	Servers []NTPServer
}

// Synchronized reports whether the clock follows one of the configured
// servers; "LOCAL" or a name that is not configured is not synchronized.
func (n *NTPStatus) Synchronized() bool {
	s := strings.TrimSpace(n.Synched)
	if s == "" || strings.EqualFold(s, "LOCAL") {
		return false
	}
	for _, srv := range n.Servers {
		if srv.Name == s {
			return true
		}
	}
	return false
}

// Clock is one clock reading: the wall time the plane shows and the zone
// abbreviation it printed. Time carries the wall clock in UTC, whatever
// the zone, so that two readings of one firewall compare directly.
type Clock struct {
	Plane string // "management" or the data plane's name ("dp0", "s3dp1")
	Time  time.Time
	Zone  string // e.g. "PDT", "UTC"
}

// PanoramaServer is one Panorama of `show panorama-status`.
type PanoramaServer struct {
	Index     int    // 1 or 2
	Address   string // as configured
	Connected bool
	HAState   string // the Panorama's HA state as the firewall sees it
}

// PanoramaStatus is the reply to `show panorama-status`. A firewall not
// managed by Panorama answers with an empty result.
type PanoramaStatus struct {
	Servers []PanoramaServer
}

// Configured reports whether the firewall is managed by a Panorama.
func (p *PanoramaStatus) Configured() bool { return len(p.Servers) > 0 }

// ARPEntry is one entry of `show arp entry name = 'all'`.
type ARPEntry struct {
	Interface string
	IP        string
	MAC       string
	Port      string
	Status    string // "c" complete, "s" static, "e" expired, "i" incomplete
	TTL       int    // seconds
}

// ARPTable is the reply to `show arp entry name = 'all'`.
type ARPTable struct {
	Max     int
	Total   int
	Timeout int // seconds
	Entries []ARPEntry
}

// Has returns the entry for ip, when the table holds a resolved one.
func (t *ARPTable) Has(ip string) (ARPEntry, bool) {
	for _, e := range t.Entries {
		if e.IP == ip && e.MAC != "" && !strings.EqualFold(e.MAC, "(incomplete)") && e.Status != "i" {
			return e, true
		}
	}
	return ARPEntry{}, false
}

// Tunnel is one IPsec tunnel of `show running tunnel flow all`.
type Tunnel struct {
	Name     string
	ID       int
	InnerIf  string // tunnel.N
	OuterIf  string
	LocalIP  string
	PeerIP   string
	State    string // "active", "init", ...
	Monitor  string // "on" or "off"
	Gateway  int
	Protocol string
}

// Up reports whether the tunnel carries traffic.
func (t Tunnel) Up() bool { return strings.EqualFold(strings.TrimSpace(t.State), "active") }

// Job is one entry of `show jobs all`.
type Job struct {
	ID       int
	Type     string // "Commit", "AutoCom", "Downld", "SWInstall", ...
	Status   string // "FIN", "ACT", "PEND"
	Queued   bool
	Result   string // "OK", "FAIL", "PEND"
	Progress string
	User     string
	Enqueued string // tenq
}

// Finished reports whether the job is done: status FIN and not queued.
func (j Job) Finished() bool { return strings.EqualFold(j.Status, "FIN") && !j.Queued }

// SoftwareImage is one PAN-OS image of `request system software info`.
type SoftwareImage struct {
	Version    string
	Filename   string
	SizeMB     uint64 // <size>, in MB
	Downloaded bool
	Current    bool
	Latest     bool
	Uploaded   bool
}

// CertInfo is the certificate the management interface presented.
type CertInfo struct {
	Subject   string
	Issuer    string
	NotBefore time.Time
	NotAfter  time.Time
}

// ContentVersions are the dynamic content versions of `show system info`.
type ContentVersions struct {
	App          string // applications and threats content, e.g. "8799-8509"
	Threat       string
	AV           string
	Wildfire     string
	URLFiltering string
}
