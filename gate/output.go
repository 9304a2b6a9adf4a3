package gate

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// verdictText is how the table prints a verdict.
var verdictText = map[string]string{
	VerdictReady:      "READY",
	VerdictNotReady:   "NOT READY",
	VerdictCannotTell: "CANNOT TELL",
}

// WriteTable writes the report for people: per pair a verdict line, then
// one line per check with PASS, FAIL or UNKNOWN and its evidence, and a
// closing result line with the exit code.
func (r Report) WriteTable(w io.Writer) error {
	for i, p := range r.Pairs {
		if i > 0 {
			if _, err := fmt.Fprintln(w); err != nil {
				return fmt.Errorf("write report: %w", err)
			}
		}
		if err := p.writeTable(w); err != nil {
			return err
		}
	}
	if len(r.Pairs) == 0 {
		if _, err := fmt.Fprintln(w, "no pair to check"); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	_, err := fmt.Fprintf(w, "\nresult: %s (exit %d)\n", verdictText[r.Verdict()], r.ExitCode)
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// writeTable writes one pair's section.
func (p PairReport) writeTable(w io.Writer) error {
	_, err := fmt.Fprintf(w, "pair %s: %s (%d passed, %d failed, %d unknown)\n", p.Pair, verdictText[p.Verdict()],
		p.Count(StatusPass), p.Count(StatusFail), p.Count(StatusUnknown))
	if err != nil {
		return fmt.Errorf("write report of pair %s: %w", p.Pair, err)
	}
	if p.Cause != "" {
		if _, err := fmt.Fprintf(w, "cause: %s\n", p.Cause); err != nil {
			return fmt.Errorf("write report of pair %s: %w", p.Pair, err)
		}
		// The evidence as the status page shows it, in its order.
		for _, e := range p.Evidence {
			if _, err := fmt.Fprintf(w, "  - %s\n", e); err != nil {
				return fmt.Errorf("write report of pair %s: %w", p.Pair, err)
			}
		}
	}
	// The tabwriter buffers the rows; Flush reports any write error.
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	_, _ = fmt.Fprintln(tw, "STATUS\tCHECK\tEVIDENCE")
	for _, c := range p.Checks {
		_, _ = fmt.Fprintf(tw, "%s\t%s\t%s\n", strings.ToUpper(c.Status), c.Name, oneLine(c.Evidence))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write report of pair %s: %w", p.Pair, err)
	}
	return nil
}

// oneLine keeps evidence on its table line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// jsonPair is a pair in the JSON output: the report plus its verdict.
type jsonPair struct {
	Pair       string  `json:"pair"`
	Verdict    string  `json:"verdict"`
	Ready      bool    `json:"ready"`
	CannotTell bool    `json:"cannot_tell"`
	Checks     []Check `json:"checks"`
}

// jsonReport is the JSON output.
type jsonReport struct {
	Verdict  string     `json:"verdict"`
	ExitCode int        `json:"exit_code"`
	Pairs    []jsonPair `json:"pairs"`
}

// WriteJSON writes the report as one indented JSON document:
//
//	{"verdict": "not-ready", "exit_code": 1, "pairs": [{"pair": "prod",
//	 "verdict": "not-ready", "ready": false, "cannot_tell": false,
//	 "checks": [{"name": "ha-states", "status": "pass", "evidence": "..."}]}]}
//
// Verdicts are "ready", "not-ready" and "cannot-tell"; statuses "pass",
// "fail" and "unknown".
func (r Report) WriteJSON(w io.Writer) error {
	out := jsonReport{Verdict: r.Verdict(), ExitCode: r.ExitCode, Pairs: make([]jsonPair, 0, len(r.Pairs))}
	for _, p := range r.Pairs {
		if p.Checks == nil {
			p.Checks = []Check{}
		}
		out.Pairs = append(out.Pairs, jsonPair{
			Pair: p.Pair, Verdict: p.Verdict(), Ready: p.Ready, CannotTell: p.CannotTell, Checks: p.Checks,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}
