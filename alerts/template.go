package alerts

import (
	"fmt"
	"strings"
	"text/template"
)

// templatePrefix gives the annotation templates Prometheus's variables:
// $labels, and $values for the instance's values.
const templatePrefix = "{{ $labels := .Labels }}{{ $values := .Values }}"

// templateData is what an annotation template sees.
type templateData struct {
	Labels map[string]string
	Values map[string]string
}

// rule is a condition with its templates parsed and runbook resolved.
type rule struct {
	Condition
	summary, description *template.Template
	runbook              string
	severities           map[Severity]bool
	labels               map[string]bool
}

// newRule parses the condition's templates.
func newRule(c Condition, runbookBase string) (*rule, error) {
	r := &rule{Condition: c, runbook: c.RunbookURL(runbookBase),
		severities: map[Severity]bool{}, labels: map[string]bool{}}
	for _, s := range c.AllSeverities() {
		r.severities[s] = true
	}
	for _, l := range c.Labels {
		r.labels[l] = true
	}
	var err error
	if r.summary, err = parseTemplate(c.Name+"/summary", c.Summary); err != nil {
		return nil, err
	}
	if r.description, err = parseTemplate(c.Name+"/description", c.Description); err != nil {
		return nil, err
	}
	return r, nil
}

// parseTemplate parses one annotation template; missing values expand to
// the empty string.
func parseTemplate(name, text string) (*template.Template, error) {
	t, err := template.New(name).Option("missingkey=zero").Parse(templatePrefix + text)
	if err != nil {
		return nil, fmt.Errorf("parse template %s: %w", name, err)
	}
	return t, nil
}

// expand executes a template; like Prometheus, a failure shows in the
// annotation instead of dropping the alert.
func expand(t *template.Template, labels, values map[string]string) string {
	var b strings.Builder
	if err := t.Execute(&b, templateData{Labels: labels, Values: values}); err != nil {
		return fmt.Sprintf("<error expanding template: %v>", err)
	}
	return strings.TrimSpace(b.String())
}

// annotations returns the expanded annotations of an instance.
func (r *rule) annotations(labels, values map[string]string) map[string]string {
	return map[string]string{
		AnnotationSummary:     expand(r.summary, labels, values),
		AnnotationDescription: expand(r.description, labels, values),
		AnnotationRunbookURL:  r.runbook,
	}
}

// labelsOf builds an instance's full label set. Empty values are left out,
// as Prometheus drops empty labels. ok is false when the instance breaks
// the condition's contract (unknown label or severity), which is a bug in
// the condition.
func (r *rule) labelsOf(pair string, in Instance) (map[string]string, bool) {
	sev := in.Severity
	if sev == "" {
		sev = r.Severity
	}
	if !r.severities[sev] {
		return nil, false
	}
	ls := map[string]string{LabelAlertName: r.Name, LabelSeverity: string(sev)}
	if !r.Self {
		ls[LabelPair] = pair
	}
	for k, v := range in.Labels {
		if !r.labels[k] {
			return nil, false
		}
		if v != "" {
			ls[k] = v
		}
	}
	return ls, true
}
