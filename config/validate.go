package config

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"
)

// pairNameRE keeps pair names usable as label values, in URLs and in file
// names.
var pairNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$`)

// instanceIDRE matches EC2 instance IDs, old and new style.
var instanceIDRE = regexp.MustCompile(`^i-[0-9a-f]{8}([0-9a-f]{9})?$`)

// Validate checks the whole configuration and reports every problem found,
// one a line, each naming its environment variable or YAML key. It expects
// defaults applied, as Load and LoadFile do.
func (c *Config) Validate() error {
	return joinFieldErrors(c.validate())
}

// validator collects the problems of one configuration.
type validator struct {
	// file is the YAML file of the pairs; empty when they came from the
	// environment.
	file string
	errs []*FieldError
}

func (c *Config) validate() []*FieldError {
	v := &validator{file: c.ConfigFile}
	v.daemon(c)
	v.web(&c.Web)
	v.alertmanager(&c.Alertmanager)
	if len(c.Pairs) == 0 {
		v.pairf(-1, "pairs", "%w: at least one pair", ErrRequired)
	}
	seen := make(map[string]int, len(c.Pairs))
	for i := range c.Pairs {
		p := &c.Pairs[i]
		if first, dup := seen[p.Name]; dup && p.Name != "" {
			v.pairf(i, "name", "duplicate pair name %q (first used by pairs[%d])", p.Name, first)
		} else {
			seen[p.Name] = i
		}
		v.pair(i, p)
	}
	return v.errs
}

// envf reports a problem with a daemon setting, which always comes from
// the environment.
func (v *validator) envf(variable, format string, args ...any) {
	v.errs = append(v.errs, fieldErrorf(variable, format, args...))
}

// pairf reports a problem with a setting of pair i, named by its YAML key
// relative to the pair (or, for i < 0, to the file).
func (v *validator) pairf(i int, key, format string, args ...any) {
	e := fieldErrorf(v.pairField(i, key), format, args...)
	e.File = v.file
	v.errs = append(v.errs, e)
}

// pairField names a pair setting for the user: its key path in the file,
// or its environment variable.
func (v *validator) pairField(i int, key string) string {
	if v.file == "" {
		if name, ok := pairEnvNames[key]; ok {
			return name
		}
		return key
	}
	if i < 0 {
		return key
	}
	return fmt.Sprintf("pairs[%d].%s", i, key)
}

func (v *validator) daemon(c *Config) {
	if len(c.ListenAddresses) == 0 && !c.WebSystemdSocket {
		v.envf(envListenAddress, "%w: at least one host:port", ErrRequired)
	}
	for _, addr := range c.ListenAddresses {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			v.envf(envListenAddress, "%q is not a valid host:port: %v", addr, unwrapAddrError(err))
		}
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, c.LogLevel) {
		v.envf(envLogLevel, "%q is not one of debug, info, warn, error", c.LogLevel)
	}
	// logfmt is the Prometheus name of the text format.
	if !slices.Contains([]string{"text", "logfmt", "json"}, c.LogFormat) {
		v.envf(envLogFormat, "%q is not one of text, json (or logfmt, the same as text)", c.LogFormat)
	}
	if c.RunbookURL != "" {
		if err := checkHTTPURL(c.RunbookURL); err != nil {
			v.envf(envRunbookURL, "%v", err)
		}
	}
	if err := fileProblem(c.WebConfigFile); err != nil {
		v.envf(envWebConfigFile, "%w", err)
	}
	if !(c.AlertHoldScale > 0 && c.AlertHoldScale <= 1) {
		v.envf(envAlertHoldScale, "must be above 0 and at most 1, got %g", c.AlertHoldScale)
	}
	if c.StateSnapshotInterval < 0 {
		v.envf(envStateSnapshotInterval, "must be 0 (off) or positive, got %s", c.StateSnapshotInterval)
	} else if c.StateSnapshotInterval > 0 && c.StateSnapshotInterval < time.Minute {
		v.envf(envStateSnapshotInterval, "must be 0 (off) or at least 1m: each snapshot sends about 13 requests to every peer, got %s", c.StateSnapshotInterval)
	}
	if c.Shards < 1 {
		v.envf(envShards, "must be at least 1, got %d", c.Shards)
	} else if c.ShardIndex < 0 || c.ShardIndex >= c.Shards {
		v.envf(envShardIndex, "must be from 0 to %d (%s - 1), got %d", c.Shards-1, envShards, c.ShardIndex)
	}
}

func (v *validator) web(w *WebConfig) {
	v.positive(envWebReadTimeout, w.ReadTimeout)
	v.positive(envWebWriteTimeout, w.WriteTimeout)
	v.positive(envWebIdleTimeout, w.IdleTimeout)
	if w.MaxAPIRequests < 1 {
		v.envf(envWebMaxAPIRequests, "must be at least 1, got %d", w.MaxAPIRequests)
	}
}

func (v *validator) alertmanager(am *AlertmanagerConfig) {
	for i, raw := range am.URLs {
		if err := checkHTTPURL(raw); err != nil {
			v.envf(envAlertmanagerURLs, "URL %d: %v", i+1, err)
		}
	}
	if am.Username != "" && am.Password == "" {
		v.envf(envAlertmanagerPassword, "%w with %s", ErrRequired, envAlertmanagerUsername)
	}
	if am.Username == "" && am.Password != "" {
		v.envf(envAlertmanagerUsername, "%w with %s", ErrRequired, envAlertmanagerPassword)
	}
	if am.BearerToken != "" && (am.Username != "" || am.Password != "") {
		v.envf(envAlertmanagerBearerToken, "%w: use a bearer token or a username and password, not both", ErrConflict)
	}
	if err := fileProblem(am.CAFile); err != nil {
		v.envf(envAlertmanagerCAFile, "%w", err)
	}
	v.positive(envAlertmanagerTimeout, am.Timeout)
	v.positive(envAlertmanagerResendDelay, am.ResendDelay)
	if am.QueueCapacity < 1 {
		v.envf(envAlertmanagerQueueCapacity, "must be at least 1, got %d", am.QueueCapacity)
	}
}

func (v *validator) positive(variable string, d time.Duration) {
	if d <= 0 {
		v.envf(variable, "must be positive, got %s", d)
	}
}

func (v *validator) positivePair(i int, key string, d time.Duration) bool {
	if d <= 0 {
		v.pairf(i, key, "must be positive, got %s", d)
		return false
	}
	return true
}

// fileProblem returns why the file at path cannot be read, if it cannot;
// an empty path is no file and no problem.
func fileProblem(path string) error {
	if path == "" {
		return nil
	}
	st, err := os.Stat(path)
	if err == nil && st.IsDir() {
		return fmt.Errorf("%s is a directory", path)
	}
	return err
}

// checkHTTPURL accepts absolute http and https URLs without a password.
// Its errors show the URL only with any password removed.
func checkHTTPURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the whole URL, which may hold a password.
		var ue *url.Error
		if errors.As(err, &ue) {
			return fmt.Errorf("not a valid URL: %w", ue.Err)
		}
		return errors.New("not a valid URL")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%s: scheme must be http or https", u.Redacted())
	case u.Host == "":
		return fmt.Errorf("%s: no host", u.Redacted())
	}
	if _, set := u.User.Password(); set {
		return fmt.Errorf("%s: holds a password; use the username and password settings", u.Redacted())
	}
	return nil
}

// unwrapAddrError drops the address that net repeats in its errors.
func unwrapAddrError(err error) string {
	var ae *net.AddrError
	if errors.As(err, &ae) {
		return ae.Err
	}
	return err.Error()
}

// finite reports whether f is an ordinary number.
func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// hasSpace reports whether s holds any white space.
func hasSpace(s string) bool { return strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' }) }
