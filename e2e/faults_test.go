package e2e

import (
	"fmt"
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
	rows := append(append(panosRows(), awsAlertRows()...), processRows()...)
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
// and checks the log: since the fault (skip lines before it), at least one
// line naming fw-a whose error contains errPart, at most one per change
// of the error, and no more than maxLines.
func (fx *fixture) expectPeerFails(t *testing.T, skip int, msg, errPart string, maxLines int) {
	t.Helper()
	fx.d.waitMetric(t, 30*time.Second, peerUp("fw-a"), "0")
	fx.d.waitSample(t, "hawatch_panos_command_success", []string{`pair="edge"`, `peer="fw-a"`}, "0")
	fx.d.waitMetric(t, 5*time.Second, peerUp("fw-b"), "1")
	var lines []logLine
	eventually(t, 10*time.Second, "a log line naming fw-a with "+errPart, func() error {
		lines = fx.d.logLines(msg, map[string]string{"peer": "fw-a"})
		for _, l := range lines {
			if strings.Contains(l.str("err"), errPart) {
				return nil
			}
		}
		return fmt.Errorf("%d lines %q, none with %q: %v", len(lines), msg, errPart, lines)
	})
	// A few more polls: the failure must not be logged again.
	time.Sleep(3 * time.Second)
	checkOncePerChange(t, fx.peerLines()[skip:], maxLines)
}

// checkOncePerChange fails when two consecutive lines carry the same error
// or there are more than max.
func checkOncePerChange(t *testing.T, lines []logLine, max int) {
	t.Helper()
	for i := 1; i < len(lines); i++ {
		if lines[i].str("err") == lines[i-1].str("err") {
			t.Errorf("the same failure logged twice in a row: %q", lines[i].str("err"))
		}
	}
	if len(lines) > max {
		t.Errorf("%d failure lines, want at most %d: %v", len(lines), max, lines)
	}
}

// expectPeerRecovers waits until fw-a answers again and one more "peer
// answers the api" line than before (answered) names it.
func (fx *fixture) expectPeerRecovers(t *testing.T, answered int) {
	t.Helper()
	fx.recovered(t, 30*time.Second, "fw-a answers again", func() error {
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
