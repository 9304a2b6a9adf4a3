package snapshot

import (
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
)

func TestPredictFailoverHASettings(t *testing.T) {
	group := func(name string, members ...string) probe.MonitorGroup {
		g := probe.MonitorGroup{Name: name, Enabled: true, FailureCondition: "any"}
		for _, m := range members {
			g.Members = append(g.Members, probe.MonitorMember{Name: m, Up: true})
		}
		return g
	}
	for _, tc := range []struct {
		name      string
		mutate    func(a, b *probe.HAInfo)
		passive   func(*probe.PeerStatus)
		want      probe.Tri
		fragments []string
	}{
		{"same settings", func(a, b *probe.HAInfo) {}, nil, probe.Yes, nil},
		{"link monitoring only on the active", func(a, b *probe.HAInfo) {
			a.LinkMonitoring = probe.Monitoring{Enabled: true, FailureCondition: "any", Groups: []probe.MonitorGroup{group("uplinks", "ethernet1/2", "ethernet1/3")}}
		}, nil, probe.No, []string{"link-monitoring group uplinks", "on active fw-a but missing on passive fw-b"}},
		{"a group with other members", func(a, b *probe.HAInfo) {
			a.PathMonitoring = probe.Monitoring{Enabled: true, Groups: []probe.MonitorGroup{group("gateway", "10.0.2.1")}}
			b.PathMonitoring = probe.Monitoring{Enabled: true, Groups: []probe.MonitorGroup{group("gateway", "10.0.9.1")}}
		}, nil, probe.No, []string{"path-monitoring group gateway", "members 10.0.2.1", "members 10.0.9.1"}},
		{"another promotion hold", func(a, b *probe.HAInfo) {
			a.PromotionHold, b.PromotionHold = 2*time.Second, 60*time.Second
		}, nil, probe.No, []string{"promotion hold is 2s on active fw-a but 1m0s on passive fw-b"}},
		{"the passive gave no HA reply", func(a, b *probe.HAInfo) {}, func(p *probe.PeerStatus) { p.HA = nil }, probe.Unknown,
			[]string{"fw-b gave no HA reply"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := readyFor(interfaceMoveWorld(), probe.AWSModeInterfaceMove)
			a, b := w.peer("fw-a"), w.peer("fw-b")
			tc.mutate(a.HA, b.HA)
			if tc.passive != nil {
				tc.passive(b)
			}
			v := w.predict(allowAll(probe.AWSModeInterfaceMove))
			var got *FailoverCheck
			for i := range v.Checks {
				if v.Checks[i].Check == FailoverCheckHASettingsMatch && (got == nil || v.Checks[i].Result == probe.No) {
					got = &v.Checks[i]
				}
			}
			if got == nil {
				t.Fatalf("no %s check:\n%s", FailoverCheckHASettingsMatch, dumpChecks(v))
			}
			wantResult(t, *got, tc.want, tc.fragments...)
		})
	}
}
