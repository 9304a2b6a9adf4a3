package probe

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// haGroup holds the elements of one HA group, as streamHA reads them. Here
// and in the types below, the tags say where each field is, as Unmarshal
// would read it.
type haGroup struct {
	Mode               string     `xml:"mode"`
	Local              *haLocal   `xml:"local-info"`
	Peer               *haPeer    `xml:"peer-info"`
	LinkMonitoring     monitorXML `xml:"link-monitoring"`
	PathMonitoring     monitorXML `xml:"path-monitoring"`
	RunningSync        string     `xml:"running-sync"`
	RunningSyncEnabled string     `xml:"running-sync-enabled"`
}

// versionsXML are the version elements both peers report.
type versionsXML struct {
	BuildRel         string `xml:"build-rel"`
	AppVersion       string `xml:"app-version"`
	ThreatVersion    string `xml:"threat-version"`
	AVVersion        string `xml:"av-version"`
	URLVersion       string `xml:"url-version"`
	GPClientVersion  string `xml:"gpclient-version"`
	VPNClientVersion string `xml:"vpnclient-version"`
}

func (v *versionsXML) versions() Versions {
	return Versions{
		Build:     strings.TrimSpace(v.BuildRel),
		App:       strings.TrimSpace(v.AppVersion),
		Threat:    strings.TrimSpace(v.ThreatVersion),
		AV:        strings.TrimSpace(v.AVVersion),
		URL:       strings.TrimSpace(v.URLVersion),
		GPClient:  strings.TrimSpace(v.GPClientVersion),
		VPNClient: strings.TrimSpace(v.VPNClientVersion),
	}
}

// haNode holds the elements local-info and peer-info share.
type haNode struct {
	versionsXML
	State           string  `xml:"state"`
	StateDuration   xmlUint `xml:"state-duration"` // seconds
	Priority        string  `xml:"priority"`
	Preemptive      string  `xml:"preemptive"`
	Mode            string  `xml:"mode"`
	MgmtIP          string  `xml:"mgmt-ip"`
	SerialNum       string  `xml:"serial-num"`
	Serial          string  `xml:"serial"`
	LastErrorReason string  `xml:"last-error-reason"`
	LastErrorState  string  `xml:"last-error-state"`
}

// haLocal is local-info.
type haLocal struct {
	haNode
	PromotionHold  xmlUint `xml:"promotion-hold"` // milliseconds
	StateSync      string  `xml:"state-sync"`
	PreemptFlapCnt xmlUint `xml:"preempt-flap-cnt"`
	NonfuncFlapCnt xmlUint `xml:"nonfunc-flap-cnt"`
	MaxFlaps       xmlUint `xml:"max-flaps"`

	HA1Port       string `xml:"ha1-port"`
	HA1IP         string `xml:"ha1-ipaddr"`
	HA1BackupPort string `xml:"ha1-backup-port"`
	HA1BackupIP   string `xml:"ha1-backup-ipaddr"`
	HA2Port       string `xml:"ha2-port"`
	HA2IP         string `xml:"ha2-ipaddr"`
	HA2BackupPort string `xml:"ha2-backup-port"`
	HA2BackupIP   string `xml:"ha2-backup-ipaddr"`
	// MgmtHB is "configured" when the management port carries a backup
	// heartbeat (seen on 7.1.9 and 10.1.12).
	MgmtHB string `xml:"mgmt-hb"`

	// Compat receives every element not named above.
	Compat compatElems `xml:",any"`
}

// haPeer is peer-info.
type haPeer struct {
	haNode
	ConnStatus string  `xml:"conn-status"`
	HA1        *haConn `xml:"conn-ha1"`
	HA1Backup  *haConn `xml:"conn-ha1-backup"`
	HA2        *haConn `xml:"conn-ha2"`
	HA2Backup  *haConn `xml:"conn-ha2-backup"`
	HA3        *haConn `xml:"conn-ha3"`
	Mgmt       *haConn `xml:"conn-mgmt"` // the heartbeat backup
}

// haConn is the peer's view of one HA link.
type haConn struct {
	Status string `xml:"conn-status"`
}

// compatElems collects the compatibility items of local-info: every
// `*-compat` element (keyed without the suffix) and every element named
// after a plugin whose value is a match verdict.
type compatElems map[string]string

// add keeps the element name of local-info, which has no field of its own,
// when it is a compatibility item; val is its text.
func (c *compatElems) add(name string, val []byte) {
	val = bytes.TrimSpace(val)
	key, isCompat := strings.CutSuffix(name, "-compat")
	if key == "" || !isCompat && !isVerdict(val) {
		return
	}
	if *c == nil {
		*c = make(compatElems, 12)
	}
	(*c)[key] = string(val)
}

// isVerdict reports whether v is a value PAN-OS uses for plugin
// compatibility: "Match", "Mismatch", or a qualified form such as
// "Compat Match" (Panorama 10.1.5). A plugin's version, which the peer
// reports under the same name, is not one.
func isVerdict(v []byte) bool {
	last := v[bytes.LastIndexByte(v, ' ')+1:]
	return string(last) == "Match" || string(last) == "Mismatch"
}

// ParseHA parses the reply to `show high-availability all` or `… state`, in
// the firewall shape (result/group) and the Panorama shape (no group). A
// reply for a device without HA yields Enabled=false and no error; a reply
// without an enabled element, or with one that is neither yes nor no, is
// malformed.
func ParseHA(body []byte) (*HAInfo, error) { return parseHA(body, XMLLimits{}) }

// parseHA is ParseHA within lim.
func parseHA(body []byte, lim XMLLimits) (*HAInfo, error) {
	r, err := streamHA(body, lim)
	if err != nil {
		return nil, err
	}
	return haInfo(r)
}

// haInfo converts the elements of an HA reply.
func haInfo(r *haElements) (*HAInfo, error) {
	if r.enabled == nil {
		return nil, fmt.Errorf("ha reply: %w: no enabled element", ErrMalformed)
	}
	enabled := strings.TrimSpace(*r.enabled)
	if !isYes(enabled) && !strings.EqualFold(enabled, "no") {
		return nil, fmt.Errorf("ha reply: %w: enabled is %q", ErrMalformed, clip(enabled))
	}
	g := &r.haGroup
	if r.group != nil {
		g = r.group
	}
	if g.Local == nil {
		g.Local = new(haLocal)
	}
	if g.Peer == nil {
		g.Peer = new(haPeer)
	}
	var u unrecognized
	info := &HAInfo{
		Enabled:            isYes(enabled),
		Mode:               strings.ToLower(firstText(g.Mode, g.Local.Mode)),
		RunningSync:        strings.TrimSpace(g.RunningSync),
		RunningSyncEnabled: isYes(g.RunningSyncEnabled),
	}
	info.ConfigSynchronized = strings.EqualFold(info.RunningSync, "synchronized")
	checkGroup(info, &u)
	setLocal(info, g.Local, &u)
	setPeer(info, g.Peer, &u)
	info.Links = haLinks(g.Local, g.Peer, &u)
	info.LinkMonitoring = g.LinkMonitoring.monitoring("link-monitoring", &u)
	info.PathMonitoring = g.PathMonitoring.monitoring("path-monitoring", &u)
	info.Unrecognized = u
	return info, nil
}

// checkGroup lists the group-level values that are not ones PAN-OS is
// known to report.
func checkGroup(info *HAInfo, u *unrecognized) {
	switch info.Mode {
	case "", "active-passive", "active-active":
	default:
		u.add("mode", info.Mode)
	}
	// pan-os-python also handles "synchronization in progress".
	switch strings.ToLower(info.RunningSync) {
	case "", "synchronized", "not synchronized", "synchronization in progress":
	default:
		u.add("running-sync", info.RunningSync)
	}
}

func setLocal(info *HAInfo, l *haLocal, u *unrecognized) {
	info.LocalStateRaw = strings.TrimSpace(l.State)
	info.LocalState, info.LocalRole = haState("local-info", &l.haNode, u)
	info.LocalStateDuration = l.StateDuration.duration(time.Second)
	info.LocalPriority = strings.TrimSpace(l.Priority)
	info.Preemptive = isYes(l.Preemptive)
	info.PromotionHold = l.PromotionHold.duration(time.Millisecond)
	info.LocalVersions = l.versions()
	info.LocalSerial = firstText(l.SerialNum, l.Serial)
	info.LocalMgmtIP = strings.TrimSpace(l.MgmtIP)
	info.StateSync = strings.TrimSpace(l.StateSync)
	info.PreemptFlapCount = l.PreemptFlapCnt.count()
	info.NonfuncFlapCount = l.NonfuncFlapCnt.count()
	info.MaxFlaps = l.MaxFlaps.count()
	info.Compat = l.Compat
	info.LastErrorReason = strings.TrimSpace(l.LastErrorReason)
	info.LastErrorState = strings.TrimSpace(l.LastErrorState)
}

func setPeer(info *HAInfo, p *haPeer, u *unrecognized) {
	info.PeerStateRaw = strings.TrimSpace(p.State)
	info.PeerState, info.PeerRole = haState("peer-info", &p.haNode, u)
	info.PeerConnected = isUp(p.ConnStatus)
	checkStatus("peer-info/conn-status", p.ConnStatus, u)
	info.PeerStateDuration = p.StateDuration.duration(time.Second)
	info.PeerPriority = strings.TrimSpace(p.Priority)
	info.PeerVersions = p.versions()
	info.PeerSerial = firstText(p.SerialNum, p.Serial)
	info.PeerMgmtIP = strings.TrimSpace(p.MgmtIP)
	info.PeerLastErrorReason = strings.TrimSpace(p.LastErrorReason)
	info.PeerLastErrorState = strings.TrimSpace(p.LastErrorState)
}

// haState classifies a node's state and returns it with the node's
// Panorama role. The role comes from the state's prefix or, failing that,
// from a priority of "primary" or "secondary", which only Panorama reports.
func haState(path string, n *haNode, u *unrecognized) (HAState, string) {
	raw := strings.TrimSpace(n.State)
	st, role, ok := classifyHAState(raw)
	if !ok && raw != "" {
		u.add(path+"/state", raw)
	}
	if role == "" {
		switch p := strings.ToLower(strings.TrimSpace(n.Priority)); p {
		case PanoramaPrimary, PanoramaSecondary:
			role = p
		}
	}
	return st, role
}

// checkStatus lists a link or monitor status that is neither up nor down.
func checkStatus(path, s string, u *unrecognized) {
	s = strings.TrimSpace(s)
	if s != "" && !isUp(s) && !strings.EqualFold(s, "down") {
		u.add(path, s)
	}
}

// haLinks returns the configured HA links in the order ha1, ha1-backup, ha2,
// ha2-backup, ha3, heartbeat-backup. A link is configured when local-info
// names its port or address, or peer-info reports a connection for it.
// PAN-OS names no local element for HA3 in any reply seen, so HA3 is known
// only from the peer's conn-ha3.
func haLinks(l *haLocal, p *haPeer, u *unrecognized) []HALink {
	var hbPort string
	switch hb := strings.TrimSpace(l.MgmtHB); {
	case strings.EqualFold(hb, "configured"):
		hbPort = "management"
	case hb != "":
		u.add("local-info/mgmt-hb", hb)
	}
	if p.Mgmt != nil {
		hbPort = "management"
	}
	specs := [...]struct {
		name, elem, port, ip string
		conn                 *haConn
	}{
		{LinkHA1, "conn-ha1", l.HA1Port, l.HA1IP, p.HA1},
		{LinkHA1Backup, "conn-ha1-backup", l.HA1BackupPort, l.HA1BackupIP, p.HA1Backup},
		{LinkHA2, "conn-ha2", l.HA2Port, l.HA2IP, p.HA2},
		{LinkHA2Backup, "conn-ha2-backup", l.HA2BackupPort, l.HA2BackupIP, p.HA2Backup},
		{LinkHA3, "conn-ha3", "", "", p.HA3},
		{LinkHeartbeatBackup, "conn-mgmt", hbPort, "", p.Mgmt},
	}
	var links []HALink
	for _, s := range specs {
		port := strings.TrimSpace(s.port)
		if port == "" && strings.TrimSpace(s.ip) == "" && s.conn == nil {
			continue
		}
		link := HALink{Name: s.name, Port: port}
		if s.conn != nil {
			link.Status = strings.TrimSpace(s.conn.Status)
			link.Up = isUp(link.Status)
			checkStatus("peer-info/"+s.elem+"/conn-status", link.Status, u)
		}
		if links == nil {
			links = make([]HALink, 0, len(specs))
		}
		links = append(links, link)
	}
	return links
}

// unrecognized collects "path=value" for each value that could not be
// classified. Values are clipped so that a runaway element cannot flood a
// log line.
type unrecognized []string

func (u *unrecognized) add(path, value string) {
	*u = append(*u, path+"="+clip(value))
}

// maxRawValue bounds the length of a raw value quoted in an error or in
// Unrecognized.
const maxRawValue = 64

// clip shortens s to at most maxRawValue bytes without splitting a rune.
func clip(s string) string {
	if len(s) <= maxRawValue {
		return s
	}
	cut := maxRawValue
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
