package statesnap

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hawatch/hawatch/gate"
)

// verdictText is how the table ends, by exit code.
var verdictText = map[int]string{
	gate.ExitReady:      "NO SIGNIFICANT DIFFERENCE",
	gate.ExitNotReady:   "DIFFERENT",
	gate.ExitCannotTell: "CANNOT TELL",
}

// WriteTable writes the report for people: one line per check with PASS,
// FAIL or UNKNOWN and its evidence, then the verdict and exit code.
func (r *Report) WriteTable(w io.Writer) error {
	if _, err := fmt.Fprintf(w, "pair %s: %s → %s\n", r.Pair, r.Before, r.After); err != nil {
		return fmt.Errorf("write diff: %w", err)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	_, _ = fmt.Fprintln(tw, "STATUS\tCHECK\tEVIDENCE")
	for _, c := range r.Checks {
		_, _ = fmt.Fprintf(tw, "%s\t%s\t%s\n", strings.ToUpper(c.Status), c.Name, strings.Join(strings.Fields(c.Evidence), " "))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write diff: %w", err)
	}
	if _, err := fmt.Fprintf(w, "\nresult: %s (exit %d)\n", verdictText[r.ExitCode], r.ExitCode); err != nil {
		return fmt.Errorf("write diff: %w", err)
	}
	return nil
}

// WriteJSON writes the report as one indented JSON document:
//
//	{"pair": "edge", "before": "pre", "after": "post", "exit_code": 1,
//	 "checks": [{"name": "interfaces-up", "status": "fail", "evidence": "..."}]}
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write diff: %w", err)
	}
	return nil
}

// WriteList writes one line per snapshot: name, pair, time, trigger.
func WriteList(w io.Writer, infos []Info) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	_, _ = fmt.Fprintln(tw, "NAME\tPAIR\tTAKEN\tTRIGGER")
	for _, i := range infos {
		_, _ = fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", i.Name, i.Pair, i.TakenAt.UTC().Format(time.RFC3339), i.Trigger)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write list: %w", err)
	}
	return nil
}
