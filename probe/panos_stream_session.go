package probe

import "encoding/xml"

// ParseSessionInfo parses the reply to `show session info`.
func ParseSessionInfo(body []byte) (*SessionInfo, error) { return parseSessionInfo(body, XMLLimits{}) }

// parseSessionInfo is ParseSessionInfo within lim, in one pass (walkReply).
// Only the counts and rates are read; the many timeout settings beside them
// are skipped. A figure that is not a decimal number reads as zero.
func parseSessionInfo(body []byte, lim XMLLimits) (*SessionInfo, error) {
	s := new(SessionInfo)
	err := walkReply(body, lim, "session info", func(path []xml.Name, text []byte, end bool) {
		if !end || len(path) != 1 {
			return
		}
		if f := s.field(path[0].Local); f != nil {
			*f, _ = parseDecimal(text)
		}
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// field is the figure of the element name in result, or nil.
func (s *SessionInfo) field(name string) *uint64 {
	switch name {
	case "num-active":
		return &s.Active
	case "num-max":
		return &s.Max
	case "num-tcp":
		return &s.TCP
	case "num-udp":
		return &s.UDP
	case "num-icmp":
		return &s.ICMP
	case "num-installed":
		return &s.Installed
	case "cps":
		return &s.CPS
	case "kbps":
		return &s.Kbps
	case "pps":
		return &s.PPS
	}
	return nil
}
