package probe

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// textResult is a result whose answer is its text, as in `check
// pending-changes` (yes/no), `show clock` and `show panorama-status`.
type textResult struct {
	resultHead
	Text string `xml:",chardata"`
}

// licenseResult is the result of `request license info`.
type licenseResult struct {
	resultHead
	Entries []struct {
		Feature     string `xml:"feature"`
		Description string `xml:"description"`
		Issued      string `xml:"issued"`
		Expires     string `xml:"expires"`
		Expired     string `xml:"expired"`
	} `xml:"licenses>entry"`
}

// licenseDate is how `request license info` writes dates.
const licenseDate = "January 2, 2006"

// ParseLicenses parses the reply to `request license info`. A firewall
// without any license answers an empty list, which is not an error.
func ParseLicenses(body []byte) ([]License, error) {
	r, err := decodeReply[licenseResult](body, "license info", XMLLimits{})
	if err != nil {
		return nil, err
	}
	out := make([]License, 0, len(r.Entries))
	for _, e := range r.Entries {
		l := License{
			Feature:     strings.TrimSpace(e.Feature),
			Description: strings.TrimSpace(e.Description),
			Issued:      strings.TrimSpace(e.Issued),
			Expires:     strings.TrimSpace(e.Expires),
			Expired:     isYes(e.Expired),
		}
		if t, err := time.Parse(licenseDate, l.Expires); err == nil {
			l.ExpiresAt = t
		}
		if l.Feature == "" {
			return nil, fmt.Errorf("license info reply: %w: entry without feature", ErrMalformed)
		}
		out = append(out, l)
	}
	return out, nil
}

// ParsePendingChanges parses the reply to `check pending-changes`: whether
// the candidate configuration holds uncommitted changes.
func ParsePendingChanges(body []byte) (bool, error) {
	r, err := decodeReply[textResult](body, "pending changes", XMLLimits{})
	if err != nil {
		return false, err
	}
	switch strings.ToLower(strings.TrimSpace(r.Text)) {
	case "yes":
		return true, nil
	case "no":
		return false, nil
	}
	return false, fmt.Errorf("pending changes reply: %w: %q is neither yes nor no", ErrMalformed, clip(r.Text))
}

// ntpResult is the result of `show ntp`: one element per configured
// server (ntp-server-1, ntp-server-2) beside synched.
type ntpResult struct {
	resultHead
	Synched string `xml:"synched"`
	Servers []struct {
		XMLName   xml.Name
		Name      string `xml:"name"`
		Status    string `xml:"status"`
		Reachable string `xml:"reachable"`
		Auth      string `xml:"authentication-type"`
	} `xml:",any"`
}

// ParseNTP parses the reply to `show ntp`.
func ParseNTP(body []byte) (*NTPStatus, error) {
	r, err := decodeReply[ntpResult](body, "ntp", XMLLimits{})
	if err != nil {
		return nil, err
	}
	st := &NTPStatus{Synched: strings.TrimSpace(r.Synched)}
	if st.Synched == "" {
		return nil, fmt.Errorf("ntp reply: %w: no synched element", ErrMalformed)
	}
	for _, s := range r.Servers {
		if !strings.HasPrefix(s.XMLName.Local, "ntp-server") {
			continue
		}
		st.Servers = append(st.Servers, NTPServer{
			Slot:      s.XMLName.Local,
			Name:      strings.TrimSpace(s.Name),
			Status:    strings.TrimSpace(s.Status),
			Reachable: isYes(s.Reachable),
			Auth:      strings.TrimSpace(s.Auth),
		})
	}
	return st, nil
}

// ParsePanoramaStatus parses the reply to `show panorama-status`, which is
// CLI text: "Panorama Server 1 : 10.0.0.5" followed by indented
// "Connected : yes" and "HA state : disconnected" lines.
func ParsePanoramaStatus(body []byte) (*PanoramaStatus, error) {
	r, err := decodeReply[textResult](body, "panorama status", XMLLimits{})
	if err != nil {
		return nil, err
	}
	st := &PanoramaStatus{}
	if strings.TrimSpace(r.Text) == "" {
		return st, nil
	}
	var cur *PanoramaServer
	for _, line := range strings.Split(r.Text, "\n") {
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key, val = strings.ToLower(strings.Join(strings.Fields(key), " ")), strings.TrimSpace(val)
		switch {
		case strings.HasPrefix(key, "panorama server"):
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(key, "panorama server")))
			st.Servers = append(st.Servers, PanoramaServer{Index: n, Address: val})
			cur = &st.Servers[len(st.Servers)-1]
		case cur == nil:
			continue
		case key == "connected":
			cur.Connected = isYes(val)
		case key == "ha state":
			cur.HAState = val
		}
	}
	if len(st.Servers) == 0 {
		return nil, fmt.Errorf("panorama status reply: %w: no \"Panorama Server\" line in %q", ErrMalformed, clip(r.Text))
	}
	return st, nil
}

// ParseClock parses the reply to `show clock`, the management plane's
// clock: "Wed May 31 11:50:21 PDT 2023".
func ParseClock(body []byte) (Clock, error) {
	r, err := decodeReply[textResult](body, "clock", XMLLimits{})
	if err != nil {
		return Clock{}, err
	}
	c, err := parseClockText(r.Text)
	if err != nil {
		return Clock{}, fmt.Errorf("clock reply: %w", err)
	}
	c.Plane = "management"
	return c, nil
}

// clockMoreResult is the result of `show clock more`: one member per data
// plane, or one member holding every data plane's "DP name:" block.
type clockMoreResult struct {
	resultHead
	Members []string `xml:"member"`
}

// ParseDataplaneClocks parses the reply to `show clock more`: the clock of
// each data plane.
func ParseDataplaneClocks(body []byte) ([]Clock, error) {
	r, err := decodeReply[clockMoreResult](body, "clock more", XMLLimits{})
	if err != nil {
		return nil, err
	}
	var out []Clock
	for _, m := range r.Members {
		name := ""
		for _, line := range strings.Split(m, "\n") {
			line = strings.TrimSpace(line)
			if rest, ok := strings.CutPrefix(line, "DP "); ok && strings.HasSuffix(rest, ":") {
				name = strings.TrimSuffix(rest, ":")
				continue
			}
			text, ok := strings.CutPrefix(line, "dataplane time:")
			if !ok {
				continue
			}
			c, err := parseClockText(text)
			if err != nil {
				return nil, fmt.Errorf("clock more reply: %w", err)
			}
			c.Plane = name
			if c.Plane == "" {
				c.Plane = fmt.Sprintf("dp%d", len(out))
			}
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("clock more reply: %w: no dataplane time", ErrMalformed)
	}
	return out, nil
}

// parseClockText reads date(1)'s default format, "Wed May 31 11:50:21 PDT
// 2023". The zone is kept as text: PAN-OS prints abbreviations that Go
// cannot map to offsets, and the clocks of one firewall share it.
func parseClockText(s string) (Clock, error) {
	f := strings.Fields(s)
	if len(f) != 6 {
		return Clock{}, fmt.Errorf("%w: %q is not a date", ErrMalformed, clip(s))
	}
	t, err := time.Parse("Mon Jan 2 15:04:05 2006", strings.Join([]string{f[0], f[1], f[2], f[3], f[5]}, " "))
	if err != nil {
		return Clock{}, fmt.Errorf("%w: %q is not a date", ErrMalformed, clip(s))
	}
	return Clock{Time: t, Zone: f[4]}, nil
}
