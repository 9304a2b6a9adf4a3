package probe

import (
	"reflect"
	"testing"
	"time"
)

func TestParseHAActiveFull(t *testing.T) {
	got, err := ParseHA(replyFixture(t, "ha-all-active.xml"))
	if err != nil {
		t.Fatal(err)
	}
	want := &HAInfo{
		Enabled:            true,
		Mode:               "active-passive",
		LocalState:         StateActive,
		LocalStateRaw:      "active",
		LocalStateDuration: 5120 * time.Second,
		LocalPriority:      "100",
		PromotionHold:      2 * time.Second,
		LocalVersions:      Versions{Build: "9.1.16", App: "8701-8140", Threat: "8701-8140", AV: "4400-4911"},
		LocalSerial:        "007200001111",
		LocalMgmtIP:        "192.0.2.21/24",
		StateSync:          "Complete",
		Compat:             map[string]string{"build": "Match", "app": "Match", "threat": "Match", "av": "Match"},

		PeerState:           StatePassive,
		PeerStateRaw:        "passive",
		PeerConnected:       true,
		PeerStateDuration:   5098 * time.Second,
		PeerPriority:        "110",
		PeerVersions:        Versions{Build: "9.1.16", App: "8701-8140"},
		PeerSerial:          "007200002222",
		PeerMgmtIP:          "192.0.2.22/24",
		PeerLastErrorReason: "User requested",
		PeerLastErrorState:  "suspended",

		Links: []HALink{
			{Name: LinkHA1, Port: "management", Status: "up", Up: true},
			{Name: LinkHA2, Port: "ethernet1/3", Status: "up", Up: true},
		},
		RunningSync:        "synchronized",
		RunningSyncEnabled: true,
		ConfigSynchronized: true,
		LinkMonitoring:     Monitoring{FailureCondition: "any"},
		PathMonitoring:     Monitoring{FailureCondition: "any"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseHA:\n got %+v\nwant %+v", got, want)
	}
}

// haParseCase is one HA fixture and the fields it must yield.
type haParseCase struct {
	file  string
	check func(t *testing.T, h *HAInfo)
}

func TestParseHAFixtures(t *testing.T) {
	for _, tc := range haParseCases {
		t.Run(tc.file, func(t *testing.T) {
			h, err := ParseHA(replyFixture(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, h)
		})
	}
}

var haParseCases = []haParseCase{
	{"ha-all-passive.xml", func(t *testing.T, h *HAInfo) {
		parseEq(t, "states", [2]HAState{h.LocalState, h.PeerState}, [2]HAState{StatePassive, StateActive})
	}},
	{"ha-all-non-functional.xml", func(t *testing.T, h *HAInfo) {
		parseEq(t, "LocalState", h.LocalState, StateNonFunctional)
		parseEq(t, "LocalStateDuration", h.LocalStateDuration, 40*time.Second)
	}},
	{"ha-all-suspended-not-synced.xml", func(t *testing.T, h *HAInfo) {
		parseEq(t, "LocalState", h.LocalState, StateSuspended)
		parseEq(t, "RunningSync", h.RunningSync, "not synchronized")
		parseEq(t, "ConfigSynchronized", h.ConfigSynchronized, false)
	}},
	{"ha-all-peer-unreachable.xml", func(t *testing.T, h *HAInfo) {
		parseEq(t, "LocalState", h.LocalState, StateActive)
		parseEq(t, "PeerState", h.PeerState, StateUnknown)
		parseEq(t, "PeerConnected", h.PeerConnected, false)
		parseEq(t, "Links", h.Links, []HALink{
			{Name: LinkHA1, Port: "management", Status: "down"},
			{Name: LinkHA2, Port: "ethernet1/3", Status: "down"},
		})
		parseEq(t, "RunningSync", h.RunningSync, "unknown")
		parseEq(t, "ConfigSynchronized", h.ConfigSynchronized, false)
		parseEq(t, "PeerVersions", h.PeerVersions, Versions{})
	}},
	{"ha-disabled.xml", checkHADisabled},
	{"show-ha-all-disabled-7.x-device_paloalto_firewall_perl.xml", checkHADisabled},
	{"show-ha-state-disabled-demisto_content.xml", checkHADisabled},
	{"ha-state-pa850-recorded.xml", func(t *testing.T, h *HAInfo) {
		parseEq(t, "states", [2]HAState{h.LocalState, h.PeerState}, [2]HAState{StatePassive, StateActive})
		parseEq(t, "Mode", h.Mode, "active-passive")
		parseEq(t, "LocalStateDuration", h.LocalStateDuration, 3889207*time.Second)
		parseEq(t, "Preemptive", h.Preemptive, true)
		parseEq(t, "PromotionHold", h.PromotionHold, 500*time.Millisecond)
		parseEq(t, "flaps", [3]int{h.PreemptFlapCount, h.NonfuncFlapCount, h.MaxFlaps}, [3]int{0, 0, 3})
		parseEq(t, "Links", h.Links, []HALink{
			{Name: LinkHA1, Port: "dedicated-ha1", Status: "up", Up: true},
			{Name: LinkHA1Backup, Port: "ethernet1/1", Status: "up", Up: true},
			{Name: LinkHA2, Port: "dedicated-ha2", Status: "up", Up: true},
			{Name: LinkHA2Backup, Port: "ethernet1/2", Status: "up", Up: true},
			{Name: LinkHeartbeatBackup, Port: "management", Status: "up", Up: true},
		})
		parseEq(t, "Compat", h.Compat, map[string]string{
			"url": "Mismatch", "iot": "Mismatch", "av": "Match", "vpnclient": "Match",
			"threat": "Match", "gpclient": "Match", "build": "Match", "app": "Match",
			"DLP": "Match",
		})
		parseEq(t, "LocalVersions", h.LocalVersions, Versions{
			Build: "10.1.12", App: "8868-8828", Threat: "8868-8828", AV: "4875-5393",
			URL: "20240527.20193", GPClient: "5.2.12", VPNClient: "Not Installed",
		})
		parseEq(t, "PeerVersions.URL", h.PeerVersions.URL, "20240711.20198")
		parseEq(t, "PeerLastError", [2]string{h.PeerLastErrorState, h.PeerLastErrorReason}, [2]string{"suspended", "User requested"})
		parseEq(t, "LocalMgmtIP", h.LocalMgmtIP, "x.y.56.7/24")
		parseEq(t, "PeerConnected", h.PeerConnected, true)
		parseEq(t, "LinkMonitoring", h.LinkMonitoring, Monitoring{
			Enabled: true, FailureCondition: "any",
			Groups: []MonitorGroup{
				{Name: "INSIDE Ports", Enabled: true, FailureCondition: "all", Members: []MonitorMember{
					{Name: "ethernet1/9", Status: "up", Up: true}, {Name: "ethernet1/10", Status: "up", Up: true},
				}},
				{Name: "OUTSIDE Ports", Enabled: true, FailureCondition: "all", Members: []MonitorMember{
					{Name: "ethernet1/11", Status: "up", Up: true}, {Name: "ethernet1/12", Status: "up", Up: true},
				}},
			},
		})
		parseEq(t, "PathMonitoring", h.PathMonitoring, Monitoring{FailureCondition: "any"})
		parseEq(t, "ConfigSynchronized", h.ConfigSynchronized, true)
	}},
	{"show-ha-state-pa5250-9.1.11-atav928_paloaltoapi.xml", func(t *testing.T, h *HAInfo) {
		parseEq(t, "states", [2]HAState{h.LocalState, h.PeerState}, [2]HAState{StateActive, StatePassive})
		parseEq(t, "Links", h.Links, []HALink{
			{Name: LinkHA1, Port: "ha1-a", Status: "up", Up: true},
			{Name: LinkHA1Backup, Port: "ha1-b", Status: "up", Up: true},
			{Name: LinkHA2, Port: "hsci", Status: "up", Up: true},
		})
		parseEq(t, "PeerLastError", [2]string{h.PeerLastErrorState, h.PeerLastErrorReason}, [2]string{"non-functional", "Link down"})
		parseEq(t, "LastError", [2]string{h.LastErrorState, h.LastErrorReason}, [2]string{"", ""})
		parseEq(t, "Compat[url]", h.Compat["url"], "Mismatch")
		parseEq(t, "Compat[vm-license]", h.Compat["vm-license"], "Match")
		parseEq(t, "len(Compat)", len(h.Compat), 8)
		parseEq(t, "LocalStateDuration", h.LocalStateDuration, 7137025*time.Second)
		parseEq(t, "MaxFlaps", h.MaxFlaps, 3)
		parseEq(t, "LinkMonitoring", h.LinkMonitoring, Monitoring{
			FailureCondition: "any",
			Groups:           []MonitorGroup{{Name: "Monitor", FailureCondition: "any"}},
		})
		parseEq(t, "PathMonitoring", h.PathMonitoring, Monitoring{FailureCondition: "any"})
	}},
	{"show-ha-all-pa5060-7.1.9-device_paloalto_firewall_perl.xml", func(t *testing.T, h *HAInfo) {
		parseEq(t, "priorities", [2]string{h.LocalPriority, h.PeerPriority}, [2]string{"64", "128"})
		parseEq(t, "LastError", [2]string{h.LastErrorState, h.LastErrorReason}, [2]string{"suspended", "User requested"})
		parseEq(t, "Links", h.Links, []HALink{
			{Name: LinkHA1, Port: "dedicated-ha1", Status: "up", Up: true},
			{Name: LinkHA2, Port: "dedicated-ha2", Status: "up", Up: true},
			{Name: LinkHeartbeatBackup, Port: "management", Status: "up", Up: true},
		})
		parseEq(t, "LinkMonitoring.Enabled", h.LinkMonitoring.Enabled, false)
		parseEq(t, "groups", monitorGroupNames(h.LinkMonitoring), []string{"Border Links", "Corp to Ops Link"})
		parseEq(t, "group condition", h.LinkMonitoring.Groups[1].FailureCondition, "all")
		parseEq(t, "members", len(h.LinkMonitoring.Groups[1].Members), 2)
	}},
	{"show-ha-state-vm-10.0.9-demisto_content.xml", func(t *testing.T, h *HAInfo) {
		parseEq(t, "LocalState", h.LocalState, StatePassive)
		parseEq(t, "Links", h.Links, []HALink{{Name: LinkHA1, Port: "management", Status: "up", Up: true}})
		parseEq(t, "StateSync", h.StateSync, "User-disabled")
		parseEq(t, "RunningSync", h.RunningSync, "not synchronized")
		parseEq(t, "Compat", h.Compat, map[string]string{
			"url": "Mismatch", "av": "Match", "vpnclient": "Match", "threat": "Mismatch",
			"gpclient": "Match", "vm-license": "Match", "DLP": "Match", "build": "Match",
			"iot": "Match", "VMS": "Match", "app": "Mismatch",
		})
		parseEq(t, "LinkMonitoring", h.LinkMonitoring, Monitoring{Enabled: true, FailureCondition: "any"})
		parseEq(t, "PathMonitoring", h.PathMonitoring, Monitoring{Enabled: true, FailureCondition: "any"})
	}},
	{"show-ha-state-panorama-10.1.5-demisto_content.xml", func(t *testing.T, h *HAInfo) {
		parseEq(t, "Enabled", h.Enabled, true)
		parseEq(t, "Mode", h.Mode, "")
		parseEq(t, "LocalState", [2]any{h.LocalState, h.LocalStateRaw}, [2]any{StateActive, "primary-active"})
		parseEq(t, "PeerState", [2]any{h.PeerState, h.PeerStateRaw}, [2]any{StatePassive, "secondary-passive"})
		parseEq(t, "priorities", [2]string{h.LocalPriority, h.PeerPriority}, [2]string{"primary", "secondary"})
		parseEq(t, "Links", h.Links, []HALink{{Name: LinkHA1, Status: "up", Up: true}})
		parseEq(t, "Compat[Cloud-Services]", h.Compat["Cloud-Services"], "Compat Match")
		parseEq(t, "Compat[NSX]", h.Compat["NSX"], "Match")
		parseEq(t, "Compat[AZ]", h.Compat["AZ"], "Match")
		parseEq(t, "LocalVersions.Build", h.LocalVersions.Build, "10.1.5-h2")
		parseEq(t, "PeerLastErrorState", h.PeerLastErrorState, "secondary-suspended")
		parseEq(t, "PeerMgmtIP", h.PeerMgmtIP, "1.1.1.2")
		parseEq(t, "PathMonitoring", h.PathMonitoring, Monitoring{Enabled: true, FailureCondition: "any"})
		parseEq(t, "ConfigSynchronized", h.ConfigSynchronized, false)
	}},
	{"show-ha-state-panorama-11.0.1-cdot65_pan_os_upgrade.xml", func(t *testing.T, h *HAInfo) {
		parseEq(t, "states", [2]HAState{h.LocalState, h.PeerState}, [2]HAState{StateActive, StatePassive})
		parseEq(t, "Compat[cloudconnector]", h.Compat["cloudconnector"], "Match")
		parseEq(t, "Compat[VMS]", h.Compat["VMS"], "Match")
		parseEq(t, "PathMonitoring", h.PathMonitoring, Monitoring{
			Enabled: true, FailureCondition: "any",
			Groups: []MonitorGroup{{
				Name: "panorama2", Enabled: true, FailureCondition: "any",
				Members: []MonitorMember{{Name: "192.168.255.192", Status: "up", Up: true}},
			}},
		})
		parseEq(t, "ConfigSynchronized", h.ConfigSynchronized, true)
	}},
	{"ha-state-monitor-failed-synthetic.xml", func(t *testing.T, h *HAInfo) {
		parseEq(t, "LocalState", h.LocalState, StateNonFunctional)
		parseEq(t, "Links", h.Links, []HALink{
			{Name: LinkHA1, Port: "management", Status: "up", Up: true},
			{Name: LinkHA2, Port: "ethernet1/3", Status: "up", Up: true},
			{Name: LinkHA2Backup, Port: "ethernet1/4"},
		})
		parseEq(t, "flaps", [3]int{h.PreemptFlapCount, h.NonfuncFlapCount, h.MaxFlaps}, [3]int{0, 2, 3})
		parseEq(t, "PromotionHold", h.PromotionHold, time.Duration(0))
		parseEq(t, "Compat", h.Compat, map[string]string(nil))
		parseEq(t, "RunningSync", h.RunningSync, "synchronization in progress")
		parseEq(t, "RunningSyncEnabled", h.RunningSyncEnabled, false)
		parseEq(t, "ConfigSynchronized", h.ConfigSynchronized, false)
		parseEq(t, "link groups failed", monitorGroupFailed(h.LinkMonitoring), map[string]bool{
			"uplinks-any": true, "inside-all": false, "dmz-all": true,
		})
		parseEq(t, "path condition", h.PathMonitoring.FailureCondition, "any")
		parseEq(t, "path groups failed", monitorGroupFailed(h.PathMonitoring), map[string]bool{"default": false})
		parseEq(t, "path members", len(h.PathMonitoring.Groups[0].Members), 4)
		parseEq(t, "path group condition", h.PathMonitoring.Groups[0].FailureCondition, "all")
		parseEq(t, "path member", h.PathMonitoring.Groups[0].Members[1], MonitorMember{Name: "198.51.100.2", Status: "down"})
	}},
}

func checkHADisabled(t *testing.T, h *HAInfo) {
	parseEq(t, "Enabled", h.Enabled, false)
	parseEq(t, "Links", len(h.Links), 0)
	parseEq(t, "states", [2]HAState{h.LocalState, h.PeerState}, [2]HAState{StateUnknown, StateUnknown})
	parseEq(t, "PeerConnected", h.PeerConnected, false)
}

func TestParseHAStates(t *testing.T) {
	for _, raw := range []string{"initial", "active-primary", "active-secondary", "tentative", "bogus", ""} {
		body := `<response status="success"><result><enabled>yes</enabled><group><mode>Active-Active</mode>` +
			`<local-info><state>` + raw + `</state></local-info></group></result></response>`
		h, err := ParseHA([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		parseEq(t, raw, [3]any{h.LocalState, h.LocalStateRaw, h.Mode}, [3]any{ParseHAState(raw), raw, "active-active"})
		parseEq(t, raw+" peer", h.PeerState, StateUnknown)
	}
}

func TestMonitorFailureConditions(t *testing.T) {
	members := func(statuses ...string) []monMemberXML {
		var ms []monMemberXML
		for _, s := range statuses {
			ms = append(ms, monMemberXML{Name: "if", Status: s})
		}
		return ms
	}
	tests := []struct {
		name   string
		g      monGroupXML
		failed bool
	}{
		{"any none down", monGroupXML{FailCond: "any", Interfaces: members("up", "up")}, false},
		{"any one down", monGroupXML{FailCond: "any", Interfaces: members("up", "down")}, true},
		{"any missing status", monGroupXML{FailCond: "any", Interfaces: members("up", "")}, true},
		{"all one down", monGroupXML{FailCond: "all", Interfaces: members("up", "down")}, false},
		{"all down", monGroupXML{FailCondOld: "all", Interfaces: members("down", "down")}, true},
		{"default is any", monGroupXML{Interfaces: members("down", "up")}, true},
		{"empty any", monGroupXML{FailCond: "any"}, false},
		{"empty all", monGroupXML{FailCond: "all"}, false},
		{"empty destination group", monGroupXML{FailCond: "all", DestGroups: []monGroupXML{{FailCond: "any"}}}, false},
		{"destination groups all", monGroupXML{FailCond: "all", DestGroups: []monGroupXML{
			{FailCond: "any", DestIPs: members("down", "up")},
			{FailCond: "any", DestIPs: members("down")},
		}}, true},
	}
	for _, tt := range tests {
		if got := tt.g.group("test", new(unrecognized)).Failed; got != tt.failed {
			t.Errorf("%s: Failed = %v, want %v", tt.name, got, tt.failed)
		}
	}
}

func monitorGroupNames(m Monitoring) []string {
	var names []string
	for _, g := range m.Groups {
		names = append(names, g.Name)
	}
	return names
}

func monitorGroupFailed(m Monitoring) map[string]bool {
	out := make(map[string]bool)
	for _, g := range m.Groups {
		out[g.Name] = g.Failed
	}
	return out
}

// parseEq reports a test error when got and want differ.
func parseEq(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}
