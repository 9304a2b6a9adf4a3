package main

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/scheduler"
	"github.com/hawatch/hawatch/snapshot"
)

// pollOnce polls the pairs once, as the daemon would, and fetches the
// on-demand commands cmds from every peer: what `hawatch check` and
// `hawatch snapshot save` judge. Only warnings are logged, in the
// configured format, and unknown HAWATCH_* variables are among them.
func pollOnce(stderr io.Writer, cfg *config.Config, pairs []config.PairConfig, timeout time.Duration, cmds ...probe.Command) ([]*snapshot.Pair, [][]*probe.Ops, error) {
	logger, err := newLogger(stderr, "warn", cfg.LogFormat)
	if err != nil {
		logger = slog.New(slog.DiscardHandler)
	}
	installLogger(logger)
	warnUnknownVariables(logger)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return scheduler.New(scheduler.Options{Logger: logger}).PollAllWithOps(ctx, pairs, cmds...)
}
