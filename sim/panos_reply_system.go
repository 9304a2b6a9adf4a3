package sim

import (
	"fmt"
	"time"
)

// sessionsReply renders `show session info`.
func sessionsReply(v peerView) string {
	s := v.sessions
	var b xmlBuf
	b.leaves("tmo-tcp", "3600", "tmo-udp", "30", "tmo-icmp", "6", "tmo-def", "30", "tmo-cp", "30",
		"tmo-tcphandshake", "10", "tmo-tcpinit", "5", "tmo-tcphalfclosed", "120", "tmo-tcptimewait", "15")
	b.leafUint("pps", s.pps)
	b.leafUint("num-max", 819200)
	b.leafUint("num-active", s.active)
	b.leafUint("num-mcast", 0)
	b.leafUint("num-udp", s.udp)
	b.leafUint("num-icmp", s.icmp)
	b.leafUint("num-tcp", s.tcp)
	b.leafUint("num-predict", 0)
	b.leafUint("num-bcast", 0)
	b.leafUint("num-installed", s.installed)
	b.leafUint("cps", s.cps)
	b.leafUint("kbps", s.kbps)
	b.leaves("age-accel-en", "True", "age-accel-thresh", "80", "age-accel-tsf", "2",
		"oor-action", "drop", "strict-checksum", "True", "tcp-nonsyn-rej", "True",
		"dp", "*.dp0", "hw-offload", "False", "hw-udp-offload", "False")
	return success(b.String())
}

// uptime formats a duration as PAN-OS does: "3 days, 7:41:02".
func uptime(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	return fmt.Sprintf("%d days, %d:%02d:%02d", s/86400, s%86400/3600, s%3600/60, s%60)
}

// systemReply renders `show system info` of a VM-Series on AWS. The time
// carries the trailing newline real devices send.
func systemReply(v peerView) string {
	s := v.self
	var b xmlBuf
	b.open("system")
	b.leaves(
		"hostname", s.hostname,
		"ip-address", s.mgmtIP,
		"public-ip-address", "unknown",
		"netmask", "255.255.255.0",
		"default-gateway", "10.0.0.1",
		"is-dhcp", "yes",
		"ipv6-address", "unknown",
		"ipv6-link-local-address", fmt.Sprintf("fe80::c00:ff:fe%02x:0/64", 'a'+v.index),
		"mac-address", macOf(byte('a'+v.index), DeviceMgmt),
		"time", v.now.UTC().Format("Mon Jan _2 15:04:05 2006")+"\n",
		"uptime", uptime(v.now.Sub(v.bootTime)),
		"devicename", s.hostname,
		"family", "vm",
		"model", "PA-VM",
		"serial", s.serial,
		"vm-mac-base", fmt.Sprintf("0E:00:00:%02X:01:00", 'a'+v.index),
		"vm-mac-count", "256",
		"vm-uuid", fmt.Sprintf("EC2A5E1D-0000-4000-8000-00000000000%c", 'A'+v.index),
		"vm-cpuid", fmt.Sprintf("AWS:0E4F0700FFFB8B1%c", 'A'+v.index),
		"vm-license", "VM-300",
		"vm-mode", "Amazon AWS",
		"cloud-mode", "non-cloud",
		"sw-version", s.version,
		"global-protect-client-package-version", "0.0.0",
		"device-dictionary-version", "104-434",
		"app-version", s.app,
		"app-release-date", "2024/05/28 12:39:21 UTC",
		"av-version", s.av,
		"av-release-date", "2024/05/29 06:01:07 UTC",
		"threat-version", s.threat,
		"threat-release-date", "2024/05/28 12:39:21 UTC",
		"wf-private-version", "0",
		"wf-private-release-date", "unknown",
		"url-db", "paloaltonetworks",
		"wildfire-version", "0",
		"wildfire-release-date", "",
		"url-filtering-version", urlVersion,
		"global-protect-datafile-version", "unknown",
		"global-protect-datafile-release-date", "unknown",
		"global-protect-clientless-vpn-version", "0",
		"logdb-version", "10.1.2",
	)
	b.WriteString(`<plugin_versions><entry name='vm_series' version='` + vmsPluginVersion + `'><pkginfo>vm_series-` +
		vmsPluginVersion + `</pkginfo></entry></plugin_versions>`)
	b.leaves(
		"platform-family", "vm",
		"vpn-disable-mode", "off",
		"multi-vsys", "off",
		"operational-mode", "normal",
		"device-certificate-status", "Valid",
	)
	b.close("system")
	return success(b.String())
}

// pluginsReply renders `show plugins packages`, which pango's Initialize
// runs on PAN-OS 9.0 and later.
func pluginsReply() string {
	var b xmlBuf
	b.open("plugins")
	b.open("entry")
	b.leaves("name", "vm_series", "version", vmsPluginVersion, "release-date", "2023-01-10 09:12:41")
	b.WriteString("<release-note-url><![CDATA[https://docs.paloaltonetworks.com/vm-series]]></release-note-url>")
	b.leaves("pkg-file", "vm_series-"+vmsPluginVersion, "size", "16M", "platform", "any",
		"installed", "yes", "downloaded", "yes")
	b.close("entry")
	b.close("plugins")
	return success(b.String())
}
