package probe

import (
	"errors"
	"strings"
	"testing"
)

// haReply wraps local-info and peer-info bodies in a firewall HA reply.
func haReply(mode, local, peer string) []byte {
	return []byte(`<response status="success"><result><enabled>yes</enabled><group>` +
		`<mode>` + mode + `</mode><local-info>` + local + `</local-info>` +
		`<peer-info>` + peer + `</peer-info></group></result></response>`)
}

func mustParseHA(t *testing.T, body []byte) *HAInfo {
	t.Helper()
	h, err := ParseHA(body)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestParseHAStateSet(t *testing.T) {
	tests := []struct {
		raw  string
		want HAState
		role string
		ok   bool
	}{
		{"initial", StateInitial, "", true},
		{"active", StateActive, "", true},
		{"passive", StatePassive, "", true},
		{"active-primary", StateActivePrimary, "", true},
		{"active-secondary", StateActiveSecondary, "", true},
		{"tentative", StateTentative, "", true},
		{"non-functional", StateNonFunctional, "", true},
		{"suspended", StateSuspended, "", true},
		{"unknown", StateUnknown, "", true},
		{" Active-Primary ", StateActivePrimary, "", true},
		{"primary-active", StateActive, "primary", true},
		{"secondary-passive", StatePassive, "secondary", true},
		{"secondary-suspended", StateSuspended, "secondary", true},
		{"primary-non-functional", StateNonFunctional, "primary", true},
		{"secondary-initial", StateInitial, "secondary", true},
		{"unknown-active", StateActive, "unknown", true},
		{"unknown-passive", StatePassive, "unknown", true},
		// Not states PAN-OS reports: never healthy.
		{"primary-tentative", StateUnknown, "", false},
		{"primary-", StateUnknown, "", false},
		{"active-passive", StateUnknown, "", false},
		{"tertiary-active", StateUnknown, "", false},
		{"foo", StateUnknown, "", false},
		{"", StateUnknown, "", false},
	}
	for _, tt := range tests {
		st, role, ok := classifyHAState(tt.raw)
		parseEq(t, tt.raw, [3]any{st, role, ok}, [3]any{tt.want, tt.role, tt.ok})
		parseEq(t, "ParseHAState("+tt.raw+")", ParseHAState(tt.raw), tt.want)
	}
}

func TestParseHAPanoramaWithoutPriority(t *testing.T) {
	// A Panorama pair without priorities reports unknown-active and
	// unknown-passive (KB kA10g000000ClrgCAC); it is healthy.
	body := []byte(`<response status="success"><result><enabled>yes</enabled>` +
		`<local-info><state>unknown-active</state></local-info>` +
		`<peer-info><conn-status>up</conn-status><state>unknown-passive</state></peer-info>` +
		`</result></response>`)
	h := mustParseHA(t, body)
	parseEq(t, "states", [2]HAState{h.LocalState, h.PeerState}, [2]HAState{StateActive, StatePassive})
	parseEq(t, "raw", [2]string{h.LocalStateRaw, h.PeerStateRaw}, [2]string{"unknown-active", "unknown-passive"})
	parseEq(t, "roles", [2]string{h.LocalRole, h.PeerRole}, [2]string{PanoramaUnknown, PanoramaUnknown})
	parseEq(t, "Unrecognized", h.Unrecognized, []string(nil))
}

func TestParseHAFirewallHasNoRole(t *testing.T) {
	h := mustParseHA(t, haReply("Active-Active",
		`<state>active-primary</state><priority>100</priority>`,
		`<state>active-secondary</state><priority>110</priority>`))
	parseEq(t, "roles", [2]string{h.LocalRole, h.PeerRole}, [2]string{"", ""})
	parseEq(t, "states", [2]HAState{h.LocalState, h.PeerState}, [2]HAState{StateActivePrimary, StateActiveSecondary})
}

func TestParseHAAllLinksInOrder(t *testing.T) {
	// Elements in reverse order: the link order must not follow the reply.
	h := mustParseHA(t, haReply("Active-Active",
		`<mgmt-hb>configured</mgmt-hb><ha2-backup-port>ethernet1/4</ha2-backup-port>`+
			`<ha2-port>ethernet1/3</ha2-port><ha1-backup-port>ethernet1/2</ha1-backup-port>`+
			`<ha1-port>ethernet1/1</ha1-port><state>active-primary</state>`,
		`<conn-mgmt><conn-status>down</conn-status></conn-mgmt>`+
			`<conn-ha3><conn-status>up</conn-status></conn-ha3>`+
			`<conn-ha2-backup><conn-status>up</conn-status></conn-ha2-backup>`+
			`<conn-ha2><conn-status>up</conn-status></conn-ha2>`+
			`<conn-ha1-backup><conn-status>up</conn-status></conn-ha1-backup>`+
			`<conn-ha1><conn-status>up</conn-status></conn-ha1>`))
	parseEq(t, "Links", h.Links, []HALink{
		{Name: LinkHA1, Port: "ethernet1/1", Status: "up", Up: true},
		{Name: LinkHA1Backup, Port: "ethernet1/2", Status: "up", Up: true},
		{Name: LinkHA2, Port: "ethernet1/3", Status: "up", Up: true},
		{Name: LinkHA2Backup, Port: "ethernet1/4", Status: "up", Up: true},
		{Name: LinkHA3, Status: "up", Up: true},
		{Name: LinkHeartbeatBackup, Port: "management", Status: "down"},
	})
}

func TestParseHAHeartbeatBackup(t *testing.T) {
	tests := []struct {
		name, local, peer string
		want              []HALink
	}{
		{"configured, peer silent", `<mgmt-hb>configured</mgmt-hb>`, ``,
			[]HALink{{Name: LinkHeartbeatBackup, Port: "management"}}},
		{"peer reports it", ``, `<conn-mgmt><conn-status>up</conn-status></conn-mgmt>`,
			[]HALink{{Name: LinkHeartbeatBackup, Port: "management", Status: "up", Up: true}}},
		{"not configured", ``, ``, nil},
	}
	for _, tt := range tests {
		h := mustParseHA(t, haReply("Active-Passive", tt.local, tt.peer))
		parseEq(t, tt.name, h.Links, tt.want)
	}
}

func TestParseHAUnrecognized(t *testing.T) {
	h := mustParseHA(t, []byte(`<response status="success"><result><enabled>yes</enabled><group>`+
		`<mode>Active-Sideways</mode>`+
		`<local-info><state>foo</state><mgmt-hb>maybe</mgmt-hb></local-info>`+
		`<peer-info><conn-status>flapping</conn-status><state>primary-dancing</state>`+
		`<conn-ha1><conn-status>bar</conn-status></conn-ha1><conn-ha2><conn-status/></conn-ha2></peer-info>`+
		`<link-monitoring><failure-condition>most</failure-condition><groups><entry><name>g1</name>`+
		`<failure-condition>any</failure-condition>`+
		`<interface><entry><name>ethernet1/1</name><status>unknown</status></entry>`+
		`<entry><name>ethernet1/2</name><status>up</status></entry></interface></entry></groups></link-monitoring>`+
		`<running-sync>half</running-sync>`+
		`</group></result></response>`))
	parseEq(t, "Unrecognized", h.Unrecognized, []string{
		"mode=active-sideways",
		"running-sync=half",
		"local-info/state=foo",
		"peer-info/state=primary-dancing",
		"peer-info/conn-status=flapping",
		"local-info/mgmt-hb=maybe",
		"peer-info/conn-ha1/conn-status=bar",
		"link-monitoring/failure-condition=most",
		"link-monitoring/group[g1]/member[ethernet1/1]/status=unknown",
	})
	parseEq(t, "states", [2]HAState{h.LocalState, h.PeerState}, [2]HAState{StateUnknown, StateUnknown})
	parseEq(t, "raw states kept", [2]string{h.LocalStateRaw, h.PeerStateRaw}, [2]string{"foo", "primary-dancing"})
}

func TestParseHAUnrecognizedAbsentIsNotListed(t *testing.T) {
	// A peer that is gone has no state and no statuses; that is not an
	// unrecognized value.
	h := mustParseHA(t, haReply("Active-Passive", `<state>active</state>`, ``))
	parseEq(t, "Unrecognized", h.Unrecognized, []string(nil))
	parseEq(t, "PeerState", h.PeerState, StateUnknown)
}

func TestParseHAUnrecognizedIsClipped(t *testing.T) {
	long := strings.Repeat("é", 100) // 200 bytes
	h := mustParseHA(t, haReply("Active-Passive", `<state>`+long+`</state>`, ``))
	if len(h.Unrecognized) != 1 {
		t.Fatalf("Unrecognized = %q, want one entry", h.Unrecognized)
	}
	got := h.Unrecognized[0]
	want := "local-info/state=" + strings.Repeat("é", maxRawValue/2) + "…"
	parseEq(t, "clipped", got, want)
	parseEq(t, "raw kept whole", h.LocalStateRaw, long)
}

func TestParseHACompatValues(t *testing.T) {
	h := mustParseHA(t, haReply("Active-Passive",
		`<state>active</state><build-compat>Match</build-compat><odd-compat>Some new text</odd-compat>`+
			`<Cloud-Services>Compat Match</Cloud-Services><NSX>Compat Mismatch</NSX><AZ>Mismatch</AZ>`+
			`<ha1-macaddr>00:11:22:33:44:55</ha1-macaddr><vm-license>vm50</vm-license>`,
		`<state>passive</state><NSX>3.2.0</NSX>`))
	parseEq(t, "Compat", h.Compat, map[string]string{
		"build": "Match", "odd": "Some new text",
		"Cloud-Services": "Compat Match", "NSX": "Compat Mismatch", "AZ": "Mismatch",
	})
}

func TestParseHAWithoutEnabledIsMalformed(t *testing.T) {
	for _, body := range []string{
		`<response status="success"><result/></response>`,
		`<response status="success"><result></result></response>`,
		`<response status="success"><result>some text</result></response>`,
		`<response status="success"><result><group><local-info><state>active</state></local-info></group></result></response>`,
		`<response status="success"><result><enabled/></result></response>`,
		`<response status="success"><result><enabled>maybe</enabled></result></response>`,
	} {
		h, err := ParseHA([]byte(body))
		if !errors.Is(err, ErrMalformed) || h != nil {
			t.Errorf("ParseHA(%s) = %+v, %v; want ErrMalformed", body, h, err)
		}
	}
}

func TestParseHADisabledForms(t *testing.T) {
	for _, body := range []string{
		`<response status="success"><result><enabled>no</enabled></result></response>`,
		`<response status="success"><result><enabled> No </enabled><group/></result></response>`,
	} {
		h := mustParseHA(t, []byte(body))
		parseEq(t, body, h.Enabled, false)
	}
}

func TestCompatVerdict(t *testing.T) {
	for v, want := range map[string]Tri{
		"Match": Yes, "Compat Match": Yes, " mismatch ": No, "Compat Mismatch": No,
		"": Unknown, "3.0.2": Unknown, "Matching": Unknown,
	} {
		if got := CompatVerdict(v); got != want {
			t.Errorf("CompatVerdict(%q) = %v, want %v", v, got, want)
		}
	}
}
