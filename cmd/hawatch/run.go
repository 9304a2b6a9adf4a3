package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/prometheus/common/version"

	"github.com/hawatch/hawatch/alerts"
	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/daemon"
)

// addWebFlags declares the HTTP flags that Prometheus exporters share
// (exporter-toolkit's web.FlagConfig: listen addresses, systemd socket,
// web config file), each mirroring hawatch's variable.
func addWebFlags(c *cmdFlags) {
	c.mirrorList("web.listen-address", "HAWATCH_LISTEN_ADDRESS", config.DefaultListenAddress, "ADDR",
		"address to serve the status page, the API and /metrics on")
	c.mirror("web.config.file", "HAWATCH_WEB_CONFIG_FILE", "", "FILE",
		"exporter-toolkit web configuration file: TLS and basic authentication")
}

// addLogFlags declares --log.level and --log.format.
func addLogFlags(c *cmdFlags, level string) {
	c.mirror("log.level", "HAWATCH_LOG_LEVEL", level, "LEVEL", "only log messages of this level or above: debug, info, warn, error")
	c.mirror("log.format", "HAWATCH_LOG_FORMAT", "text", "FORMAT", "log format: text (logfmt) or json")
}

// daemonFlags declares the flags of `hawatch run`.
func daemonFlags() *cmdFlags {
	c := newCmdFlags("run", "Run the daemon: poll the configured HA pairs, serve metrics, the status page and the API, and push alerts to Alertmanager.",
		"SIGHUP, or POST /-/reload when enabled, re-reads the configuration.")
	c.mirror("config.file", "HAWATCH_CONFIG_FILE", "", "FILE", "YAML file with the pairs to watch (instead of the single-pair variables)")
	addWebFlags(c)
	c.mirrorBool("web.systemd-socket", "HAWATCH_WEB_SYSTEMD_SOCKET", "serve on the sockets systemd passes (socket activation) instead of --web.listen-address")
	c.mirrorBool("web.enable-lifecycle", "HAWATCH_WEB_ENABLE_LIFECYCLE", "serve POST /-/reload")
	c.mirror("alerts.runbook-url", "HAWATCH_RUNBOOK_URL", alerts.DefaultRunbookBaseURL, "URL",
		"runbooks document that the runbook_url annotation of hawatch's own alerts points into (#alertname is appended)")
	addLogFlags(c, "info")
	return c
}

// runDaemon runs the daemon until SIGINT or SIGTERM, reloading on SIGHUP.
func runDaemon(args []string, stdout, stderr io.Writer) int {
	c := daemonFlags()
	if code, done := c.parse(args, stdout, stderr); done {
		return code
	}
	cfg, err := c.load()
	if err != nil {
		fmt.Fprintf(stderr, "hawatch: %v\n", err)
		return 2
	}
	logger, err := newLogger(stderr, cfg.LogLevel, cfg.LogFormat)
	if err != nil {
		fmt.Fprintf(stderr, "hawatch: %v\n", err)
		return 2
	}
	installLogger(logger)
	logger.Info("starting hawatch", "version", version.Info(), "build", version.BuildContext(), "pairs", len(cfg.OwnedPairs()))
	warnUnknownVariables(logger)
	d, err := daemon.New(daemon.Options{
		Config: cfg,
		Logger: logger,
		// A reload keeps the flags of the command line.
		Reload: c.load,
	})
	if err != nil {
		logger.Error("cannot start", "err", err)
		return 1
	}
	return serve(d, logger)
}

// signalContext ends on SIGINT or SIGTERM; SIGHUP goes to reload.
func signalContext() (context.Context, <-chan os.Signal, context.CancelFunc) {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	return ctx, hup, func() { signal.Stop(hup); cancel() }
}

// serve runs d until a signal stops it, reloading on SIGHUP.
func serve(d *daemon.Daemon, logger *slog.Logger) int {
	ctx, hup, stop := signalContext()
	defer stop()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				if err := d.Reload(ctx); err != nil {
					logger.Error("reload on SIGHUP failed", "err", err)
				}
			}
		}
	}()
	if err := d.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		logger.Error("hawatch stopped", "err", err)
		return 1
	}
	logger.Info("hawatch stopped")
	return 0
}
