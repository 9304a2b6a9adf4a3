package probe

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"slices"
	"strings"
	"syscall"
)

// ErrorKey names what kind of failure err is, leaving out what changes from
// one attempt to the next (request IDs, local ports, the current time in a
// certificate error, which commands of a poll failed), so that a failure is
// logged once and again only when it becomes another failure.
func ErrorKey(err error) string {
	if err == nil {
		return ""
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var keys []string
		for _, e := range j.Unwrap() {
			if k := ErrorKey(e); !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		return strings.Join(keys, "; ")
	}
	return errorKey(err)
}

// volatile matches the parts of an error text that change between
// attempts: numbers (ports, times, request IDs) and hex or UUID runs.
var volatile = regexp.MustCompile(`[0-9a-fA-F]*[0-9][0-9a-fA-F-]*`)

func errorKey(err error) string {
	var (
		inv   x509.CertificateInvalidError
		ua    x509.UnknownAuthorityError
		host  x509.HostnameError
		api   *APIError
		hte   *HTTPError
		aws   *AWSCallError
		iamE  *IAMCallError
		dns   *net.DNSError
		errno syscall.Errno
	)
	switch {
	case errors.As(err, &inv):
		return fmt.Sprintf("certificate invalid (%d)", inv.Reason)
	case errors.As(err, &ua):
		return "certificate of unknown authority"
	case errors.As(err, &host):
		return "certificate for another host"
	case errors.As(err, &api):
		return fmt.Sprintf("api error %d %d", api.Code, api.HTTPStatus)
	case errors.As(err, &hte):
		return fmt.Sprintf("http %d", hte.StatusCode)
	case errors.As(err, &aws) && aws.Code != "":
		return "ec2 " + aws.Operation + " " + aws.Code
	case errors.As(err, &iamE) && iamE.Code != "":
		return "iam " + iamE.Operation + " " + iamE.Code
	case errors.As(err, &dns):
		return fmt.Sprintf("dns %s not found %v", dns.Name, dns.IsNotFound)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return "timeout"
	case errors.As(err, &errno):
		return "network " + errno.Error()
	case errors.Is(err, ErrPanic):
		return "panic"
	case errors.Is(err, ErrReplyTooLarge):
		return "reply too large"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed"
	case errors.Is(err, ErrMalformed):
		// The parser's detail differs by command for one bad reply.
		return "malformed reply"
	}
	return volatile.ReplaceAllString(stripCommand(err.Error()), "#")
}

// stripCommand drops the "command: " a poll puts before a command's error,
// so that the same failure of two commands is one failure.
func stripCommand(s string) string {
	for _, c := range append(slices.Clone(PollCommands), CmdSystem, CmdKeygen) {
		if rest, ok := strings.CutPrefix(s, string(c)+": "); ok {
			return rest
		}
	}
	return s
}
