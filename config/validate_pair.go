package config

import (
	"errors"
	"net"
	"strconv"
	"strings"
)

// pair checks the settings of pair i.
func (v *validator) pair(i int, p *PairConfig) {
	switch {
	case p.Name == "":
		v.pairf(i, "name", "%w", ErrRequired)
	case !pairNameRE.MatchString(p.Name):
		v.pairf(i, "name", "%q: use up to 63 letters, digits, '_', '.' or '-', starting with a letter or digit", p.Name)
	}
	if v.positivePair(i, "poll_interval", p.PollInterval) &&
		v.positivePair(i, "poll_timeout", p.PollTimeout) &&
		p.PollTimeout >= p.PollInterval {
		v.pairf(i, "poll_timeout", "must be shorter than the poll interval (%s), got %s", p.PollInterval, p.PollTimeout)
	}
	v.positivePair(i, "system_info_interval", p.SystemInfoInterval)
	v.peers(i, p)
	v.panos(i, &p.PANOS)
	if p.AWS != nil {
		v.aws(i, p.AWS)
	}
	if f := p.TrafficFloorBytesPerSecond; f < 0 || !finite(f) {
		v.pairf(i, "traffic_floor_bytes_per_second", "must be a number of zero or more, got %v", f)
	}
}

func (v *validator) peers(i int, p *PairConfig) {
	var hostPorts [2]string
	for j, peer := range p.Peers {
		prefix := "peers[" + strconv.Itoa(j) + "]."
		hp, err := normalizeAddress(peer.Address)
		if err != nil {
			v.pairf(i, prefix+"address", "%w", err)
		}
		hostPorts[j] = hp
		if peer.Name == "" && peer.Address != "" {
			v.pairf(i, prefix+"name", "%w", ErrRequired)
		}
		switch {
		case peer.InstanceID == "":
		case !instanceIDRE.MatchString(peer.InstanceID):
			v.pairf(i, prefix+"instance_id", "%q is not an EC2 instance ID (i-0123456789abcdef0)", peer.InstanceID)
		case p.AWS == nil:
			v.pairf(i, prefix+"instance_id", "set but AWS monitoring is off for the pair")
		}
	}
	switch a, b := p.Peers[0].Name, p.Peers[1].Name; {
	case hostPorts[0] != "" && hostPorts[0] == hostPorts[1]:
		v.pairf(i, "peers[1].address", "same as the other peer (%s)", hostPorts[0])
	case a != "" && a == b:
		v.pairf(i, "peers[1].name", "same as the other peer (%q)", a)
	}
}

// normalizeAddress checks a management address, host or host:port, and
// returns it as lower-case host:port with the HTTPS port filled in.
func normalizeAddress(addr string) (string, error) {
	if addr == "" {
		return "", ErrRequired
	}
	if hasSpace(addr) {
		return "", errors.New("contains white space")
	}
	if strings.Contains(addr, "://") || strings.ContainsAny(addr, "/?#@") {
		return "", errors.New("must be host or host:port, not a URL")
	}
	host, port := addr, "443"
	if h, p, err := net.SplitHostPort(addr); err == nil {
		host, port = h, p
	} else if strings.Count(addr, ":") == 1 {
		return "", errors.New("not a valid host:port: " + unwrapAddrError(err))
	}
	// A bare IPv6 address has colons and no brackets.
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if host == "" {
		return "", errors.New("no host")
	}
	if strings.Contains(host, ":") && net.ParseIP(host) == nil {
		return "", errors.New("not a valid host:port")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", errors.New("port must be a number from 1 to 65535")
	}
	return net.JoinHostPort(strings.ToLower(host), port), nil
}

func (v *validator) panos(i int, c *PANOSConfig) {
	switch {
	case c.APIKey != "" && (c.Username != "" || c.Password != ""):
		v.pairf(i, "panos.api_key", "%w: use an API key or a username and password, not both", ErrConflict)
	case c.APIKey != "":
	case c.Username == "" && c.Password == "":
		v.pairf(i, "panos.api_key", "%w: an API key, or a username and password", ErrRequired)
	case c.Username == "":
		v.pairf(i, "panos.username", "%w with a password", ErrRequired)
	case c.Password == "":
		v.pairf(i, "panos.password", "%w with a username", ErrRequired)
	}
	if err := fileProblem(c.CAFile); err != nil {
		v.pairf(i, "panos.ca_file", "%w", err)
	}
}

func (v *validator) aws(i int, a *AWSConfig) {
	switch {
	case a.Region == "":
		v.pairf(i, "aws.region", "%w when AWS monitoring is on", ErrRequired)
	case hasSpace(a.Region):
		v.pairf(i, "aws.region", "%q is not a region name", a.Region)
	}
	switch a.Mode {
	case awsModeSecondaryIP, awsModeInterfaceMove, awsModeAuto:
	default:
		v.pairf(i, "aws.ha_mode", "%q is not one of %s, %s, %s", a.Mode, awsModeSecondaryIP, awsModeInterfaceMove, awsModeAuto)
	}
	v.positivePair(i, "aws.poll_interval", a.PollInterval)
	if a.GracePeriod < 0 {
		v.pairf(i, "aws.grace_period", "must not be negative, got %s", a.GracePeriod)
	}
	if a.Endpoint != "" {
		if err := checkHTTPURL(a.Endpoint); err != nil {
			v.pairf(i, "aws.endpoint", "%v", err)
		}
	}
}

// pairEnvNames maps the keys of a pair to the environment variables that
// set them for the single pair configured from the environment.
var pairEnvNames = map[string]string{
	"name":                           envPair,
	"poll_interval":                  envPollInterval,
	"poll_timeout":                   envPollTimeout,
	"system_info_interval":           envSystemInfoInterval,
	"peers[0].address":               envPeerA,
	"peers[0].name":                  envPeerA + "_NAME",
	"peers[0].instance_id":           envPeerA + "_INSTANCE_ID",
	"peers[1].address":               envPeerB,
	"peers[1].name":                  envPeerB + "_NAME",
	"peers[1].instance_id":           envPeerB + "_INSTANCE_ID",
	"panos.api_key":                  envPANOSAPIKey,
	"panos.username":                 envPANOSUsername,
	"panos.password":                 envPANOSPassword,
	"panos.ca_file":                  envPANOSCAFile,
	"aws.region":                     envAWSRegion,
	"aws.ha_mode":                    envAWSHAMode,
	"aws.poll_interval":              envAWSPollInterval,
	"aws.endpoint":                   envAWSEndpoint,
	"aws.grace_period":               envAWSGracePeriod,
	"traffic_floor_bytes_per_second": envTrafficFloor,
	"pairs":                          envPeerA,
}
