package snapshot

import (
	"regexp"
	"strings"
)

// secretParam and urlUserinfo match credentials that an error might quote
// from a request URL.
var (
	secretParam = regexp.MustCompile(`(?i)\b((?:api[_-]?)?key|password|passwd|pass|token|secret|x-amz-[a-z-]+)=[^&\s"']*`)
	urlUserinfo = regexp.MustCompile(`(://)[^/@\s"']+@`)
)

// ErrorText returns an error's text fit for the timeline, the status page
// and the cause sentence: the first line only, credentials in quoted URLs redacted, at most
// 300 characters.
func ErrorText(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	s = secretParam.ReplaceAllString(s, "$1=REDACTED")
	s = urlUserinfo.ReplaceAllString(s, "${1}REDACTED@")
	if r := []rune(s); len(r) > 300 {
		s = string(r[:299]) + "…"
	}
	return s
}
