package sim

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
)

// elementPaths returns the set of element paths of a document, e.g.
// "response/result/group/local-info/state".
func elementPaths(t *testing.T, body []byte) map[string]bool {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(body))
	paths := map[string]bool{}
	var stack []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return paths
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tk.Name.Local)
			paths[strings.Join(stack, "/")] = true
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wantShape checks that every element path of the fixture appears in the
// reply, except the listed ones.
func wantShape(t *testing.T, reply []byte, fixtureName string, except ...string) {
	t.Helper()
	got := elementPaths(t, reply)
	var missing []string
	for p := range elementPaths(t, fixture(t, fixtureName)) {
		if !got[p] && !slices.Contains(except, p) {
			missing = append(missing, p)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("reply lacks elements of %s: %v", fixtureName, missing)
	}
}

// subtree returns the paths under prefix.
func subtree(paths map[string]bool, prefix string) []string {
	var out []string
	for p := range paths {
		if strings.HasPrefix(p, prefix) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// noHistory lists the elements a pair without a past failover lacks; they
// are checked after a failover in TestRepliesParseWithProbe.
var noHistory = []string{
	"response/result/group/local-info/last-error-reason", "response/result/group/local-info/last-error-state",
	"response/result/group/peer-info/last-error-reason", "response/result/group/peer-info/last-error-state",
}

func TestReplyShapesMatchFixtures(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	_, haA := op(t, s, PeerA, cmdHAAll)
	_, haB := op(t, s, PeerB, cmdHAState)
	// The hand-written fixtures say hello-intvl; devices say
	// hello-interval (see the recorded replies).
	wantShape(t, haA, "ha-all-active.xml", append(noHistory, "response/result/group/local-info/hello-intvl")...)
	wantShape(t, haB, "ha-all-passive.xml", append(noHistory, "response/result/group/local-info/hello-intvl")...)
	wantShape(t, haA, "show-ha-state-vm-10.0.9-demisto_content.xml", noHistory...)
	for cmd, name := range map[string]string{
		cmdInterfaces: "interface-all.xml",
		cmdSessions:   "session-info.xml",
		cmdCounters:   "counter-interface-all.xml",
		cmdSystem:     "system-info.xml",
	} {
		_, body := op(t, s, PeerA, cmd)
		wantShape(t, body, name)
	}
	user, pass := s.Credentials()
	_, key, _ := post(t, s, PeerA, map[string][]string{"type": {"keygen"}, "user": {user}, "password": {pass}})
	wantShape(t, key, "keygen.xml")
	_, bogus := op(t, s, PeerA, "<show><bogus/></show>")
	wantShape(t, bogus, "error-invalid-command.xml")

	// With HA1 down, peer-info has exactly the fixture's few elements.
	s.World().SetHALink(LinkHA1, false)
	s.World().SetHALink(LinkHA2, false)
	_, down := op(t, s, PeerA, cmdHAAll)
	wantShape(t, down, "ha-all-peer-unreachable.xml", "response/result/group/local-info/hello-intvl")
	const peer = "response/result/group/peer-info"
	got, want := subtree(elementPaths(t, down), peer), subtree(elementPaths(t, fixture(t, "ha-all-peer-unreachable.xml")), peer)
	if !slices.Equal(got, want) {
		t.Errorf("peer-info with HA1 down:\n got %v\nwant %v", got, want)
	}
}

func TestOldReleaseUsesOldTags(t *testing.T) {
	s, _ := testSim(t, WorldOptions{Version: "9.1.16"})
	_, body := op(t, s, PeerA, cmdHAAll)
	paths := elementPaths(t, body)
	for _, p := range []string{"link-monitoring/fail-cond", "path-monitoring/vwire", "path-monitoring/vrouter"} {
		if !paths["response/result/group/"+p] {
			t.Errorf("9.1 reply lacks %s", p)
		}
	}
	if paths["response/result/group/link-monitoring/failure-condition"] || paths["response/result/group/local-info/iot-version"] {
		t.Error("9.1 reply carries 10.x elements")
	}
	wantShape(t, body, "show-ha-state-pa5250-9.1.11-atav928_paloaltoapi.xml", append(noHistory,
		// HA1 backup and dedicated ports do not exist on VM-Series in AWS.
		"response/result/group/local-info/ha1-backup-ipaddr", "response/result/group/local-info/ha1-backup-macaddr",
		"response/result/group/local-info/ha1-backup-port", "response/result/group/peer-info/ha1-backup-ipaddr",
		"response/result/group/peer-info/ha1-backup-macaddr", "response/result/group/peer-info/conn-ha1-backup",
		"response/result/group/peer-info/conn-ha1-backup/conn-status", "response/result/group/peer-info/conn-ha1-backup/conn-desc",
		"response/result/group/link-monitoring/groups/entry", "response/result/group/link-monitoring/groups/entry/interface",
		"response/result/group/link-monitoring/groups/entry/fail-cond", "response/result/group/link-monitoring/groups/entry/enabled",
		"response/result/group/link-monitoring/groups/entry/name")...)
}

func TestRepliesParseWithProbe(t *testing.T) {
	s, clk := testSim(t, WorldOptions{})
	w := s.World()
	clk.Advance(time.Minute)

	_, body := op(t, s, PeerA, cmdHAAll)
	ha, err := probe.ParseHA(body)
	if err != nil {
		t.Fatalf("probe.ParseHA: %v", err)
	}
	if !ha.Enabled || ha.LocalState != probe.StateActive || ha.PeerState != probe.StatePassive || !ha.PeerConnected ||
		!ha.ConfigSynchronized || ha.LocalVersions.Build != DefaultVersion || ha.Compat["build"] != "Match" {
		t.Errorf("healthy A parsed as %+v", ha)
	}
	if l, ok := ha.Link(probe.LinkHA2); !ok || !l.Up || l.Port != IfaceHA2 {
		t.Errorf("HA2 link %+v", l)
	}

	_, body = op(t, s, PeerB, cmdInterfaces)
	ifs, err := probe.ParseInterfaces(body)
	if err != nil {
		t.Fatalf("probe.ParseInterfaces: %v", err)
	}
	roles := map[string]string{}
	for _, hw := range ifs.Hardware {
		roles[hw.Name] = hw.Role
	}
	if roles[IfaceHA2] != probe.RoleHA || roles[IfaceUntrust] != probe.RoleDataPlane || roles[IfaceTrust] != probe.RoleDataPlane || roles[IfaceUnused] != probe.RoleUnused {
		t.Errorf("roles %v", roles)
	}
	for _, l := range ifs.Logical {
		if l.Name == IfaceUntrust && l.IP != "10.0.2.11/24" {
			t.Errorf("B untrust IP %q", l.IP)
		}
	}

	_, body = op(t, s, PeerA, cmdCounters)
	ctr, err := probe.ParseCounters(body)
	if err != nil {
		t.Fatalf("probe.ParseCounters: %v", err)
	}
	// Four ports and vlan, loopback, tunnel; HA2, the two routed ports and
	// four sub-interfaces.
	if len(ctr.Hardware) != 7 || len(ctr.Logical) != 7 || ctr.Hardware[1].RxBytes == 0 {
		t.Errorf("counters %+v", ctr)
	}

	_, body = op(t, s, PeerA, cmdSessions)
	si, err := probe.ParseSessionInfo(body)
	if err != nil || si.Active == 0 || si.Kbps == 0 || si.Max != 819200 {
		t.Errorf("probe.ParseSessionInfo = %+v, %v", si, err)
	}

	_, body = op(t, s, PeerB, cmdSystem)
	sys, err := probe.ParseSystemInfo(body)
	if err != nil || sys.Hostname != "fw-b" || sys.MgmtIP != "10.0.0.11" || sys.VMMode != "Amazon AWS" || sys.SWVersion != DefaultVersion {
		t.Errorf("probe.ParseSystemInfo = %+v, %v", sys, err)
	}

	// After a failover with HA1 down and config out of sync.
	w.Failover()
	w.SetConfigSync(false)
	_, body = op(t, s, PeerB, cmdHAAll)
	if ha, err = probe.ParseHA(body); err != nil || ha.LocalState != probe.StateActive ||
		ha.PeerState != probe.StateSuspended || ha.PeerLastErrorReason != "User requested" || ha.ConfigSynchronized {
		t.Errorf("B after failover parsed as %+v, %v", ha, err)
	}
	w.SetHALink(LinkHA1, false)
	_, body = op(t, s, PeerB, cmdHAAll)
	if ha, err = probe.ParseHA(body); err != nil || ha.PeerState != probe.StateUnknown || ha.PeerConnected || ha.RunningSync != "not synchronized" || len(ha.Unrecognized) > 0 {
		t.Errorf("B with HA1 down parsed as %+v, %v", ha, err)
	}
}

func TestHAValueSets(t *testing.T) {
	states := []string{"initial", "active", "passive", "suspended", "non-functional", "unknown"}
	syncs := []string{"synchronized", "not synchronized", "unknown"}
	s, clk := testSim(t, WorldOptions{})
	w := s.World()
	steps := []func(){
		func() {},
		func() { w.Reboot(PeerB, 5*time.Second); clk.Advance(6 * time.Second) },
		func() { clk.Advance(time.Minute) },
		w.Failover,
		func() { w.SetConfigSync(false) },
		func() { w.SetHALink(LinkHA1, false) },
	}
	var ha struct {
		Local       string `xml:"result>group>local-info>state"`
		Peer        string `xml:"result>group>peer-info>state"`
		Conn        string `xml:"result>group>peer-info>conn-status"`
		RunningSync string `xml:"result>group>running-sync"`
		Build       string `xml:"result>group>local-info>build-compat"`
	}
	for i, step := range steps {
		step()
		for peer := range 2 {
			if !w.Reachable(peer) {
				continue
			}
			_, body := op(t, s, peer, cmdHAAll)
			if err := xml.Unmarshal(body, &ha); err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(states, ha.Local) || !slices.Contains(states, ha.Peer) ||
				!slices.Contains([]string{"up", "down"}, ha.Conn) || !slices.Contains(syncs, ha.RunningSync) ||
				!slices.Contains([]string{"Match", "Mismatch"}, ha.Build) {
				t.Errorf("step %d peer %s: values %+v outside the PAN-OS value sets", i, PeerName(peer), ha)
			}
		}
	}
}
