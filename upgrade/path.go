package upgrade

import (
	"fmt"
	"strings"
)

// StepKind says what is done with an image on the way to a target.
type StepKind int

// Kinds of Step.
const (
	// Download: the base image of a feature release is downloaded, not
	// installed, so that a maintenance release of it can be installed.
	Download StepKind = iota + 1
	// Install: the image is installed and the firewall rebooted into it.
	Install
)

// Step is one image on an upgrade path.
type Step struct {
	Kind StepKind
	// Version is the image, or "MAJOR.MINOR.x" for the latest maintenance
	// release of an intermediate feature release.
	Version string
}

// String returns "10.2.0 base (download only)" or "10.2.x".
func (s Step) String() string {
	if s.Kind == Download {
		return s.Version + " base (download only)"
	}
	return s.Version
}

// Verdict is the answer of a Plan.
type Verdict int

// Verdicts of a Plan.
const (
	// Supported: the target can be installed next on the running version.
	Supported Verdict = iota + 1
	// Refused: it cannot, or it is a downgrade.
	Refused
	// Unknown: a version is outside the releases hawatch knows.
	Unknown
)

// Plan is the way from a running version to a target.
type Plan struct {
	Running, Target Version
	Verdict         Verdict
	// Downgrade is true when the target is older than the running version.
	Downgrade bool
	// Steps lead from the running version to the target under the rules:
	// the plan to follow when Verdict is Supported. For a refused upgrade
	// they are the stepwise path that gets there instead.
	Steps []Step
	// Stepwise leads to the target one feature release at a time, with no
	// skip; it equals Steps unless a skip rule allowed a jump.
	Stepwise []Step
	// Skipped lists the feature releases jumped over under a skip rule.
	Skipped []Feature
	// Reason explains the verdict in one sentence; Source names the rule.
	Reason, Source string
}

// Path renders the plan's steps from the running version:
// "7.0.1 → 7.1.0 base (download only) → 7.1.x → 8.0.0 base (download only) → 8.0.3".
func (p Plan) Path() string { return render(p.Running, p.Steps) }

// StepwisePath renders Stepwise like Path.
func (p Plan) StepwisePath() string { return render(p.Running, p.Stepwise) }

func render(from Version, steps []Step) string {
	parts := []string{from.String()}
	for _, s := range steps {
		parts = append(parts, s.String())
	}
	return strings.Join(parts, " → ")
}

// PlanUpgrade says whether target can be installed next on a firewall
// running running, and how to get there.
func PlanUpgrade(running, target Version) Plan {
	p := Plan{Running: running, Target: target, Source: SourceUpgradePath}
	ri, rok := release(running.Feature())
	ti, tok := release(target.Feature())
	switch {
	case !rok:
		p.Verdict, p.Reason = Unknown, outsideTrain("running", running)
		return p
	case !tok && target.Feature().Compare(train[len(train)-1].Feature) > 0:
		p.Verdict, p.Reason = Unknown, outsideTrain("target", target)
		return p
	case !tok:
		p.Verdict = Refused
		p.Reason = fmt.Sprintf("there is no PAN-OS feature release %s", target.Feature())
		return p
	}
	if base := train[ti].Base; target.Patch < base.Patch && target.Pre == "" {
		p.Verdict = Refused
		p.Reason = fmt.Sprintf("there is no PAN-OS %s: the first release of %s is %s", target, target.Feature(), base.Canonical())
		return p
	}
	switch c := running.Compare(target); {
	case c == 0:
		p.Verdict, p.Reason = Supported, "already runs "+target.String()
		return p
	case c > 0:
		p.Verdict, p.Downgrade = Refused, true
		p.Steps = []Step{{Install, target.String()}}
		p.Stepwise = p.Steps
		p.Reason = fmt.Sprintf("%s is older than the running %s: a downgrade, not an upgrade", target, running)
		return p
	}
	p.Stepwise = stepwise(ri, ti, target)
	p.Steps = p.Stepwise
	switch ti - ri {
	case 0:
		p.Verdict = Supported
		p.Reason = fmt.Sprintf("a maintenance release of the running feature release %s", target.Feature())
	case 1:
		p.Verdict = Supported
		p.Reason = fmt.Sprintf("%s is the next feature release after %s", target.Feature(), running.Feature())
	default:
		planSkip(&p, ri, ti)
	}
	return p
}

// planSkip judges a target more than one feature release ahead.
func planSkip(p *Plan, ri, ti int) {
	var skipped []string
	for _, r := range between(ri, ti) {
		p.Skipped = append(p.Skipped, r.Feature)
		skipped = append(skipped, r.Feature.String())
	}
	list := strings.Join(skipped, ", ")
	rule, ok := skipRule(p.Running.Feature())
	switch {
	case !ok:
		p.Verdict, p.Skipped = Refused, nil
		p.Reason = fmt.Sprintf("%s skips feature release %s, and no release before %s may skip one: install them in order",
			p.Target, list, skipRules[0].From)
	case len(p.Skipped) > rule.MaxSkipped:
		p.Verdict, p.Skipped, p.Source = Refused, nil, rule.Source
		p.Reason = fmt.Sprintf("%s skips feature release %s, more than the %d a firewall running %s may skip", p.Target, list, rule.MaxSkipped, rule.From)
	default:
		p.Verdict, p.Source = Supported, rule.Source
		p.Steps = skipSteps(ri, ti, p.Target)
		p.Reason = fmt.Sprintf("skips feature release %s, within the %d a firewall running %s or later may skip", list, rule.MaxSkipped, rule.From)
	}
}

// stepwise is the path through every feature release after ri up to the
// target's (ti): each intermediate one's base image downloaded and its
// latest maintenance release installed.
func stepwise(ri, ti int, target Version) []Step {
	var steps []Step
	for _, r := range between(ri, ti) {
		steps = append(steps, Step{Download, r.Base.Canonical()},
			Step{Install, r.Feature.String() + ".x"})
	}
	return append(steps, targetSteps(ri, ti, target)...)
}

// skipSteps is the path of a skip upgrade: the base images of the skipped
// feature releases and of the target's are downloaded, then the target
// installed. Whether the skipped bases are needed is unclear in public
// material; listing them is the careful reading.
func skipSteps(ri, ti int, target Version) []Step {
	var steps []Step
	for _, r := range between(ri, ti) {
		steps = append(steps, Step{Download, r.Base.Canonical()})
	}
	return append(steps, targetSteps(ri, ti, target)...)
}

// targetSteps downloads the target's base image when the target is in a
// new feature release and is not that base itself, then installs it.
func targetSteps(ri, ti int, target Version) []Step {
	base := train[ti].Base
	if ti != ri && target.Compare(base) != 0 {
		return []Step{{Download, base.Canonical()}, {Install, target.String()}}
	}
	return []Step{{Install, target.String()}}
}

// between returns the feature releases strictly after ri and before ti.
func between(ri, ti int) []Release {
	if ti <= ri+1 {
		return nil
	}
	return train[ri+1 : ti]
}

// outsideTrain explains a version hawatch has no rules for.
func outsideTrain(what string, v Version) string {
	return fmt.Sprintf("the %s version %s is in feature release %s, outside the releases hawatch knows (%s to %s)",
		what, v, v.Feature(), train[0].Feature, train[len(train)-1].Feature)
}
