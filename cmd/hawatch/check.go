package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hawatch/hawatch/gate"
)

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return fmt.Sprint(*s) }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// nameList is a repeatable flag of comma-separated values.
type nameList []string

func (s *nameList) String() string { return strings.Join(*s, ",") }
func (s *nameList) Set(v string) error {
	for _, n := range strings.Split(v, ",") {
		if n = strings.TrimSpace(n); n != "" {
			*s = append(*s, n)
		}
	}
	return nil
}

// runCheck is the upgrade gate: it polls the configured pairs once and says
// whether they are ready for the next maintenance step.
func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := newCmdFlags("check", "Poll the configured pairs once and tell whether they are ready for the next maintenance step: exit 0 ready, 1 not ready (each failing check named), 2 cannot tell.", "")
	fs.mirror("config.file", "HAWATCH_CONFIG_FILE", "", "FILE", "YAML file with the pairs to check (instead of the single-pair variables)")
	fs.mirror("log.format", "HAWATCH_LOG_FORMAT", "text", "FORMAT", "format of the warnings logged while polling: text (logfmt) or json")
	output := fs.String("output", "table", "output format: table or json")
	expectActive := fs.String("expect-active", "", "peer label that must be the active peer")
	pair := fs.String("pair", "", "check only this pair")
	timeout := fs.Duration("timeout", 60*time.Second, "give up after this long")
	targetVersion := fs.String("target-version", "", "PAN-OS version the pair is to be upgraded to; adds the upgrade-path check")
	var versions stringList
	fs.Var(&versions, "expect-version", "expected version, for both peers (V) or one (PEER=V); repeatable")
	var checks, skip, arp nameList
	fs.Var(&checks, "checks", "report only these checks (comma-separated names); repeatable")
	fs.Var(&skip, "skip", "do not report these checks (comma-separated names); repeatable")
	fs.Var(&arp, "arp", "address the active peer must have an ARP entry for; repeatable")
	minContent := fs.String("min-content-version", "", "oldest applications and threats content version allowed, e.g. 8799-8509")
	certValidFor := fs.Duration("cert-valid-for", 72*time.Hour, "how long the management certificates must stay valid")
	maxSkew := fs.Duration("max-clock-skew", gate.DefaultMaxClockSkew, "largest allowed distance between data plane and management clocks")
	if code, done := fs.parse(args, stdout, stderr); done {
		return code
	}
	if *output != "table" && *output != "json" {
		fmt.Fprintf(stderr, "hawatch check: --output %q: want table or json\n", *output)
		return 2
	}
	expVersion, err := gate.ParseExpectVersion(versions)
	if err != nil {
		fmt.Fprintf(stderr, "hawatch check: %v\n", err)
		return 2
	}
	target, err := gate.ParseTargetVersion(*targetVersion)
	if err != nil {
		fmt.Fprintf(stderr, "hawatch check: %v\n", err)
		return 2
	}
	opts := gate.Options{
		ExpectActive: *expectActive, ExpectVersion: expVersion, TargetVersion: target,
		Checks: checks, Skip: skip,
		Readiness: gate.ReadinessOptions{
			MinContentVersion: *minContent, ARP: arp, CertValidFor: *certValidFor, MaxClockSkew: *maxSkew,
		},
	}
	if err := opts.Validate(); err != nil {
		fmt.Fprintf(stderr, "hawatch check: %v\n", err)
		return 2
	}
	cfg, err := fs.load()
	if err != nil {
		fmt.Fprintf(stderr, "hawatch check: %v\n", err)
		return 2
	}
	pairs := cfg.Pairs
	if *pair != "" {
		pairs = nil
		for _, pc := range cfg.Pairs {
			if pc.Name == *pair {
				pairs = append(pairs, pc)
			}
		}
		if len(pairs) == 0 {
			fmt.Fprintf(stderr, "hawatch check: no pair named %q in the configuration\n", *pair)
			return 2
		}
	}
	snaps, ops, err := pollOnce(stderr, cfg, pairs, *timeout, gate.ReadinessCommands(opts)...)
	if err != nil {
		fmt.Fprintf(stderr, "hawatch check: %v\n", err)
		return 2
	}
	opts.Ops = gate.OpsByPair(snaps, ops)
	report := gate.Evaluate(snaps, opts)
	if *output == "json" {
		err = report.WriteJSON(stdout)
	} else {
		err = report.WriteTable(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "hawatch check: %v\n", err)
		return 2
	}
	return report.ExitCode
}
