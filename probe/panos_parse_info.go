package probe

import "strings"

// sessionResult is the result of `show session info`. Only the counts and
// rates are read; the many timeout settings beside them are skipped.
type sessionResult struct {
	resultHead
	NumActive    xmlUint `xml:"num-active"`
	NumMax       xmlUint `xml:"num-max"`
	NumTCP       xmlUint `xml:"num-tcp"`
	NumUDP       xmlUint `xml:"num-udp"`
	NumICMP      xmlUint `xml:"num-icmp"`
	NumInstalled xmlUint `xml:"num-installed"`
	CPS          xmlUint `xml:"cps"`
	Kbps         xmlUint `xml:"kbps"`
	PPS          xmlUint `xml:"pps"`
}

// ParseSessionInfo parses the reply to `show session info`.
func ParseSessionInfo(body []byte) (*SessionInfo, error) { return parseSessionInfo(body, XMLLimits{}) }

// parseSessionInfo is ParseSessionInfo within lim.
func parseSessionInfo(body []byte, lim XMLLimits) (*SessionInfo, error) {
	r, err := decodeReply[sessionResult](body, "session info", lim)
	if err != nil {
		return nil, err
	}
	return &SessionInfo{
		Active:    uint64(r.NumActive),
		Max:       uint64(r.NumMax),
		TCP:       uint64(r.NumTCP),
		UDP:       uint64(r.NumUDP),
		ICMP:      uint64(r.NumICMP),
		Installed: uint64(r.NumInstalled),
		CPS:       uint64(r.CPS),
		Kbps:      uint64(r.Kbps),
		PPS:       uint64(r.PPS),
	}, nil
}

// systemResult is the result of `show system info`.
type systemResult struct {
	resultHead
	System struct {
		Hostname        string `xml:"hostname"`
		Model           string `xml:"model"`
		Family          string `xml:"family"`
		Serial          string `xml:"serial"`
		SWVersion       string `xml:"sw-version"`
		Uptime          string `xml:"uptime"`
		IPAddress       string `xml:"ip-address"`
		AppVersion      string `xml:"app-version"`
		ThreatVersion   string `xml:"threat-version"`
		AVVersion       string `xml:"av-version"`
		WildfireVersion string `xml:"wildfire-version"`
		URLVersion      string `xml:"url-filtering-version"`
		VMMode          string `xml:"vm-mode"`
		VMLicense       string `xml:"vm-license"`
		VMUUID          string `xml:"vm-uuid"`
		VMCPUID         string `xml:"vm-cpuid"`
		OperationalMode string `xml:"operational-mode"`
	} `xml:"system"`
}

// ParseSystemInfo parses the reply to `show system info`.
func ParseSystemInfo(body []byte) (*SystemInfo, error) { return parseSystemInfo(body, XMLLimits{}) }

// parseSystemInfo is ParseSystemInfo within lim.
func parseSystemInfo(body []byte, lim XMLLimits) (*SystemInfo, error) {
	r, err := decodeReply[systemResult](body, "system info", lim)
	if err != nil {
		return nil, err
	}
	s := &r.System
	return &SystemInfo{
		Hostname:        strings.TrimSpace(s.Hostname),
		Model:           strings.TrimSpace(s.Model),
		Family:          strings.TrimSpace(s.Family),
		Serial:          strings.TrimSpace(s.Serial),
		SWVersion:       strings.TrimSpace(s.SWVersion),
		Uptime:          strings.TrimSpace(s.Uptime),
		MgmtIP:          strings.TrimSpace(s.IPAddress),
		AppVersion:      strings.TrimSpace(s.AppVersion),
		ThreatVersion:   strings.TrimSpace(s.ThreatVersion),
		AVVersion:       strings.TrimSpace(s.AVVersion),
		WildfireVersion: strings.TrimSpace(s.WildfireVersion),
		URLVersion:      strings.TrimSpace(s.URLVersion),
		VMMode:          strings.TrimSpace(s.VMMode),
		VMLicense:       strings.TrimSpace(s.VMLicense),
		VMUUID:          strings.TrimSpace(s.VMUUID),
		VMCPUID:         strings.TrimSpace(s.VMCPUID),
		OperationalMode: strings.TrimSpace(s.OperationalMode),
	}, nil
}
