package sim

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ifaceUp reports whether the peer's port is up in the view.
func (v peerView) ifaceUp(name string) bool {
	for _, iv := range v.ifaces {
		if iv.name == name {
			return iv.up
		}
	}
	return false
}

// arpReply renders `show arp entry name = 'all'`: the peer that forwards
// has resolved the VPC routers and the servers behind the trust subnet;
// the other peer's data plane has resolved nothing.
func arpReply(v peerView) string {
	var rows xmlBuf
	n := 0
	for k, ip := range ARPGateways {
		port := IfaceTrust
		if strings.HasPrefix(ip, "10.0.2.") {
			port = IfaceUntrust
		}
		if !v.forwards || v.pairReady.arpMissing[ip] || !v.ifaceUp(port) {
			continue
		}
		rows.open("entry")
		rows.leaves("status", "  c  ", "ip", ip, "ttl", strconv.Itoa(1800-97*k),
			"interface", port, "port", port, "mac", fmt.Sprintf("0a:5e:00:%02x:00:%02x", 2+k/2, k))
		rows.close("entry")
		n++
	}
	var b xmlBuf
	b.leaves("dp", "dp0", "timeout", "1800", "total", strconv.Itoa(n))
	b.WriteString("<entries>" + rows.String() + "</entries>")
	b.leaf("max", "32000")
	return success(b.String())
}

// tunnelsReply renders `show running tunnel flow all`: one IPsec tunnel to
// the data center, active on the peer that forwards while it is up.
func tunnelsReply(v peerView) string {
	state := "init"
	if v.forwards && v.pairReady.tunnelUp && v.ifaceUp(IfaceUntrust) {
		state = "active"
	}
	local := ""
	for _, iv := range v.ifaces {
		if iv.name == IfaceUntrust {
			local, _, _ = strings.Cut(iv.ip, "/")
		}
	}
	var b xmlBuf
	b.leaves("dp", "dp0", "num_ipsec", "1", "num_sslvpn", "0", "hop", "")
	b.open("IPSec")
	b.open("entry")
	b.leaves("name", TunnelName, "id", "1", "gwid", "1", "inner-if", "tunnel.1", "outer-if", IfaceUntrust,
		"localip", local, "peerip", TunnelPeerIP, "state", state, "mon", "on", "owner", "1")
	b.close("entry")
	b.close("IPSec")
	b.leaves("SSL-VPN", "", "GlobalProtect-Gateway", "", "GlobalProtect-site-to-site", "", "total", "1")
	return success(b.String())
}

// jobsReply renders `show jobs all`: the auto-commit at boot, a content
// download, and a commit still running when SetJobRunning asked for one.
func jobsReply(v peerView) string {
	boot := v.bootTime.UTC()
	stamp := func(t string) string { return boot.Format("2006/01/02 ") + t }
	var b xmlBuf
	job := func(id int, typ, user, status, queued, result, progress, tenq string) {
		b.open("job")
		b.leaves("tenq", tenq, "tdeq", tenq[len(tenq)-8:], "id", strconv.Itoa(id), "user", user,
			"type", typ, "status", status, "queued", queued, "stoppable", "no", "result", result)
		if status == "FIN" {
			b.leaf("tfin", tenq)
		}
		b.leaves("description", "", "positionInQ", "0", "progress", progress)
		b.open("details")
		if status == "FIN" {
			b.leaf("line", "Configuration committed successfully")
		}
		b.close("details")
		b.leaf("warnings", "")
		b.close("job")
	}
	if v.ready.jobRunning {
		now := v.now.UTC().Format("2006/01/02 15:04:05")
		job(3, "Commit", "admin", "ACT", "NO", "PEND", "42", now)
	}
	job(2, "Downld", "Auto update agent", "FIN", "NO", "OK", "100", stamp(boot.Add(3*60e9).Format("15:04:05")))
	job(1, "AutoCom", "", "FIN", "NO", "OK", "100", stamp(boot.Add(60e9).Format("15:04:05")))
	return success(b.String())
}

// softwareCatalog are the images the update server offers the simulated
// firewalls, besides the running one and those downloaded.
var softwareCatalog = []string{"9.1.0", "9.1.16", "10.0.0", "10.0.12", "10.1.0", "10.1.9", "10.1.14",
	"10.2.0", "10.2.10", "11.0.0", "11.0.4", "11.1.0", "11.1.4"}

// softwareReply renders `request system software info`: the images known
// to the firewall, newest first, with what is downloaded and running.
func softwareReply(v peerView) string {
	versions := slices.Clone(softwareCatalog)
	versions = append(versions, v.self.version)
	versions = append(versions, v.ready.downloaded...)
	slices.SortFunc(versions, func(a, b string) int { return compareVersions(b, a) })
	versions = slices.Compact(versions)
	var b xmlBuf
	b.WriteString(`<sw-updates last-updated-at="` + v.now.UTC().Format("2006/01/02 15:04:05") + `">`)
	b.leaf("msg", "")
	b.open("versions")
	for i, ver := range versions {
		size := 492
		if strings.HasSuffix(ver, ".0") {
			size = 1037 // a base image carries the whole release
		}
		downloaded := ver == v.self.version || slices.Contains(v.ready.downloaded, ver)
		b.open("entry")
		b.leaves("version", ver, "filename", "PanOS_vm-"+ver, "size", strconv.Itoa(size),
			"size-kb", strconv.Itoa(size*1026), "released-on", "2023/03/29 15:05:25")
		b.WriteString("<release-notes><![CDATA[https://www.paloaltonetworks.com/documentation/" +
			strings.Join(strings.SplitN(ver, ".", 3)[:2], "-") + "/pan-os/pan-os-release-notes]]></release-notes>")
		b.leaves("downloaded", yesNo(downloaded), "current", yesNo(ver == v.self.version),
			"latest", yesNo(i == 0), "uploaded", "no")
		b.close("entry")
	}
	b.close("versions")
	b.close("sw-updates")
	return success(b.String())
}

// compareVersions orders PAN-OS versions ("10.1.9", "10.1.14-h4") by their
// numbers; a hotfix sorts after its release.
func compareVersions(a, b string) int {
	pa, pb := versionParts(a), versionParts(b)
	for i := range max(len(pa), len(pb)) {
		var x, y int
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		if x != y {
			return x - y
		}
	}
	return strings.Compare(a, b)
}

func versionParts(v string) []int {
	var out []int
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == '.' || r == '-' || r == 'h' }) {
		n, _ := strconv.Atoi(f)
		out = append(out, n)
	}
	return out
}
