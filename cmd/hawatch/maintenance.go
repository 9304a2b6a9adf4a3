package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/daemon"
	"github.com/hawatch/hawatch/maintenance"
)

// maintenanceDetails is the help of `hawatch maintenance` after its
// one-line summary.
const maintenanceDetails = `Subcommands:
  start PAIR --for DURATION [--reason TEXT]   announce maintenance of PAIR
  stop PAIR                                   end it early
  list                                        list the pairs in maintenance

Announces planned maintenance of a pair to the running hawatch, instead of
silencing the pair in Alertmanager: while it lasts, the warnings of the
expected steps (a peer suspended, rebooted, upgraded, a failover) are held
back and recorded as info, and the incident's alerts (links down on both
peers, traffic stopped, no active peer, split brain, AWS not on the active
peer) still page. It ends by itself after DURATION and survives a restart
of hawatch. A pair's maintenance can also be announced in the configuration
file (maintenance: {until: RFC3339, reason: TEXT} under the pair). Starting
and stopping need the daemon's lifecycle API
(--web.enable-lifecycle, HAWATCH_WEB_ENABLE_LIFECYCLE=true).

The daemon is reached at --url, else $HAWATCH_URL, else on localhost at the
port of HAWATCH_LISTEN_ADDRESS (its first address); basic auth goes in the
URL (https://user:password@host:port).`

// runMaintenance runs `hawatch maintenance start|stop|list`, a client of
// the running daemon's /api/v1/maintenance.
func runMaintenance(args []string, stdout, stderr io.Writer) int {
	c := newCmdFlags("maintenance", "Start, stop or list a pair's announced maintenance (instead of a silence).", maintenanceDetails)
	dur := c.Duration("for", 0, "how long the maintenance lasts, e.g. 2h (start)")
	reason := c.String("reason", "", "why; shown on the status page and in the alert (start)")
	base := c.String("url", defaultDaemonURL(), "URL of the running hawatch")
	pos, code, done := parseWithArgs(c, args, stdout, stderr)
	if done {
		return code
	}
	mc := &maintClient{base: strings.TrimRight(*base, "/"), http: &http.Client{Timeout: 30 * time.Second}, out: stdout}
	var sub string
	if len(pos) > 0 {
		sub, pos = pos[0], pos[1:]
	}
	var err error
	switch {
	case sub == "start" && len(pos) == 1 && *dur > 0:
		err = mc.start(pos[0], *dur, *reason)
	case sub == "stop" && len(pos) == 1:
		err = mc.stop(pos[0])
	case sub == "list" && len(pos) == 0:
		err = mc.list()
	default:
		msg := "expected start PAIR --for DURATION, stop PAIR or list"
		if sub == "start" && len(pos) == 1 {
			msg = "start needs --for DURATION"
		}
		fmt.Fprintf(stderr, "hawatch maintenance: %s\nrun 'hawatch maintenance --help' for the flags\n", msg)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "hawatch maintenance %s: %v\n", sub, err)
		return 1
	}
	return 0
}

// defaultDaemonURL is where the running hawatch listens, as far as the
// environment tells.
func defaultDaemonURL() string {
	if u := os.Getenv("HAWATCH_URL"); u != "" {
		return u
	}
	addr, _, _ := strings.Cut(os.Getenv("HAWATCH_LISTEN_ADDRESS"), ",")
	if addr = strings.TrimSpace(addr); addr == "" {
		addr = config.DefaultListenAddress
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// maintClient talks to the maintenance API of a running hawatch.
type maintClient struct {
	base string
	http *http.Client
	out  io.Writer
}

func (c *maintClient) start(pair string, d time.Duration, reason string) error {
	body, err := json.Marshal(daemon.MaintenanceRequest{Pair: pair, Duration: d.String(), Reason: reason})
	if err != nil {
		return err
	}
	var w maintenance.Window
	if err := c.do(http.MethodPost, "/api/v1/maintenance", body, &w); err != nil {
		return err
	}
	fmt.Fprintf(c.out, "%s is in maintenance until %s (%s).\n", w.Pair, w.End.Local().Format(time.RFC3339), d)
	return nil
}

func (c *maintClient) stop(pair string) error {
	var w maintenance.Window
	if err := c.do(http.MethodDelete, "/api/v1/maintenance/"+url.PathEscape(pair), nil, &w); err != nil {
		return err
	}
	fmt.Fprintf(c.out, "Maintenance of %s ended.\n", w.Pair)
	return nil
}

func (c *maintClient) list() error {
	var ws []maintenance.Window
	if err := c.do(http.MethodGet, "/api/v1/maintenance", nil, &ws); err != nil {
		return err
	}
	if len(ws) == 0 {
		fmt.Fprintln(c.out, "No pair is in maintenance.")
		return nil
	}
	tw := tabwriter.NewWriter(c.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PAIR\tUNTIL\tLEFT\tSOURCE\tREASON")
	for _, w := range ws {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", w.Pair, w.End.Local().Format(time.RFC3339),
			time.Until(w.End).Round(time.Minute), w.Source, w.Reason)
	}
	return tw.Flush()
}

// do sends one request and decodes the JSON reply into v; a reply other
// than 2xx is an error with the daemon's message.
func (c *maintClient) do(method, path string, body []byte, v any) error {
	u, err := url.Parse(c.base + path)
	if err != nil {
		return fmt.Errorf("daemon URL: %w", err)
	}
	req, err := http.NewRequest(method, u.String(), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("daemon URL: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		// net/http strips the password from the URL its error quotes.
		return fmt.Errorf("cannot reach hawatch: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, u.Redacted(), err)
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s: %s", method, u.Redacted(), resp.Status, strings.TrimSpace(string(b)))
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s %s: reply: %w", method, u.Redacted(), err)
	}
	return nil
}
