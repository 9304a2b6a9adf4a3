package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"log"
	"log/slog"
	"testing"
)

// jsonLines decodes every line of buf, failing on one that is not JSON.
func jsonLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var lines []map[string]any
	sc := bufio.NewScanner(buf)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not JSON (%v): %s", err, sc.Text())
		}
		lines = append(lines, m)
	}
	return lines
}

// TestStdlibLogThroughSlog: once the logger is installed, lines written
// with the standard log package (pango, exporter-toolkit) come out as
// JSON too.
func TestStdlibLogThroughSlog(t *testing.T) {
	defer slog.SetDefault(slog.Default())
	defer log.SetOutput(log.Writer())
	defer log.SetFlags(log.Flags())
	var buf bytes.Buffer
	logger, err := newLogger(&buf, "info", "json")
	if err != nil {
		t.Fatal(err)
	}
	installLogger(logger)
	log.Printf("load panos config")
	lines := jsonLines(t, &buf)
	if len(lines) != 1 || lines[0]["msg"] != "load panos config" || lines[0]["level"] != "INFO" {
		t.Errorf("lines %v, want one INFO line with the message", lines)
	}
}

// TestUnknownVariableWarningJSON: the warning is one JSON line naming the
// variable and the suggestion.
func TestUnknownVariableWarningJSON(t *testing.T) {
	t.Setenv("HAWATCH_AWS_REGOIN", "eu-west-1")
	var buf bytes.Buffer
	logger, err := newLogger(&buf, "warn", "json")
	if err != nil {
		t.Fatal(err)
	}
	warnUnknownVariables(logger)
	lines := jsonLines(t, &buf)
	if len(lines) != 1 || lines[0]["variable"] != "HAWATCH_AWS_REGOIN" ||
		lines[0]["msg"] != "unknown environment variable, ignored; did you mean HAWATCH_AWS_REGION?" || lines[0]["level"] != "WARN" {
		t.Errorf("lines %v", lines)
	}
}

func TestNewLoggerRejects(t *testing.T) {
	for _, c := range [][2]string{{"verbose", "json"}, {"info", "xml"}} {
		if _, err := newLogger(&bytes.Buffer{}, c[0], c[1]); err == nil {
			t.Errorf("newLogger(%q, %q) accepted", c[0], c[1])
		}
	}
}
