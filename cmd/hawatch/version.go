package main

import (
	"io"
	"runtime/debug"
	"strings"

	"github.com/prometheus/common/version"
)

// stampVersion fills in prometheus/common/version from the module's build
// information when the build did not set it with -ldflags (a plain `go
// build` or `go install …@v1.2.3`), so that `hawatch version`, --version,
// hawatch_build_info and the startup log line all show the same version
// and revision.
func stampVersion(info *debug.BuildInfo, ok bool) {
	if !ok || info == nil {
		return
	}
	if version.Version == "" {
		v := strings.TrimPrefix(info.Main.Version, "v")
		if v == "" || v == "(devel)" {
			v = "devel"
		}
		version.Version = v
	}
	if version.Revision == "" {
		var rev string
		var modified bool
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if rev != "" && modified {
			rev += "-modified"
		}
		version.Revision = rev
	}
}

// runVersion prints the version and build information.
func runVersion(args []string, stdout, stderr io.Writer) int {
	c := newCmdFlags("version", "Print the version and build information.", "")
	if code, done := c.parse(args, stdout, stderr); done {
		return code
	}
	_, _ = io.WriteString(stdout, version.Print("hawatch")+"\n")
	return 0
}
