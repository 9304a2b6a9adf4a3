package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/alerts"
	"github.com/hawatch/hawatch/sim"
	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v3"
)

// rulesFile is the shipped rule file the Prometheus path evaluates.
const rulesFile = "../deploy/prometheus/hawatch-rules.yml"

// hawatchResendDelay is HAWATCH_ALERTMANAGER_RESEND_DELAY in the alerting
// tests; Prometheus resends every second.
const hawatchResendDelay = 2 * time.Second

// stack is hawatch watching the simulator and alerting into a real
// Alertmanager whose notifications go to a webhook; with Prometheus, the
// shipped rules evaluated on hawatch's metrics alert into the same
// Alertmanager. Each path posts through its own tap.
type stack struct {
	sim     *sim.Sim
	world   *sim.World
	hawatch *daemon
	am      *alertmanager
	hook    *webhook
	direct  *tap // hawatch → Alertmanager; nil when hawatch posts directly
	rule    *tap // Prometheus → Alertmanager; nil without Prometheus
	prom    *promServer
	// conds are hawatch's conditions with their holds scaled as hawatch
	// scales them.
	conds map[string]alerts.Condition
	// scale is the hold scale of both paths.
	scale float64
	// rules is the rule file Prometheus evaluates.
	rules string
}

// stackOptions configure startStack.
type stackOptions struct {
	// Prometheus adds the rule path.
	Prometheus bool
	// NoTap points hawatch straight at Alertmanager.
	NoTap bool
	World sim.WorldOptions
	// PromResendDelay is Prometheus's --rules.alert.resend-delay; 1s when
	// zero.
	PromResendDelay time.Duration
	// ResendDelay is hawatch's; hawatchResendDelay when zero.
	ResendDelay time.Duration
	// Env adds to hawatch's environment.
	Env map[string]string
	// Inhibit gives Alertmanager the inhibit rules of the shipped
	// example configuration (deploy/alertmanager/alertmanager.yml).
	Inhibit bool
	// HoldScale multiplies the for and keep_firing_for holds on both
	// paths: hawatch's through HAWATCH_ALERT_HOLD_SCALE and Prometheus's
	// through a scaled copy of the rules (see scaledRules). Zero keeps
	// production's holds.
	HoldScale float64
}

// startStack starts everything and waits until hawatch has polled the
// pair and, with Prometheus, the rules have been evaluated on its data.
func startStack(t *testing.T, o stackOptions) *stack {
	t.Helper()
	lookBinary(t, "prometheus-alertmanager", "alertmanager")
	if o.Prometheus {
		lookBinary(t, "prometheus")
		if _, err := os.Stat(rulesFile); errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("%s is missing: the Prometheus path has no rules", rulesFile)
		}
	}
	st := &stack{conds: map[string]alerts.Condition{}, scale: o.HoldScale, rules: rulesFile}
	if st.scale == 0 {
		st.scale = 1
	}
	for _, c := range alerts.ScaleHolds(alerts.DefaultConditions(), st.scale) {
		st.conds[c.Name] = c
	}
	st.hook = startWebhook(t)
	var extra []string
	if o.Inhibit {
		extra = append(extra, shippedInhibitRules(t))
	}
	st.am = startAlertmanager(t, st.hook.URL, extra...)
	amURL := st.am.URL
	if !o.NoTap {
		st.direct = startTap(t, st.am.URL)
		amURL = st.direct.URL
	}
	st.sim = startSim(t, sim.Options{WorldOptions: o.World})
	st.world = st.sim.World()
	env := simEnv(st.sim)
	env["HAWATCH_ALERTMANAGER_URLS"] = amURL
	if o.ResendDelay == 0 {
		o.ResendDelay = hawatchResendDelay
	}
	env["HAWATCH_ALERTMANAGER_RESEND_DELAY"] = o.ResendDelay.String()
	env["HAWATCH_ALERT_HOLD_SCALE"] = strconv.FormatFloat(st.scale, 'g', -1, 64)
	for k, v := range o.Env {
		env[k] = v
	}
	st.hawatch = startDaemon(t, env)
	st.hawatch.waitMetric(t, 30*time.Second, `hawatch_pair_active_peers{pair="edge"}`, "1")
	st.hawatch.waitMetric(t, 30*time.Second, `hawatch_aws_up{pair="edge"}`, "1")
	if !o.Prometheus {
		return st
	}
	if o.PromResendDelay == 0 {
		o.PromResendDelay = time.Second
	}
	if st.scale != 1 {
		st.rules = scaledRules(t, st.scale)
	}
	st.rule = startTap(t, st.am.URL)
	st.prom = startPrometheus(t, promOptions{
		Target:       strings.TrimPrefix(st.hawatch.URL, "http://"),
		Alertmanager: st.rule.Host(),
		Rules:        st.rules,
		ResendDelay:  o.PromResendDelay,
	})
	st.prom.waitEvaluating(t)
	return st
}

// waitEvaluating waits until Prometheus has scraped hawatch's view of the
// healthy pair and evaluated every rule without error.
func (ps *promServer) waitEvaluating(t *testing.T) {
	t.Helper()
	eventually(t, 60*time.Second, "prometheus evaluates the rules on hawatch's metrics", func() error {
		n, err := ps.query(`hawatch_aws_up{pair="edge"} == 1 and on (pair) hawatch_pair_active_peers == 1`)
		if err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("hawatch not scraped yet: %d series", n)
		}
		return ps.rulesHealthy()
	})
}

// hold returns how long an alert's condition must hold before it fires.
func (st *stack) hold(name string) time.Duration { return st.conds[name].For }

// keep returns how long a firing alert stays firing after its condition
// cleared.
func (st *stack) keep(name string) time.Duration { return st.conds[name].KeepFiringFor }

// identity returns the labels that tell the instances of an alert apart:
// alertname, pair and the condition's item labels, not severity.
func (st *stack) identity(ls map[string]string) string {
	id := map[string]string{"alertname": ls["alertname"], "pair": ls["pair"]}
	for _, l := range st.conds[ls["alertname"]].Labels {
		id[l] = ls[l]
	}
	return labelKey(id)
}

var seriesLabel = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"`)

// parseSeries splits `name{a="1",b="2"}` into its name and labels.
func parseSeries(s string) (string, map[string]string) {
	name, rest, _ := strings.Cut(s, "{")
	ls := map[string]string{}
	for _, m := range seriesLabel.FindAllStringSubmatch(rest, -1) {
		v, err := strconv.Unquote(`"` + m[2] + `"`)
		if err != nil {
			v = m[2]
		}
		ls[m[1]] = v
	}
	return name, ls
}

// hawatchAlerts returns hawatch's own pending or firing alerts (state is
// "pending" or "firing"), from hawatch_alert_active.
func (st *stack) hawatchAlerts(state string) (map[string]map[string]string, error) {
	body, err := get(st.hawatch.URL + "/metrics")
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]string{}
	for series, v := range samples(body) {
		name, ls := parseSeries(series)
		if name != "hawatch_alert_active" || v != "1" || ls["state"] != state {
			continue
		}
		delete(ls, "state")
		out[labelKey(ls)] = ls
	}
	return out, nil
}

// promAlerts returns Prometheus's alerts in a state.
func (st *stack) promAlerts(state string) (map[string]map[string]string, error) {
	as, err := st.prom.alerts()
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]string{}
	for _, a := range as {
		if a.State == state {
			out[labelKey(a.Labels)] = a.Labels
		}
	}
	return out, nil
}

// amActive returns the alerts Alertmanager holds active.
func (st *stack) amActive() (map[string]map[string]string, error) {
	as, err := st.am.alerts()
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]string{}
	for _, a := range as {
		out[labelKey(a.Labels)] = a.Labels
	}
	return out, nil
}

// gauge returns the value of one of hawatch's series, 0 when absent.
func (st *stack) gauge(t *testing.T, series string) float64 {
	t.Helper()
	body, err := get(st.hawatch.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	v, ok := samples(body)[series]
	if !ok {
		return 0
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		t.Fatalf("%s = %q: %v", series, v, err)
	}
	return f
}

// scaledRules writes a copy of the shipped rules with every rule's for and
// keep_firing_for multiplied by f, as HAWATCH_ALERT_HOLD_SCALE multiplies
// the conditions' holds (alerts.ScaleHolds), and returns its path. The
// windows inside the expressions ([10m], [30m], [1h]) keep their length,
// as the engine's windows (alerts.FailoverWindow…) do.
func scaledRules(t *testing.T, f float64) string {
	t.Helper()
	src, err := os.ReadFile(rulesFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatalf("%s: %v", rulesFile, err)
	}
	var rules []*yaml.Node
	if len(doc.Content) == 1 {
		for _, g := range items(mapValue(doc.Content[0], "groups")) {
			rules = append(rules, items(mapValue(g, "rules"))...)
		}
	}
	if len(rules) == 0 {
		t.Fatalf("%s: no rules", rulesFile)
	}
	for _, r := range rules {
		for _, key := range []string{"for", "keep_firing_for"} {
			v := mapValue(r, key)
			if v == nil {
				continue
			}
			d, err := model.ParseDuration(v.Value)
			if err != nil {
				t.Fatalf("%s:%d: %s: %v", rulesFile, v.Line, key, err)
			}
			v.Value = model.Duration(float64(d) * f).String()
		}
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), filepath.Base(rulesFile))
	writeFile(t, path, b.String())
	return path
}

// items returns the items of a sequence node, nil for any other node.
func items(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// mapValue returns the value of key in a mapping node, nil when absent.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
