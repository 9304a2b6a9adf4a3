package sim

import (
	"strconv"
	"strings"
	"time"
)

// Fixed HA settings of the simulated pair.
const (
	vmsPluginVersion = "2.1.7"
	dlpPluginVersion = "1.0.4"
	urlVersion       = "20240527.20193"
	iotVersion       = "129-504"
)

// majorVersion returns the major number of a PAN-OS version ("10.1.9" →
// 10), 0 when it cannot be told.
func majorVersion(v string) int {
	s, _, _ := strings.Cut(v, ".")
	n, _ := strconv.Atoi(s)
	return n
}

func seconds(d time.Duration) string { return strconv.FormatInt(int64(d/time.Second), 10) }

// haReply renders `show high-availability all` (and `state`). Releases
// before 10.0 use the old tags (fail-cond, vwire, vrouter) and know no
// iot or plugin compatibility.
func haReply(v peerView) string {
	modern := majorVersion(v.self.version) >= 10
	var b xmlBuf
	b.leaf("enabled", "yes")
	b.open("group")
	b.leaf("mode", "Active-Passive")
	haLocal(&b, v, modern)
	haPeer(&b, v, modern)
	failCond := "fail-cond"
	if modern {
		failCond = "failure-condition"
	}
	b.open("link-monitoring")
	b.leaves("enabled", "no", failCond, "any", "groups", "")
	b.close("link-monitoring")
	b.open("path-monitoring")
	if modern {
		b.leaves("virtual-wire", "", failCond, "any", "enabled", "no", "vlan", "", "virtual-router", "")
	} else {
		b.leaves("vwire", "", failCond, "any", "vlan", "", "enabled", "no", "vrouter", "")
	}
	b.close("path-monitoring")
	// Only "synchronized" and "not synchronized" are recorded; with HA1
	// down the peer cannot be in sync.
	sync := "not synchronized"
	if v.ha1Up && v.configSync {
		sync = "synchronized"
	}
	b.leaves("running-sync", sync, "running-sync-enabled", "yes")
	b.close("group")
	return success(b.String())
}

func haLocal(b *xmlBuf, v peerView, modern bool) {
	s := v.self
	stateSync := "Incomplete"
	if v.ha2Up {
		stateSync = "Complete"
	}
	b.open("local-info")
	b.leaves(
		"version", "1",
		"state", s.state,
		"state-duration", seconds(s.stateDuration),
		"mgmt-ip", s.mgmtIP+"/24",
		"mgmt-ipv6", "",
		"preemptive", "no",
		"promotion-hold", "2000",
		"hello-interval", "8000",
		"heartbeat-interval", "2000",
		"preempt-hold", "1",
		"monitor-fail-holdup", "0",
		"addon-master-holdup", "500",
		"ha1-ipaddr", s.mgmtIP+"/24",
		"ha1-macaddr", macOf(byte('a'+v.index), DeviceMgmt),
		"ha1-port", ha1Port(v),
	)
	if modern {
		b.leaf("ha1-gateway", "10.0.0.1")
	}
	b.leaves(
		"ha1-encrypt-enable", "no",
		"ha1-encrypt-imported", "no",
		"ha1-link-mon-intv", "3000",
		"ha2-ipaddr", s.ha2IP+"/24",
		"ha2-macaddr", macOf(byte('a'+v.index), DeviceHA2),
		"ha2-port", ha2PortName(v),
	)
	if modern {
		b.leaf("ha2-gateway", "10.0.1.1")
	}
	// The management heartbeat backup is configured; whether it works
	// shows only in the peer's conn-mgmt, as in the 7.1.9 recording.
	b.leaf("mgmt-hb", "configured")
	b.leafInt("priority", int64(s.priority))
	b.leaves(
		"build-rel", s.version,
		"url-version", urlVersion,
		"app-version", s.app,
		"threat-version", s.threat,
		"av-version", s.av,
		"gpclient-version", "Not Installed",
		"vpnclient-version", "Not Installed",
	)
	if modern {
		b.leaf("iot-version", iotVersion)
	}
	platformLeaves(b, v)
	syncType := "ip"
	if v.profile == ProfileHardware {
		syncType = "ethernet"
	}
	b.leaves("state-sync", stateSync, "state-sync-type", syncType)
	b.open("active-passive")
	b.leaves("passive-link-state", "auto", "monitor-fail-holddown", "1")
	b.close("active-passive")
	b.leaves(
		"build-compat", matchOf(v.compat["build"]),
		"app-compat", matchOf(v.compat["app"]),
		"threat-compat", matchOf(v.compat["threat"]),
		"av-compat", matchOf(v.compat["av"]),
		"url-compat", "Match",
		"gpclient-compat", "Match",
		"vpnclient-compat", "Match",
	)
	vm := v.profile != ProfileHardware
	if vm {
		b.leaf("vm-license-compat", "Match")
	}
	if modern {
		b.leaf("iot-compat", "Match")
	}
	if modern && vm {
		// The VM-Series plugin exists only on VM-Series.
		b.leaves("VMS", "Match", "DLP", "Match")
	}
	if s.lastErrReason != "" {
		b.leaves("last-error-reason", s.lastErrReason, "last-error-state", s.lastErrState)
	}
	b.leaves(
		"preempt-flap-cnt", "0",
		"nonfunc-flap-cnt", "0",
		"max-flaps", "3",
		"mode", "Active-Passive",
		"serial-num", s.serial,
	)
	b.close("local-info")
}

// haPeer renders peer-info. While HA1 is down the local peer knows
// nothing current about its peer: state unknown, connections down, most
// fields absent.
func haPeer(b *xmlBuf, v peerView, modern bool) {
	p := v.peer
	b.open("peer-info")
	b.open("conn-ha1")
	b.leaves("conn-status", upDown(v.ha1Up), "conn-primary", "yes", "conn-desc", "heartbeat status")
	b.close("conn-ha1")
	b.open("conn-ha2")
	b.leaves("conn-status", upDown(v.ha2Up), "conn-ka-enbled", "no", "conn-primary", "yes", "conn-desc", "link status")
	b.close("conn-ha2")
	b.open("conn-mgmt")
	b.leaves("conn-status", upDown(v.hbUp), "conn-desc", "heartbeat status")
	b.close("conn-mgmt")
	b.leaves("conn-status", upDown(v.ha1Up), "version", "1")
	if !v.ha1Up {
		b.leaves("state", StateUnknown, "state-duration", "0", "mgmt-ip", p.mgmtIP+"/24")
		b.close("peer-info")
		return
	}
	b.leaves("state", p.state, "state-duration", seconds(p.stateDuration))
	if p.lastErrReason != "" {
		b.leaves("last-error-reason", p.lastErrReason, "last-error-state", p.lastErrState)
	}
	b.leaves(
		"preemptive", "no",
		"mode", "Active-Passive",
		"mgmt-ip", p.mgmtIP+"/24",
		"mgmt-ipv6", "",
	)
	b.leafInt("priority", int64(p.priority))
	b.leaves(
		"build-rel", p.version,
		"url-version", urlVersion,
		"app-version", p.app,
		"threat-version", p.threat,
		"av-version", p.av,
		"gpclient-version", "Not Installed",
		"vpnclient-version", "Not Installed",
	)
	if modern {
		b.leaf("iot-version", iotVersion)
		if v.profile != ProfileHardware {
			b.leaves("VMS", vmsPluginVersion, "DLP", dlpPluginVersion)
		}
	}
	platformLeaves(b, v)
	b.leaves(
		"ha1-ipaddr", p.mgmtIP,
		"ha1-macaddr", macOf(byte('a'+other(v.index)), DeviceMgmt),
		"ha2-ipaddr", p.ha2IP,
		"ha2-macaddr", macOf(byte('a'+other(v.index)), DeviceHA2),
		"serial-num", p.serial,
	)
	b.close("peer-info")
}

// ha1Port and ha2PortName name the HA ports as HA replies do: VM-Series
// in AWS runs HA1 on the management interface and HA2 on ethernet1/1; an
// appliance has dedicated ports.
func ha1Port(v peerView) string {
	if v.profile == ProfileHardware {
		return "dedicated-ha1"
	}
	return "management"
}

func ha2PortName(v peerView) string {
	if v.profile == ProfileHardware {
		return "dedicated-ha2"
	}
	return IfaceHA2
}

// platformLeaves writes the platform model and, on VM-Series, the VM
// license.
func platformLeaves(b *xmlBuf, v peerView) {
	if v.profile == ProfileHardware {
		b.leaf("platform-model", "PA-3220")
		return
	}
	b.leaves("platform-model", "PA-VM", "vm-license", "VM-300", "vm-license-type", "vm300")
}
