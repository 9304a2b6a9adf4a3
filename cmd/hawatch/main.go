// Command hawatch watches firewall HA pairs and the AWS data plane behind
// them, exports Prometheus metrics and pages through Alertmanager.
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

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/daemon"
)

const usage = `usage: hawatch [command]

Commands:
  run            run the daemon (the default)
  check          poll the configured pairs once and tell whether they are ready
                 for the next maintenance step (exit 0 ready, 1 not, 2 cannot tell)
  check-config   validate the configuration and exit
  snapshot       save and compare state snapshots of a pair (hawatch snapshot -h)
  demo           run the daemon on a built-in simulated HA pair playing an incident
  version        print the version

Configuration comes from HAWATCH_* environment variables or HAWATCH_CONFIG_FILE;
see the README.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cmd := "run"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "run":
		return runDaemon(stderr)
	case "check-config":
		return checkConfig(stdout, stderr)
	case "check":
		return runCheck(args, stdout, stderr)
	case "demo":
		return runDemo(args, stdout, stderr)
	case "snapshot":
		return runSnapshot(args, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, version.Print("hawatch"))
		return 0
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "hawatch: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
}

// signalContext ends on SIGINT or SIGTERM; SIGHUP goes to reload.
func signalContext() (context.Context, <-chan os.Signal, context.CancelFunc) {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	return ctx, hup, func() { signal.Stop(hup); cancel() }
}

func runDaemon(stderr io.Writer) int {
	cfg, err := config.Load(nil)
	if err != nil {
		fmt.Fprintf(stderr, "hawatch: %v\n", err)
		return 2
	}
	logger, err := newLogger(stderr, cfg.LogLevel, cfg.LogFormat)
	if err != nil {
		fmt.Fprintf(stderr, "hawatch: %v\n", err)
		return 2
	}
	logger.Info("starting hawatch", "version", version.Info(), "build", version.BuildContext(), "pairs", len(cfg.OwnedPairs()))
	d, err := daemon.New(daemon.Options{
		Config: cfg,
		Logger: logger,
		Reload: func() (*config.Config, error) { return config.Load(nil) },
	})
	if err != nil {
		logger.Error("cannot start", "err", err)
		return 1
	}
	return serve(d, logger)
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

func checkConfig(stdout, stderr io.Writer) int {
	cfg, err := config.Load(nil)
	if err != nil {
		fmt.Fprintf(stderr, "configuration is invalid: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "configuration is valid: %d pair(s)\n%s", len(cfg.Pairs), cfg.Redacted())
	return 0
}

// newLogger builds the process logger from the level and format settings.
func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: %w", level, err)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "", "text", "logfmt":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want text or json", format)
}
