package alerts

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// endpoint is one Alertmanager: where to post, and how to name it without
// revealing credentials.
type endpoint struct {
	// post is the URL alerts are posted to, without userinfo.
	post string
	// redacted is the URL for logs and errors: no userinfo, no query.
	redacted string
	// host labels the metrics.
	host string
	// user and password come from userinfo in the configured URL.
	user, password string
	hasUser        bool
}

// parseEndpoint parses a configured Alertmanager URL. Its error never
// contains the URL's password or query.
func parseEndpoint(raw string) (endpoint, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return endpoint{}, fmt.Errorf("parse alertmanager url %q: %w", redactRaw(raw), err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return endpoint{}, fmt.Errorf("alertmanager url %s: want http(s)://host[:port][/path]", redactURL(u))
	}
	ep := endpoint{redacted: redactURL(u), host: u.Host}
	if u.User != nil {
		ep.user, ep.hasUser = u.User.Username(), true
		ep.password, _ = u.User.Password()
	}
	post := *u
	post.User = nil
	post.Fragment = ""
	post.Path = strings.TrimRight(u.Path, "/") + "/api/v2/alerts"
	post.RawPath = ""
	ep.post = post.String()
	return ep, nil
}

// redactURL returns scheme://host/path: no userinfo, query or fragment.
func redactURL(u *url.URL) string {
	r := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	return r.String()
}

// redactRaw cuts what may hold a secret out of a URL that does not parse:
// everything before the last '@' of the authority, and the query.
func redactRaw(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		raw = raw[:i]
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		rest, scheme = raw, ""
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = "<redacted>@" + rest[i+1:]
	}
	if scheme != "" {
		return scheme + "://" + rest
	}
	return rest
}

// unwrapURLError drops the *url.Error layer of an HTTP client error, whose
// message repeats the request URL with its query.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
