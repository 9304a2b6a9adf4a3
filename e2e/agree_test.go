package e2e

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

// want names an alert by its alertname and some of its labels.
type want map[string]string

func (w want) matches(ls map[string]string) bool {
	for k, v := range w {
		if ls[k] != v {
			return false
		}
	}
	return true
}

func (w want) String() string { return labelKey(w) }

// agree checks the active alerts: Alertmanager holds exactly the wanted
// ones (every want matches an alert and every alert matches a want or an
// optional one), and each path holds firing exactly what Alertmanager
// holds, so both paths sent every alert with identical labels.
func (st *stack) agree(wants, optional []want) error {
	am, err := st.amActive()
	if err != nil {
		return err
	}
	var problems []string
	for _, w := range wants {
		if !slices.ContainsFunc(slices.Collect(maps.Values(am)), w.matches) {
			problems = append(problems, "missing "+w.String())
		}
	}
	for _, k := range slices.Sorted(maps.Keys(am)) {
		if !slices.ContainsFunc(slices.Concat(wants, optional), func(w want) bool { return w.matches(am[k]) }) {
			problems = append(problems, "unexpected "+k)
		}
	}
	if st.direct != nil && st.rule != nil {
		problems = append(problems, diffSets(st.direct.firing(), st.rule.firing(), "hawatch sent", "Prometheus sent")...)
	}
	paths := map[string]*tap{"hawatch": st.direct, "Prometheus": st.rule}
	for _, name := range slices.Sorted(maps.Keys(paths)) {
		if tp := paths[name]; tp != nil {
			problems = append(problems, diffSets(tp.firing(), am, name+" firing", "Alertmanager")...)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("alerts: %s", strings.Join(problems, "; "))
	}
	return nil
}

// diffSets describes, per alertname, the label sets that are not in both
// a and b, naming both sides' label sets of that alertname.
func diffSets(a, b map[string]map[string]string, an, bn string) []string {
	byName := func(m map[string]map[string]string) map[string][]string {
		out := map[string][]string{}
		for k, ls := range m {
			out[ls["alertname"]] = append(out[ls["alertname"]], k)
		}
		return out
	}
	ab, bb := byName(a), byName(b)
	var out []string
	for _, name := range slices.Sorted(maps.Keys(mergeKeys(ab, bb))) {
		x, y := ab[name], bb[name]
		slices.Sort(x)
		slices.Sort(y)
		if !slices.Equal(x, y) {
			out = append(out, fmt.Sprintf("%s: %s %v, %s %v", name, an, x, bn, y))
		}
	}
	return out
}

func mergeKeys(a, b map[string][]string) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// uniqueNotifications checks that no webhook notification carried an
// alert instance twice (the same alertname, pair and item labels with
// different label sets, as two paths disagreeing would).
func (st *stack) uniqueNotifications() error {
	for _, n := range st.hook.notifications() {
		seen := map[string]string{}
		for _, a := range n.Alerts {
			id, k := st.identity(a.Labels), labelKey(a.Labels)
			if prev, ok := seen[id]; ok {
				return fmt.Errorf("notification for group %v at %s has %s twice: %s and %s",
					n.GroupLabels, n.Received.Format(time.StampMilli), id, prev, k)
			}
			seen[id] = k
		}
	}
	return nil
}

// expectFiring waits until exactly the wanted alerts are active and every
// path agrees (see agree), then until the webhook has been notified of
// each, never twice in one notification. It returns the active alerts.
func (st *stack) expectFiring(t *testing.T, timeout time.Duration, wants ...want) map[string]map[string]string {
	t.Helper()
	return st.expectFiringOpt(t, timeout, nil, wants...)
}

// expectFiringOpt is expectFiring that also lets the optional alerts be
// active, as long as every path agrees on them.
func (st *stack) expectFiringOpt(t *testing.T, timeout time.Duration, optional []want, wants ...want) map[string]map[string]string {
	t.Helper()
	eventually(t, timeout, fmt.Sprintf("exactly %v firing on every path", wants), func() error {
		return st.agree(wants, optional)
	})
	am, err := st.amActive()
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, 15*time.Second, "webhook notified", func() error {
		for k := range am {
			if !st.hook.got(k, "firing", time.Time{}) {
				return fmt.Errorf("no firing notification for %s", k)
			}
		}
		return nil
	})
	if err := st.uniqueNotifications(); err != nil {
		t.Error(err)
	}
	return am
}

// expectResolved waits until every path has resolved the label sets after
// since, Alertmanager no longer holds them and the webhook has been
// notified of the resolution.
func (st *stack) expectResolved(t *testing.T, timeout time.Duration, since time.Time, keys ...string) {
	t.Helper()
	eventually(t, timeout, fmt.Sprintf("%v resolved on every path", keys), func() error {
		am, err := st.amActive()
		if err != nil {
			return err
		}
		for _, k := range keys {
			switch {
			case am[k] != nil:
				return fmt.Errorf("alertmanager still holds %s", k)
			case st.direct != nil && !st.direct.resolvedSince(k, since):
				return fmt.Errorf("hawatch has not sent the resolution of %s", k)
			case st.rule != nil && !st.rule.resolvedSince(k, since):
				return fmt.Errorf("prometheus has not sent the resolution of %s", k)
			case !st.hook.got(k, "resolved", since):
				return fmt.Errorf("webhook not notified of the resolution of %s", k)
			}
		}
		return nil
	})
	if err := st.uniqueNotifications(); err != nil {
		t.Error(err)
	}
}

// expectPending waits until hawatch and Prometheus both hold an alert of
// the name pending, with identical label sets, and Alertmanager has none.
func (st *stack) expectPending(t *testing.T, timeout time.Duration, name string) {
	t.Helper()
	eventually(t, timeout, name+" pending on both paths", func() error {
		h, err := st.hawatchAlerts("pending")
		if err != nil {
			return err
		}
		p, err := st.promAlerts("pending")
		if err != nil {
			return err
		}
		h, p = only(h, name), only(p, name)
		if len(h) == 0 {
			return fmt.Errorf("hawatch holds no %s pending", name)
		}
		if d := diffSets(h, p, "hawatch pending", "Prometheus pending"); len(d) > 0 {
			return fmt.Errorf("%s", strings.Join(d, "; "))
		}
		am, err := st.amActive()
		if err != nil {
			return err
		}
		if a := only(am, name); len(a) > 0 {
			return fmt.Errorf("alertmanager holds pending alert %v", slices.Collect(maps.Keys(a)))
		}
		return nil
	})
}

// expectNever checks that no path ever sent an alert of the names and
// neither hawatch nor Prometheus holds one pending or firing.
func (st *stack) expectNever(t *testing.T, names ...string) {
	t.Helper()
	for _, name := range names {
		for pname, tp := range map[string]*tap{"hawatch": st.direct, "Prometheus": st.rule} {
			if tp != nil && tp.names()[name] {
				t.Errorf("%s sent %s", pname, name)
			}
		}
		for _, state := range []string{"pending", "firing"} {
			if h, err := st.hawatchAlerts(state); err != nil || len(only(h, name)) > 0 {
				t.Errorf("hawatch holds %s %s: %v %v", name, state, only(h, name), err)
			}
			if st.prom == nil {
				continue
			}
			if p, err := st.promAlerts(state); err != nil || len(only(p, name)) > 0 {
				t.Errorf("prometheus holds %s %s: %v %v", name, state, only(p, name), err)
			}
		}
	}
}

// only keeps the label sets of one alertname.
func only(m map[string]map[string]string, name string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for k, ls := range m {
		if ls["alertname"] == name {
			out[k] = ls
		}
	}
	return out
}

// keysOf returns the label sets of the alerts matching w.
func keysOf(m map[string]map[string]string, w want) []string {
	var out []string
	for k, ls := range m {
		if w.matches(ls) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// expectKeptFiring waits until the conditions of the wanted alerts have
// cleared on both paths while the alerts keep firing: Prometheus reports
// them kept by keep_firing_for, and hawatch's metrics show the links up
// and the addresses back in their subnets while it still holds them
// firing.
func (st *stack) expectKeptFiring(t *testing.T, timeout time.Duration, wants []want) {
	t.Helper()
	eventually(t, timeout, "conditions cleared, alerts kept firing", func() error {
		as, err := st.prom.alerts()
		if err != nil {
			return err
		}
		for _, w := range wants {
			i := slices.IndexFunc(as, func(a promAlert) bool { return w.matches(a.Labels) })
			switch {
			case i < 0:
				return fmt.Errorf("prometheus no longer holds %v", w)
			case as[i].State != "firing" || as[i].KeepFiringSince == nil:
				return fmt.Errorf("prometheus holds %v %s, not kept firing", w, as[i].State)
			}
		}
		body, err := get(st.hawatch.URL + "/metrics")
		if err != nil {
			return err
		}
		for series, v := range samples(body) {
			name, _ := parseSeries(series)
			if (name == "hawatch_ha_link_up" || name == "hawatch_aws_interface_subnet_match") && v != "1" {
				return fmt.Errorf("hawatch has not seen the recovery: %s = %s", series, v)
			}
		}
		h, err := st.hawatchAlerts("firing")
		if err != nil {
			return err
		}
		for _, w := range wants {
			if len(keysOf(h, w)) == 0 {
				return fmt.Errorf("hawatch no longer holds %v firing", w)
			}
		}
		return nil
	})
}
