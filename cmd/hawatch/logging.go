package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/prometheus/common/promslog"

	"github.com/hawatch/hawatch/config"
)

// newLogger builds the process logger the way Prometheus components do
// (promslog: logfmt or JSON, with the source line). format "text" is
// logfmt.
func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	lv := promslog.NewLevel()
	if err := lv.Set(level); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", level)
	}
	if format == "" || format == "text" {
		format = "logfmt"
	}
	f := promslog.NewFormat()
	if err := f.Set(format); err != nil {
		return nil, fmt.Errorf("log format %q: want text (logfmt) or json", format)
	}
	return promslog.New(&promslog.Config{Level: lv, Format: f, Writer: w}), nil
}

// installLogger makes logger the process default, so that libraries which
// log through the standard log package (pango, exporter-toolkit, net/http
// without an ErrorLog) write through it too instead of plain lines on
// standard error.
func installLogger(logger *slog.Logger) {
	slog.SetDefault(logger)
}

// warnUnknownVariables logs every HAWATCH_* variable of the environment
// that hawatch does not read, with the known one it probably meant.
func warnUnknownVariables(logger *slog.Logger) {
	for _, u := range config.UnknownVariables(os.Environ()) {
		if u.Suggestion != "" {
			logger.Warn("unknown environment variable, ignored; did you mean "+u.Suggestion+"?", "variable", u.Name)
		} else {
			logger.Warn("unknown environment variable, ignored", "variable", u.Name)
		}
	}
}
