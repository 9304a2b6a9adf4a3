package sim

// Command names of the upgrade-readiness commands; they match hawatch's
// probe command names.
const (
	CmdLicenses       = "licenses"
	CmdPendingChanges = "pending-changes"
	CmdDiskSpace      = "disk-space"
	CmdNTP            = "ntp"
	CmdClock          = "clock"
	CmdClockMore      = "clock-more"
	CmdPanorama       = "panorama"
	CmdARP            = "arp"
	CmdTunnels        = "tunnels"
	CmdRoutes         = "routes"
	CmdJobs           = "jobs"
	CmdSoftware       = "software"
)

// readinessPaths are the element paths of the readiness commands: `request
// license info` is <request><license><info/></license></request>, and so
// on. The arp command's name = 'all' attribute is not looked at.
var readinessPaths = map[string][]string{
	CmdLicenses:       {"request", "license", "info"},
	CmdPendingChanges: {"check", "pending-changes"},
	CmdDiskSpace:      {"show", "system", "disk-space"},
	CmdNTP:            {"show", "ntp"},
	CmdClock:          {"show", "clock"},
	CmdClockMore:      {"show", "clock", "more"},
	CmdPanorama:       {"show", "panorama-status"},
	CmdARP:            {"show", "arp", "entry"},
	CmdTunnels:        {"show", "running", "tunnel", "flow", "all"},
	CmdRoutes:         {"show", "routing", "route"},
	CmdJobs:           {"show", "jobs", "all"},
	CmdSoftware:       {"request", "system", "software", "info"},
}

// classifyReadiness recognizes a readiness command: a chain of single
// elements without text.
func classifyReadiness(root *cmdNode) (opCommand, bool) {
	var path []string
	for n := root; n != nil; n = n.only() {
		if n.text != "" {
			return opCommand{}, false
		}
		path = append(path, n.name)
		if len(n.children) > 1 {
			return opCommand{}, false
		}
	}
	for name, want := range readinessPaths {
		if equalPath(path, want) {
			return opCommand{name: name}, true
		}
	}
	return opCommand{}, false
}

func equalPath(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// readinessReply answers a readiness command from the peer's view.
func readinessReply(cmd string, v peerView) (string, bool) {
	f, ok := map[string]func(peerView) string{
		CmdLicenses: licensesReply, CmdPendingChanges: pendingChangesReply,
		CmdDiskSpace: diskSpaceReply, CmdNTP: ntpReply, CmdClock: clockReply,
		CmdClockMore: clockMoreReply, CmdPanorama: panoramaReply, CmdARP: arpReply,
		CmdTunnels: tunnelsReply, CmdRoutes: routesReply, CmdJobs: jobsReply, CmdSoftware: softwareReply,
	}[cmd]
	if !ok {
		return "", false
	}
	return f(v), true
}
