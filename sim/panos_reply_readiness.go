package sim

import (
	"fmt"
	"strconv"
	"time"
)

// licenseDate is how `request license info` writes dates.
const licenseDate = "January 02, 2006"

// licensesReply renders `request license info` of a VM-Series on AWS
// (BYOL): the capacity license that never expires, three subscriptions and
// the support entitlement. Element order as in pan-os-upgrade-assurance's
// recorded reply.
func licensesReply(v peerView) string {
	issued := v.now.AddDate(0, -7, 0).Format(licenseDate)
	valid := v.now.AddDate(0, 5, 0).Format(licenseDate)
	lapsed := v.now.AddDate(0, 0, -3).Format(licenseDate)
	serial := v.self.serial
	var b xmlBuf
	b.open("licenses")
	entry := func(feature, desc, expires string, expired bool, base string) {
		b.open("entry")
		b.leaves("feature", feature, "description", desc, "serial", serial, "issued", issued,
			"expires", expires, "expired", yesNo(expired))
		if base != "" {
			b.leaf("base-license-name", base)
		}
		b.leaf("authcode", "")
		b.close("entry")
	}
	entry("PA-VM", "Standard VM-300", "Never", false, "")
	tp, tpExpired := valid, v.ready.licenseExpired
	if tpExpired {
		tp = lapsed
	}
	entry("Threat Prevention", "Threat Prevention", tp, tpExpired, "PA-VM")
	entry("PAN-DB URL Filtering", "Palo Alto Networks URL Filtering License", valid, false, "PA-VM")
	entry("WildFire License", "WildFire signature feed, integrated WildFire logs, WildFire API", valid, false, "PA-VM")
	sup, supExpired := valid, v.ready.supportExpired
	if supExpired {
		sup = lapsed
	}
	entry("Premium", "24 x 7 phone support; advanced replacement hardware service", sup, supExpired, "")
	b.close("licenses")
	return success(b.String())
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// pendingChangesReply renders `check pending-changes`: yes or no as the
// result's text.
func pendingChangesReply(v peerView) string { return success(yesNo(v.ready.pending)) }

// dfSize formats bytes as df -h does: one decimal below 10, none above.
func dfSize(n uint64) string {
	units := "KMGT"
	f := float64(n)
	unit := ""
	for i := 0; f >= 1024 && i < len(units); i++ {
		f /= 1024
		unit = units[i : i+1]
	}
	if unit == "" {
		return strconv.FormatUint(n, 10)
	}
	if f < 10 {
		return fmt.Sprintf("%.1f%s", f, unit)
	}
	return fmt.Sprintf("%.0f%s", f, unit)
}

// diskSpaceReply renders `show system disk-space`: df -h of a VM-Series
// with a 60 GB disk, as CDATA in the result.
func diskSpaceReply(v peerView) string {
	const repoSize = 24 << 30
	free := min(v.ready.panRepoFree, repoSize)
	used := repoSize - free
	line := func(fs string, size, used uint64, mount string) string {
		pct := 0
		if size > 0 {
			pct = int((used*100 + size - 1) / size)
		}
		return fmt.Sprintf("%-15s %5s %5s %5s %3d%% %s\n", fs, dfSize(size), dfSize(used), dfSize(size-used), pct, mount)
	}
	text := "Filesystem      Size  Used Avail Use% Mounted on\n" +
		line("/dev/root", 8152<<20, 5324<<20, "/") +
		line("none", 8089<<20, 76<<10, "/dev") +
		line("/dev/sda5", 16<<30, 1229<<20, "/opt/pancfg") +
		line("/dev/sda6", repoSize, used, "/opt/panrepo") +
		line("tmpfs", 12<<30, 8601<<20, "/dev/shm") +
		line("cgroup_root", 8089<<20, 0, "/cgroup") +
		line("/dev/sda8", 21<<30, 63<<20, "/opt/panlogs") +
		line("tmpfs", 12<<20, 0, "/opt/pancfg/mgmt/lcaas/ssl/private")
	return success("<![CDATA[" + text + "]]>")
}

// ntpReply renders `show ntp`: the Amazon Time Sync Service and a pool
// server; synched names the server followed, or LOCAL.
func ntpReply(v peerView) string {
	const amazon, pool = "169.254.169.123", "0.pool.ntp.org"
	synched, st1, reach := amazon, "synched", "yes"
	if !v.ready.ntpSynced {
		synched, st1, reach = "LOCAL", "rejected", "no"
	}
	var b xmlBuf
	b.open("ntp-server-1")
	b.leaves("authentication-type", "none", "name", amazon, "reachable", reach, "status", st1)
	b.close("ntp-server-1")
	b.open("ntp-server-2")
	b.leaves("authentication-type", "none", "name", pool, "reachable", reach, "status", "available")
	b.close("ntp-server-2")
	b.leaf("synched", synched)
	return success(b.String())
}

// dateText formats a clock reading as date(1) does; the simulated
// firewalls run in UTC.
func dateText(t time.Time) string { return t.UTC().Format("Mon Jan _2 15:04:05 UTC 2006") }

// clockReply renders `show clock`, the management plane's clock.
func clockReply(v peerView) string { return success(dateText(v.now) + " ") }

// clockMoreReply renders `show clock more`: the data plane's clock.
func clockMoreReply(v peerView) string {
	return success("<member>dataplane time: " + dateText(v.now.Add(v.ready.dpSkew)) + " </member>")
}

// panoramaReply renders `show panorama-status`: CLI text, empty when no
// Panorama is configured.
func panoramaReply(v peerView) string {
	if !v.pairReady.panorama {
		return success("")
	}
	return success(fmt.Sprintf("\nPanorama Server 1 : %s\n    Connected     : %s\n    HA state      : disconnected\n",
		PanoramaIP, yesNo(v.ready.panoramaUp)))
}
