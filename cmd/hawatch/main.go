// Command hawatch watches firewall HA pairs and the AWS data plane behind
// them, exports Prometheus metrics and pages through Alertmanager.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

const usage = `usage: hawatch [command] [flags]

Commands:
  run            run the daemon (the default)
  check          poll the configured pairs once and tell whether they are ready
                 for the next maintenance step (exit 0 ready, 1 not, 2 cannot tell)
  check-config   validate the configuration and exit
  snapshot       save and compare state snapshots of a pair (hawatch snapshot -h)
  demo           run the daemon on a built-in simulated HA pair playing an incident
  maintenance    start, stop or list a pair's announced maintenance (instead of a silence)
  version        print the version

Configuration comes from HAWATCH_* environment variables or a YAML file
(--config.file, HAWATCH_CONFIG_FILE); the usual Prometheus flags override
their variables. 'hawatch <command> --help' lists a command's flags.
`

func main() {
	stampVersion(debug.ReadBuildInfo())
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to the subcommand named by args[0]. Flags without a
// command are the daemon's, as in `hawatch --web.listen-address=:8080`.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "help", "-h", "-help", "--help":
			fmt.Fprint(stdout, usage)
			return 0
		case "-v", "-version", "--version":
			return runVersion(nil, stdout, stderr)
		}
	}
	cmd := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "run":
		return runDaemon(args, stdout, stderr)
	case "check":
		return runCheck(args, stdout, stderr)
	case "check-config":
		return runCheckConfig(args, stdout, stderr)
	case "demo":
		return runDemo(args, stdout, stderr)
	case "snapshot":
		return runSnapshot(args, stdout, stderr)
	case "maintenance":
		return runMaintenance(args, stdout, stderr)
	case "version":
		return runVersion(args, stdout, stderr)
	}
	fmt.Fprintf(stderr, "hawatch: unknown command %q\n\n%s", cmd, usage)
	return 2
}
