package config

import "log/slog"

// LogValue hides the value from log/slog, whatever the handler.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// SlogLevel returns the configured log level.
func (c *Config) SlogLevel() slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return slog.LevelInfo
	}
	return l
}
