package grafana_test

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

const dashboardPath = "hawatch.json"

// datasourceUID is the templated data source every query must use.
const datasourceUID = "${datasource}"

// multiSample stands in for a multi-value variable: Grafana formats several
// values as a regular expression alternation.
const multiSample = "(edge-eu|edge-us)"

// builtinSamples stand in for Grafana's built-in variables.
var builtinSamples = map[string]string{
	"__rate_interval": "1m",
	"__interval":      "30s",
	"__interval_ms":   "30000",
	"__range":         "6h",
	"__range_s":       "21600",
	"__range_ms":      "21600000",
}

func loadDashboard(t *testing.T) *dashboard {
	t.Helper()
	data, err := os.ReadFile(dashboardPath)
	if err != nil {
		t.Fatal(err)
	}
	d, err := decodeDashboard(data)
	if err != nil {
		t.Fatalf("%s: %v", dashboardPath, err)
	}
	return d
}

// decodeDashboard decodes strictly: unknown keys, also keys that differ
// from the known ones only in case, are errors.
func decodeDashboard(data []byte) (*dashboard, error) {
	var d dashboard
	if err := strictDecode(data, &d); err != nil {
		return nil, err
	}
	if err := exactKeys(data, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

func TestStrictDecodingRejectsUnknownFields(t *testing.T) {
	data, err := os.ReadFile(dashboardPath)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	p := raw["panels"].([]any)[1].(map[string]any)
	for _, bad := range []struct{ key, misspelled string }{{"gridPos", "gridpos"}, {"gridPos", "gridPosition"}, {"targets", "Targets"}} {
		value := p[bad.key]
		delete(p, bad.key)
		p[bad.misspelled] = value
		data, _ := json.Marshal(raw)
		if _, err := decodeDashboard(data); err == nil {
			t.Errorf("a panel with %q for %q decoded without error", bad.misspelled, bad.key)
		}
		delete(p, bad.misspelled)
		p[bad.key] = value
	}
	data, _ = json.Marshal(raw)
	if _, err := decodeDashboard(data); err != nil {
		t.Errorf("the restored dashboard does not decode: %v", err)
	}
}

func TestDashboardSettings(t *testing.T) {
	d := loadDashboard(t)
	if d.SchemaVersion < 39 {
		t.Errorf("schemaVersion %d, want 39 or later", d.SchemaVersion)
	}
	if d.UID == "" || d.Title == "" || d.ID != nil {
		t.Errorf("uid %q, title %q, id %v: want a uid and a title, and no id so that imports do not clash", d.UID, d.Title, d.ID)
	}
	vars := variables(d)
	ds := vars["datasource"]
	if ds == nil || ds.Type != "datasource" || ds.Query.String != "prometheus" {
		t.Errorf("want a datasource variable of type prometheus, got %+v", ds)
	}
	pair := vars["pair"]
	const pairQuery = "label_values(hawatch_peer_up, pair)"
	if pair == nil || pair.Type != "query" || pair.Definition != pairQuery || pair.Query.Editor == nil || pair.Query.Editor.Query != pairQuery {
		t.Errorf("want a query variable pair from %s, got %+v", pairQuery, pair)
	}
	if peer := vars["peer"]; peer == nil || peer.Type != "query" {
		t.Errorf("want a query variable peer, got %+v", peer)
	}
	for _, v := range d.Templating.List {
		if v.Type != "query" {
			continue
		}
		if v.Datasource == nil || v.Datasource.UID != datasourceUID {
			t.Errorf("variable %s: data source %+v, want %s", v.Name, v.Datasource, datasourceUID)
		}
		if v.Query.Editor == nil || v.Query.Editor.Query != v.Definition {
			t.Errorf("variable %s: query and definition differ", v.Name)
		}
	}
}

// variables returns the template variables by name.
func variables(d *dashboard) map[string]*variable {
	vars := map[string]*variable{}
	for i := range d.Templating.List {
		vars[d.Templating.List[i].Name] = &d.Templating.List[i]
	}
	return vars
}

// allPanels returns the panels, those inside collapsed rows included.
func allPanels(d *dashboard) []panel {
	var out []panel
	for _, p := range d.Panels {
		out = append(out, p)
		out = append(out, p.Panels...)
	}
	return out
}

func TestLayout(t *testing.T) {
	d := loadDashboard(t)
	ids := map[int]string{}
	for _, p := range allPanels(d) {
		if prev, dup := ids[p.ID]; dup || p.ID <= 0 {
			t.Errorf("panel %q: id %d not positive or already used by %q", p.Title, p.ID, prev)
		}
		ids[p.ID] = p.Title
		g := p.GridPos
		if g.W < 1 || g.H < 1 || g.X < 0 || g.Y < 0 || g.X+g.W > 24 {
			t.Errorf("panel %q: gridPos %+v outside the 24-column grid", p.Title, g)
		}
		if p.Type == "row" && (p.Collapsed != (len(p.Panels) > 0) || p.Datasource != nil || len(p.Targets) > 0) {
			t.Errorf("row %q: want nested panels exactly when collapsed, and no queries", p.Title)
		}
	}
	// Panels of expanded rows share one grid and must not overlap.
	for i, a := range d.Panels {
		for _, b := range d.Panels[i+1:] {
			ga, gb := a.GridPos, b.GridPos
			if ga.X < gb.X+gb.W && gb.X < ga.X+ga.W && ga.Y < gb.Y+gb.H && gb.Y < ga.Y+ga.H {
				t.Errorf("panels %q %+v and %q %+v overlap", a.Title, ga, b.Title, gb)
			}
		}
	}
	vars := variables(d)
	for _, p := range d.Panels {
		if p.Repeat == "" {
			continue
		}
		if v := vars[p.Repeat]; v == nil || !v.Multi && !v.IncludeAll {
			t.Errorf("panel %q repeats over %q, which is not a multi-value variable", p.Title, p.Repeat)
		}
	}
}

func TestQueries(t *testing.T) {
	d := loadDashboard(t)
	known := loadKnownMetrics(t)
	vars := variables(d)
	q := &queryChecker{t: t, vars: vars, known: known, parser: parser.NewParser(parser.Options{})}

	queries := 0
	for _, p := range allPanels(d) {
		if p.Type == "row" {
			continue
		}
		where := fmt.Sprintf("panel %q", p.Title)
		if p.Datasource == nil || *p.Datasource != (datasourceRef{Type: "prometheus", UID: datasourceUID}) {
			t.Errorf("%s: data source %+v, want the %s variable", where, p.Datasource, datasourceUID)
		}
		if len(p.Targets) == 0 {
			t.Errorf("%s has no query", where)
		}
		refs := map[string]bool{}
		for _, tg := range p.Targets {
			if refs[tg.RefID] || tg.RefID == "" {
				t.Errorf("%s: refId %q empty or used twice", where, tg.RefID)
			}
			refs[tg.RefID] = true
			if tg.Datasource == nil || *tg.Datasource != *p.Datasource {
				t.Errorf("%s query %s: data source %+v differs from the panel's", where, tg.RefID, tg.Datasource)
			}
			q.check(where+" query "+tg.RefID, tg.Expr)
			queries++
		}
		for _, m := range p.FieldConfig.Defaults.Mappings {
			if m.Type != "value" || len(m.Options) == 0 {
				t.Errorf("%s: value mapping of type %q with %d options", where, m.Type, len(m.Options))
			}
		}
	}
	for _, a := range d.Annotations.List {
		if a.BuiltIn == 1 {
			continue
		}
		if a.Datasource == nil || a.Datasource.UID != datasourceUID {
			t.Errorf("annotation %q: data source %+v, want %s", a.Name, a.Datasource, datasourceUID)
		}
		q.check(fmt.Sprintf("annotation %q", a.Name), a.Expr)
	}
	for _, v := range d.Templating.List {
		if v.Type == "query" {
			q.checkLabelValues(fmt.Sprintf("variable %q", v.Name), v.Definition)
		}
	}
	if queries < 20 {
		t.Errorf("only %d queries found; is the dashboard complete?", queries)
	}
}

// queryChecker checks the PromQL of the dashboard.
type queryChecker struct {
	t      *testing.T
	vars   map[string]*variable
	known  *knownMetrics
	parser parser.Parser
}

var varRE = regexp.MustCompile(`\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]`)

// substitute replaces the template variables of expr with sample values.
func (q *queryChecker) substitute(where, expr string) string {
	return varRE.ReplaceAllStringFunc(expr, func(m string) string {
		sub := varRE.FindStringSubmatch(m)
		name := sub[1] + sub[2] + sub[3]
		if v, ok := builtinSamples[name]; ok {
			return v
		}
		v, ok := q.vars[name]
		switch {
		case !ok || sub[3] != "":
			q.t.Errorf("%s: unknown or deprecated variable syntax %s", where, m)
			return m
		case v.Multi || v.IncludeAll:
			return multiSample
		}
		return "sample"
	})
}

// check parses expr and checks its metric names and the matchers of
// multi-value variables.
func (q *queryChecker) check(where, expr string) {
	q.t.Helper()
	if strings.TrimSpace(expr) == "" {
		q.t.Errorf("%s: empty query", where)
		return
	}
	e, err := q.parser.ParseExpr(q.substitute(where, expr))
	if err != nil {
		q.t.Errorf("%s: %v\n%s", where, err, expr)
		return
	}
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		if vs.Name == "" {
			q.t.Errorf("%s: selector %s names no metric", where, vs)
		}
		q.known.check(q.t, where, vs.Name)
		for _, m := range vs.LabelMatchers {
			if strings.Contains(m.Value, multiSample) && m.Type != labels.MatchRegexp && m.Type != labels.MatchNotRegexp {
				q.t.Errorf("%s: multi-value variable in %s needs =~ or !~", where, m)
			}
		}
		return nil
	})
}

var labelValuesRE = regexp.MustCompile(`^label_values\((.+),\s*(\w+)\)$`)

// checkLabelValues checks a label_values(selector, label) variable query.
func (q *queryChecker) checkLabelValues(where, def string) {
	m := labelValuesRE.FindStringSubmatch(def)
	if m == nil {
		q.t.Errorf("%s: %q is not label_values(selector, label)", where, def)
		return
	}
	if !slices.Contains([]string{"pair", "peer"}, m[2]) {
		q.t.Errorf("%s: label %s is not one of pair, peer", where, m[2])
	}
	q.check(where, m[1])
}
