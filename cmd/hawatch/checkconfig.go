package main

import (
	"fmt"
	"io"
	"os"

	"github.com/hawatch/hawatch/config"
)

// runCheckConfig validates the configuration, prints it with secrets
// hidden and names the HAWATCH_* variables that hawatch does not read.
func runCheckConfig(args []string, stdout, stderr io.Writer) int {
	c := newCmdFlags("check-config", "Validate the configuration, print it with secrets hidden and exit: 0 valid, 1 invalid.", "")
	c.mirror("config.file", "HAWATCH_CONFIG_FILE", "", "FILE", "YAML file with the pairs to watch (instead of the single-pair variables)")
	addWebFlags(c)
	addLogFlags(c, "info")
	if code, done := c.parse(args, stdout, stderr); done {
		return code
	}
	unknown := config.UnknownVariables(os.Environ())
	for _, u := range unknown {
		fmt.Fprintf(stderr, "warning: unknown environment variable %s, ignored\n", u)
	}
	cfg, err := c.load()
	if err != nil {
		fmt.Fprintf(stderr, "configuration is invalid: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "configuration is valid: %d pair(s)\n%s", len(cfg.Pairs), cfg.Redacted())
	return 0
}
