package probe

import (
	"fmt"
	"log/slog"

	"github.com/aws/smithy-go/logging"
)

// SDKLogger routes the AWS SDK's own log lines (retry and connection
// warnings) into slog at debug level, instead of the SDK's default writer
// on standard error, which would break JSON logs and command output.
func SDKLogger(l *slog.Logger) logging.Logger {
	return logging.LoggerFunc(func(c logging.Classification, format string, v ...any) {
		l.Debug("aws sdk: "+fmt.Sprintf(format, v...), "classification", string(c))
	})
}
