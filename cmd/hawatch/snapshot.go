package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/statesnap"
)

const snapshotUsage = `usage: hawatch snapshot save NAME [--pair P] [--file F] [--timeout D]
       hawatch snapshot diff A B [--sessions-tolerance 10%] [--skip CHECK] [--output table|json]
       hawatch snapshot list

save  polls the pair once (same configuration as the daemon) and stores the
      state of both peers and the AWS side: interfaces, routes, ARP, sessions,
      content and license versions, IPsec tunnels, HA state, ENIs and VPC
      routes. It is stored as HAWATCH_DATA_DIR/snapshots/NAME.json, or in F.
diff  compares snapshot A (before) with B (after); A and B are names in
      HAWATCH_DATA_DIR/snapshots or paths of snapshot files. Exit 0 when no
      difference passes its threshold, 1 when one does, 2 when it cannot be
      told (a part unknown in either snapshot) or on bad input.
      Checks: ` + "peers-reachable, ha-state, versions, interfaces-up, sessions, routes, arp,\n" +
	`      licenses, ipsec-tunnels, aws-enis, aws-routes.
list  lists the snapshots in HAWATCH_DATA_DIR/snapshots, newest first.
`

// runSnapshot is `hawatch snapshot`: save, compare and list state
// snapshots of a pair.
func runSnapshot(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, snapshotUsage)
		return 2
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprint(stdout, snapshotUsage)
		return 0
	case "save":
		return snapshotSave(args[1:], stdout, stderr)
	case "diff":
		return snapshotDiff(args[1:], stdout, stderr)
	case "list":
		return snapshotList(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "hawatch snapshot: unknown command %q\n\n%s", args[0], snapshotUsage)
	return 2
}

// parseWithArgs parses a subcommand's flags, which may come before,
// between or after its positional arguments, and returns the positional
// ones; done and code are as cmdFlags.parse's.
func parseWithArgs(c *cmdFlags, args []string, stdout, stderr io.Writer) (pos []string, code int, done bool) {
	var flags []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := c.Lookup(name)
		if f == nil {
			continue // parse names the unknown flag
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue // a boolean takes no value
		}
		if i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	code, done = c.parse(flags, stdout, stderr)
	return pos, code, done
}

// dataStore returns the snapshot store under HAWATCH_DATA_DIR, the same
// variable the daemon reads; ok is false when it is not set.
func dataStore() (statesnap.Store, bool) {
	dir := os.Getenv("HAWATCH_DATA_DIR")
	return statesnap.Store{Dir: statesnap.DirIn(dir)}, dir != ""
}

func snapshotSave(args []string, stdout, stderr io.Writer) int {
	c := newCmdFlags("snapshot save", "Poll a pair once and save the state of both peers and the AWS side as snapshot NAME.",
		"Arguments: NAME. The snapshot is stored as HAWATCH_DATA_DIR/snapshots/NAME.json, or in --file.")
	c.mirror("config.file", "HAWATCH_CONFIG_FILE", "", "FILE", "YAML file with the pairs (instead of the single-pair variables)")
	c.mirror("log.format", "HAWATCH_LOG_FORMAT", "text", "FORMAT", "format of the warnings logged while polling: text (logfmt) or json")
	pair := c.String("pair", "", "the pair to snapshot (needed when several are configured)")
	file := c.String("file", "", "write the snapshot to this file instead of HAWATCH_DATA_DIR/snapshots")
	timeout := c.Duration("timeout", 60*time.Second, "give up after this long")
	pos, code, done := parseWithArgs(c, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "hawatch snapshot save: want one NAME, got %d arguments\nrun 'hawatch snapshot save --help' for the flags\n", len(pos))
		return 2
	}
	name := pos[0]
	if err := statesnap.CheckName(name); err != nil {
		fmt.Fprintf(stderr, "hawatch snapshot save: %v\n", err)
		return 2
	}
	store, haveDir := dataStore()
	if *file == "" && !haveDir {
		fmt.Fprintln(stderr, "hawatch snapshot save: HAWATCH_DATA_DIR is not set; set it or give --file")
		return 2
	}
	cfg, err := c.load()
	if err != nil {
		fmt.Fprintf(stderr, "hawatch snapshot save: %v\n", err)
		return 2
	}
	pc, err := pickPair(cfg, *pair)
	if err != nil {
		fmt.Fprintf(stderr, "hawatch snapshot save: %v\n", err)
		return 2
	}
	snaps, ops, err := pollOnce(stderr, cfg, []config.PairConfig{pc}, *timeout, statesnap.Commands...)
	if err != nil {
		fmt.Fprintf(stderr, "hawatch snapshot save: %v\n", err)
		return 2
	}
	s := statesnap.Build(name, statesnap.TriggerManual, snaps[0], statesnap.ExtrasOf(snaps[0], ops[0]), time.Now())
	path := *file
	if path == "" {
		err = store.Save(s)
		path = store.Path(name)
	} else {
		err = statesnap.WriteFile(path, s)
	}
	if err != nil {
		fmt.Fprintf(stderr, "hawatch snapshot save: %v\n", err)
		return 2
	}
	fmt.Fprintf(stdout, "saved snapshot %s of pair %s to %s\n", name, pc.Name, path)
	for _, p := range s.Peers {
		if !p.Reachable {
			fmt.Fprintf(stderr, "warning: %s did not answer: %s\n", p.Name, p.Error)
		}
		for part, why := range p.Unknown {
			fmt.Fprintf(stderr, "warning: %s: %s unknown: %s\n", p.Name, part, why)
		}
	}
	return 0
}

// pickPair returns the named pair, or the only one configured.
func pickPair(cfg *config.Config, name string) (config.PairConfig, error) {
	if name == "" {
		if len(cfg.Pairs) != 1 {
			return config.PairConfig{}, fmt.Errorf("%d pairs are configured; name one with --pair", len(cfg.Pairs))
		}
		return cfg.Pairs[0], nil
	}
	for _, pc := range cfg.Pairs {
		if pc.Name == name {
			return pc, nil
		}
	}
	return config.PairConfig{}, fmt.Errorf("no pair named %q in the configuration", name)
}

func snapshotDiff(args []string, stdout, stderr io.Writer) int {
	c := newCmdFlags("snapshot diff", "Compare snapshot A (before) with snapshot B (after): exit 0 no significant difference, 1 a difference over its threshold, 2 cannot tell.",
		"Arguments: A B, each a name in HAWATCH_DATA_DIR/snapshots or the path of a snapshot file.\nChecks: "+
			strings.Join(statesnap.Checks, ", ")+".")
	tol := c.String("sessions-tolerance", "10%", "how far the active sessions may move, as a percentage of A's")
	output := c.String("output", "table", "output format: table or json")
	var skip stringList
	c.Var(&skip, "skip", "check not to run (repeatable, or comma-separated)")
	pos, code, done := parseWithArgs(c, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) != 2 {
		fmt.Fprintf(stderr, "hawatch snapshot diff: want two snapshots A B, got %d arguments\nrun 'hawatch snapshot diff --help' for the flags\n", len(pos))
		return 2
	}
	if *output != "table" && *output != "json" {
		fmt.Fprintf(stderr, "hawatch snapshot diff: --output %q: want table or json\n", *output)
		return 2
	}
	opts := statesnap.DiffOptions{Skip: map[string]bool{}}
	var err error
	if opts.SessionsTolerance, err = parsePercent(*tol); err != nil {
		fmt.Fprintf(stderr, "hawatch snapshot diff: --sessions-tolerance: %v\n", err)
		return 2
	}
	for _, s := range skip {
		for _, name := range strings.Split(s, ",") {
			if !knownCheck(name) {
				fmt.Fprintf(stderr, "hawatch snapshot diff: --skip %q: no such check (%s)\n", name, strings.Join(statesnap.Checks, ", "))
				return 2
			}
			opts.Skip[name] = true
		}
	}
	var snaps [2]*statesnap.Snapshot
	for i, ref := range pos {
		if snaps[i], err = loadSnapshot(ref); err != nil {
			fmt.Fprintf(stderr, "hawatch snapshot diff: %v\n", err)
			return 2
		}
	}
	report, err := statesnap.Diff(snaps[0], snaps[1], opts)
	if err != nil {
		fmt.Fprintf(stderr, "hawatch snapshot diff: %v\n", err)
		return 2
	}
	if *output == "json" {
		err = report.WriteJSON(stdout)
	} else {
		err = report.WriteTable(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "hawatch snapshot diff: %v\n", err)
		return 2
	}
	return report.ExitCode
}

func knownCheck(name string) bool {
	for _, c := range statesnap.Checks {
		if c == name {
			return true
		}
	}
	return false
}

// parsePercent reads "10%", "10" or "2.5%" as a fraction.
func parsePercent(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%")), 64)
	if err != nil || v < 0 || v > 1000 {
		return 0, fmt.Errorf("%q is not a percentage (e.g. 10%%)", s)
	}
	return v / 100, nil
}

// loadSnapshot reads a snapshot by path, when ref names an existing file
// or has a directory part, else by name from HAWATCH_DATA_DIR.
func loadSnapshot(ref string) (*statesnap.Snapshot, error) {
	if _, err := os.Stat(ref); err == nil || strings.ContainsRune(ref, os.PathSeparator) {
		return statesnap.ReadFile(ref)
	}
	store, ok := dataStore()
	if !ok {
		return nil, fmt.Errorf("snapshot %s: no such file, and HAWATCH_DATA_DIR is not set", ref)
	}
	return store.Get(ref)
}

func snapshotList(args []string, stdout, stderr io.Writer) int {
	c := newCmdFlags("snapshot list", "List the snapshots in HAWATCH_DATA_DIR/snapshots, newest first.", "")
	if code, done := c.parse(args, stdout, stderr); done {
		return code
	}
	store, ok := dataStore()
	if !ok {
		fmt.Fprintln(stderr, "hawatch snapshot list: HAWATCH_DATA_DIR is not set")
		return 2
	}
	infos, bad, err := store.List()
	if err != nil {
		fmt.Fprintf(stderr, "hawatch snapshot list: %v\n", err)
		return 2
	}
	for _, err := range bad {
		fmt.Fprintf(stderr, "warning: %v\n", err)
	}
	if err := statesnap.WriteList(stdout, infos); err != nil {
		fmt.Fprintf(stderr, "hawatch snapshot list: %v\n", err)
		return 2
	}
	return 0
}
