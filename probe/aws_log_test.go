package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/smithy-go/logging"
)

// TestSDKLogsThroughSlog: the clients built by NewEC2Client and
// NewIAMClient log through slog (JSON here), warnings as warnings, so that
// no plain "SDK …" line reaches standard error.
func TestSDKLogsThroughSlog(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ec2c, err := NewEC2Client(context.Background(), "eu-west-1", "http://127.0.0.1:1", logger)
	if err != nil {
		t.Fatal(err)
	}
	iamc, err := NewIAMClient(context.Background(), "eu-west-1", "http://127.0.0.1:1", logger)
	if err != nil {
		t.Fatal(err)
	}
	// The clients take the logger from the shared configuration, the same
	// one the credential chain and IMDS use.
	ec2c.Options().Logger.Logf(logging.Warn, "retry %d failed", 1)
	iamc.Options().Logger.Logf(logging.Debug, "request %s", "sent")

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d log lines, want 2:\n%s", len(lines), buf.String())
	}
	want := []struct{ level, msg string }{{"WARN", "retry 1 failed"}, {"DEBUG", "request sent"}}
	for i, line := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("line %d is not JSON (%v): %s", i, err, line)
		}
		if rec["level"] != want[i].level || rec["msg"] != want[i].msg || rec["component"] != "aws-sdk" {
			t.Errorf("line %d = %v, want level %s msg %q component aws-sdk", i, rec, want[i].level, want[i].msg)
		}
	}
}

func TestSDKLoggerNil(t *testing.T) {
	if _, ok := SDKLogger(nil).(logging.Nop); !ok {
		t.Errorf("SDKLogger(nil) = %T, want logging.Nop", SDKLogger(nil))
	}
}
