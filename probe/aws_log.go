package probe

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/smithy-go/logging"
)

// SDKLogger routes the AWS SDK's own log lines (retry, checksum and
// credential warnings) into slog instead of the SDK's default writer on
// standard error, whose plain "SDK 2006/01/02 …" lines would break JSON
// logs and command output. Warnings stay warnings; everything else is
// debug. A nil logger discards them.
func SDKLogger(l *slog.Logger) logging.Logger {
	if l == nil {
		return logging.Nop{}
	}
	l = l.With("component", "aws-sdk")
	return logging.LoggerFunc(func(c logging.Classification, format string, v ...any) {
		level := slog.LevelDebug
		if c == logging.Warn {
			level = slog.LevelWarn
		}
		l.Log(context.Background(), level, fmt.Sprintf(format, v...))
	})
}
