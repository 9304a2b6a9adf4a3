package e2e

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// faultRow is one row of the fault matrix.
type faultRow struct {
	name string
	run  func(t *testing.T, row string)
}

// TestFaultMatrix runs each fault row in parallel, each with its own
// simulator (or hostile server) and its own hawatch process built without
// the race detector, and checks that hawatch stays alive and bounded,
// shows the fault, logs it once per change and recovers. The figures of
// every row are printed at the end.
func TestFaultMatrix(t *testing.T) {
	if _, err := plainBinary(); err != nil {
		t.Fatal(err)
	}
	rows := slices.Concat(panosRows(), awsAlertRows(), processRows(), httpRows())
	t.Cleanup(func() { printFigures(t) })
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			r.run(t, r.name)
		})
	}
}

// peerLines returns hawatch's lines about fw-a failing: not answering, or
// its certificate not trusted.
func (fx *fixture) peerLines() []logLine {
	attrs := map[string]string{"peer": "fw-a"}
	return append(fx.d.logLines("peer does not answer the api", attrs),
		fx.d.logLines("peer's tls certificate is not trusted", attrs)...)
}

// expectPeerFails waits until fw-a counts as failing while fw-b goes on,
// and until a line msg naming fw-a carries an error containing errPart.
func (fx *fixture) expectPeerFails(t *testing.T, msg, errPart string) {
	t.Helper()
	fx.d.waitMetric(t, 30*time.Second, peerUp("fw-a"), "0")
	fx.d.waitSample(t, "hawatch_panos_command_success", []string{`pair="edge"`, `peer="fw-a"`}, "0")
	fx.d.waitMetric(t, 5*time.Second, peerUp("fw-b"), "1")
	eventually(t, 10*time.Second, "a log line naming fw-a with "+errPart, func() error {
		lines := fx.d.logLines(msg, map[string]string{"peer": "fw-a"})
		for _, l := range lines {
			if strings.Contains(l.str("err"), errPart) {
				return nil
			}
		}
		return fmt.Errorf("%d lines %q, none with %q: %v", len(lines), msg, errPart, lines)
	})
}

// Known bugs that make one fault log more than one line. Each rewrites an
// error's text to what it would be without the bug.
var (
	// A peer that stops answering is logged twice: the first failing poll
	// does not read the system info again, the next one does (the peer was
	// not up), so the error gains a "system: …" line and logChange
	// (probe/panos_log.go) takes it for a new error.
	bugSystemLine = regexp.MustCompile(`(?m)^system: [^\n]*(\n|$)`)
	// An expired certificate is logged on every poll: x509's error names
	// the current time, to the second, so its text changes every poll.
	bugCurrentTime = regexp.MustCompile(`current time \S+ is after`)
)

// normalized is an error's text with the known bugs' variations removed.
func normalized(err string) string {
	return bugCurrentTime.ReplaceAllString(bugSystemLine.ReplaceAllString(err, ""), "current time T is after")
}

// checkFailureLines lets a few more polls pass, then checks fw-a's
// failure lines since the fault (skip lines before it): never the same
// error twice in a row, and one line per distinct fault injected.
func (fx *fixture) checkFailureLines(t *testing.T, skip, faults int) {
	t.Helper()
	time.Sleep(3 * time.Second)
	lines := fx.peerLines()[skip:]
	changes := 0
	bugs := map[string]bool{}
	for i, l := range lines {
		if i > 0 && l.str("err") == lines[i-1].str("err") {
			t.Errorf("the same failure logged twice in a row: %q", l.str("err"))
		}
		if i > 0 && normalized(l.str("err")) == normalized(lines[i-1].str("err")) {
			prev, cur := lines[i-1].str("err"), l.str("err")
			if bugSystemLine.ReplaceAllString(prev, "") == bugSystemLine.ReplaceAllString(cur, "") {
				bugs["a peer that stops answering is logged twice: the first failing poll skips the "+
					"system info, the next re-reads it (the peer is not up), the error gains a "+
					"\"system: …\" line and logChange (probe/panos_log.go) logs it as a new error"] = true
			} else {
				bugs["an expired certificate is logged on every poll: x509's error names the current "+
					"time to the second, so logChange (probe/panos_log.go) sees a new text each poll"] = true
			}
			continue
		}
		changes++
	}
	if changes > faults {
		t.Errorf("%d different failures logged for %d faults: %v", changes, faults, lines)
	}
	fx.note("%d failure lines", len(lines))
	t.Run("one log line per fault", func(t *testing.T) {
		if len(lines) == faults {
			return
		}
		t.Errorf("%d failure lines for %d faults (%s): %v", len(lines), faults, strings.Join(slices.Sorted(maps.Keys(bugs)), "; "), lines)
	})
}

// expectPeerRecovers waits until fw-a answers again and one more "peer
// answers the api" line than before (answered) names it.
func (fx *fixture) expectPeerRecovers(t *testing.T, answered int) {
	t.Helper()
	fx.expectPeerRecoversWithin(t, answered, 30*time.Second)
}

// expectPeerRecoversWithin is expectPeerRecovers with its own timeout.
func (fx *fixture) expectPeerRecoversWithin(t *testing.T, answered int, within time.Duration) {
	t.Helper()
	fx.recovered(t, within, "fw-a answers again", func() error {
		if v, _ := fx.d.gauge(t, peerUp("fw-a")); v != 1 {
			return fmt.Errorf("%s = %v", peerUp("fw-a"), v)
		}
		if n := len(fx.d.logLines("peer answers the api", map[string]string{"peer": "fw-a"})); n != answered+1 {
			return fmt.Errorf("%d lines saying fw-a answers, want %d", n, answered+1)
		}
		return nil
	})
}

// answered counts the lines saying fw-a answers.
func (fx *fixture) answered() int {
	return len(fx.d.logLines("peer answers the api", map[string]string{"peer": "fw-a"}))
}
