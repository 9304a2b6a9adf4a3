package probe

import "strings"

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
