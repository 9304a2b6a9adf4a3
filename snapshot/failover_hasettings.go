package snapshot

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hawatch/hawatch/probe"
)

// FailoverCheckHASettingsMatch is the check that both peers run the same HA
// timers and the same link- and path-monitoring groups, so that the
// passive, once active, fails over for the same reasons and as fast.
const FailoverCheckHASettingsMatch = "ha-settings-match"

// haSettingsMatch compares what decides when each peer fails over: the
// promotion hold, preemption, and the link- and path-monitoring sections,
// as each peer reports its own.
func (p *predictor) haSettingsMatch() {
	if p.noPair != "" {
		p.add(FailoverCheckHASettingsMatch, "ha settings", "", probe.Unknown, p.noPair+", so there are no peers to compare")
		return
	}
	a, b := p.peer(p.active), p.peer(p.passive)
	for _, peer := range []*probe.PeerStatus{a, b} {
		if peer == nil || !peer.Up || peer.HA == nil || !peer.HA.Enabled {
			name := p.passive
			if peer != nil {
				name = peer.Name
			}
			p.add(FailoverCheckHASettingsMatch, "ha settings", p.passive, probe.Unknown,
				"peer "+name+" gave no HA reply this poll, so the peers' HA settings cannot be compared")
			return
		}
	}
	diffs := haSettingDiffs(a.HA, b.HA)
	diffs = append(diffs, monitoringDiffs("link-monitoring", a.HA.LinkMonitoring, b.HA.LinkMonitoring)...)
	diffs = append(diffs, monitoringDiffs("path-monitoring", a.HA.PathMonitoring, b.HA.PathMonitoring)...)
	if len(diffs) == 0 {
		p.add(FailoverCheckHASettingsMatch, "ha settings", p.passive, probe.Yes, "")
		return
	}
	for _, d := range diffs {
		p.addf(FailoverCheckHASettingsMatch, d.item, p.passive, probe.No,
			"%s is %s on active %s but %s on passive %s: once active, %s would fail over for other reasons or at another pace",
			d.item, d.a, p.active, d.b, p.passive, p.passive)
	}
}

// settingDiff is one HA setting that differs between the peers.
type settingDiff struct{ item, a, b string }

func haSettingDiffs(a, b *probe.HAInfo) []settingDiff {
	var out []settingDiff
	if a.PromotionHold != b.PromotionHold && a.PromotionHold > 0 && b.PromotionHold > 0 {
		out = append(out, settingDiff{"promotion hold", a.PromotionHold.String(), b.PromotionHold.String()})
	}
	if a.Preemptive != b.Preemptive {
		out = append(out, settingDiff{"preemption", onOff(a.Preemptive), onOff(b.Preemptive)})
	}
	return out
}

// monitoringDiffs compares one monitoring section: whether it is on, and
// each group's state, failure condition and members.
func monitoringDiffs(section string, a, b probe.Monitoring) []settingDiff {
	var out []settingDiff
	if a.Enabled != b.Enabled {
		out = append(out, settingDiff{section, onOff(a.Enabled), onOff(b.Enabled)})
	}
	ga, gb := groupsByName(a.Groups), groupsByName(b.Groups)
	names := make([]string, 0, len(ga)+len(gb))
	for name := range ga {
		names = append(names, name)
	}
	for name := range gb {
		if _, ok := ga[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		if da, db := describeGroup(ga[name]), describeGroup(gb[name]); da != db {
			out = append(out, settingDiff{section + " group " + name, da, db})
		}
	}
	return out
}

func groupsByName(gs []probe.MonitorGroup) map[string]*probe.MonitorGroup {
	out := make(map[string]*probe.MonitorGroup, len(gs))
	for i := range gs {
		if _, ok := out[gs[i].Name]; !ok {
			out[gs[i].Name] = &gs[i]
		}
	}
	return out
}

// describeGroup is "on, condition any, members ethernet1/2 ethernet1/3".
func describeGroup(g *probe.MonitorGroup) string {
	if g == nil {
		return "missing"
	}
	members := make([]string, 0, len(g.Members))
	for _, m := range g.Members {
		members = append(members, m.Name)
	}
	slices.Sort(members)
	return fmt.Sprintf("%s, condition %s, members %s", onOff(g.Enabled), g.FailureCondition, strings.Join(members, " "))
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
